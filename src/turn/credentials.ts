/**
 * Long-term credentials of one TURN allocation (RFC 8489 §9.2): the realm and nonce come from the
 * server's 401/438 responses; the key is MD5(username ":" realm ":" password) (§9.2.2).
 */
import type { CryptoProvider } from '../core/crypto.js';
import { attr, type StunAttribute } from '../stun/attributes.js';
import { getAttr } from '../stun/helpers.js';
import { longTermKey } from '../stun/integrity.js';
import type { StunMessage } from '../stun/message.js';

export class TurnCredentials {
  private realm: string | undefined;
  private nonce: string | undefined;
  private cachedKey: Uint8Array | undefined;

  constructor(private readonly o: { readonly username: string; readonly password: string; readonly crypto: CryptoProvider }) {}

  /** The HMAC key once a realm is known. */
  get key(): Uint8Array | undefined {
    return this.cachedKey;
  }

  /** Takes REALM and NONCE from a 401 or 438 response; false when the response lacks a NONCE. */
  update(msg: StunMessage): boolean {
    const nonce = getAttr(msg, 'nonce');
    const realm = getAttr(msg, 'realm') ?? this.realm;
    if (nonce === undefined || realm === undefined) return false;
    if (realm !== this.realm || !this.cachedKey) this.cachedKey = longTermKey(this.o.username, realm, this.o.password, this.o.crypto);
    this.realm = realm;
    this.nonce = nonce;
    return true;
  }

  /** USERNAME, REALM, NONCE for an authenticated request (RFC 8489 §9.2.4), or [] before the first 401. */
  attributes(): StunAttribute[] {
    if (this.realm === undefined || this.nonce === undefined) return [];
    return [attr('username', this.o.username), attr('realm', this.realm), attr('nonce', this.nonce)];
  }
}
