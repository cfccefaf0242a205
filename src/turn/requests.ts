/**
 * Sending TURN requests: credentials added when known, FINGERPRINT last, a client transaction per
 * request (retransmitted over UDP only), and the retry rules for 401 Unauthorized (first contact:
 * learn REALM/NONCE, RFC 8489 §9.2.3) and 438 Stale Nonce (new NONCE, bounded retries, §9.2.5).
 */
import type { Addr, Millis } from '../core/types.js';
import type { StunAttribute } from '../stun/attributes.js';
import { attr } from '../stun/attributes.js';
import { StunMethod } from '../stun/constants.js';
import { newTransactionId, stunIndication, stunRequest } from '../stun/helpers.js';
import { encodeStun, type StunMessage } from '../stun/message.js';
import type { ClientTransactions } from '../stun/transaction.js';
import type { TurnCredentials } from './credentials.js';
import type { ResolvedTurnClientOptions } from './options.js';

/** One request and what it is for (the transaction context). */
export interface TurnRequest {
  readonly kind: 'allocate' | 'refresh' | 'permission' | 'channel';
  readonly method: number;
  /** Attributes other than the credentials and SOFTWARE. */
  readonly attrs: readonly StunAttribute[];
  /** 438 retries so far. */
  readonly stale: number;
  readonly peerIp?: string;
  readonly peer?: Addr;
  /** Whether it was sent with credentials (set by send()). */
  readonly authenticated?: boolean;
}

export class TurnRequests {
  constructor(
    private readonly o: ResolvedTurnClientOptions,
    private readonly creds: TurnCredentials,
    private readonly txs: ClientTransactions<TurnRequest>,
    private readonly transmit: (bytes: Uint8Array) => void,
  ) {}

  send(now: Millis, req: TurnRequest): void {
    const auth = this.creds.attributes();
    const attributes = [...req.attrs, ...this.software(), ...auth];
    const msg = stunRequest(req.method, newTransactionId(this.o.rng), attributes);
    const key = auth.length > 0 ? this.creds.key : undefined;
    const bytes = encodeStun(msg, key ? { integrityKey: key, fingerprint: true } : { fingerprint: true }, this.o.crypto);
    this.txs.start(now, msg.transactionId, bytes, { ...req, authenticated: auth.length > 0 }, this.o.retransmit);
    this.transmit(bytes);
  }

  /** A Send indication (RFC 8656 §11.1): not authenticated, not retransmitted. */
  indication(attrs: readonly StunAttribute[]): void {
    const msg = stunIndication(StunMethod.Send, newTransactionId(this.o.rng), [...attrs]);
    this.transmit(encodeStun(msg, { fingerprint: true }));
  }

  /** Re-sends `req` when the error allows it (401 on first contact, 438); true when it did. */
  retryAfterError(now: Millis, req: TurnRequest, code: number, msg: StunMessage): boolean {
    if (code === 401 && !req.authenticated && this.creds.update(msg)) {
      this.send(now, req);
      return true;
    }
    if (code === 438 && req.stale < this.o.maxStaleNonceRetries && this.creds.update(msg)) {
      this.send(now, { ...req, stale: req.stale + 1 });
      return true;
    }
    return false;
  }

  private software(): StunAttribute[] {
    return this.o.software === undefined ? [] : [attr('software', this.o.software)];
  }
}
