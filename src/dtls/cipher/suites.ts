import type { AeadAlgorithm, KeyKind } from '../crypto.js';
import type { PrfHash } from './prf.js';

/** What a cipher suite means to us (all ECDHE + AEAD, RFC 5289, RFC 7905). */
export interface CipherSuite {
  readonly id: number;
  readonly name: string;
  /** Certificate key kind the suite authenticates with. */
  readonly auth: KeyKind;
  readonly aead: AeadAlgorithm;
  readonly prfHash: PrfHash;
  readonly keyLength: number;
  /** Implicit IV from the key block: 4 bytes for GCM (RFC 5288 §3), 12 for ChaCha20 (RFC 7905 §2). */
  readonly fixedIvLength: number;
  /** Explicit nonce carried in each record: 8 for GCM, 0 for ChaCha20. */
  readonly explicitNonceLength: number;
}

export const CIPHER_SUITES: readonly CipherSuite[] = [
  { id: 0xc02b, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', auth: 'ecdsa-p256', aead: 'aes-128-gcm', prfHash: 'sha256', keyLength: 16, fixedIvLength: 4, explicitNonceLength: 8 },
  { id: 0xc02c, name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', auth: 'ecdsa-p256', aead: 'aes-256-gcm', prfHash: 'sha384', keyLength: 32, fixedIvLength: 4, explicitNonceLength: 8 },
  { id: 0xcca9, name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', auth: 'ecdsa-p256', aead: 'chacha20-poly1305', prfHash: 'sha256', keyLength: 32, fixedIvLength: 12, explicitNonceLength: 0 },
  { id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', auth: 'rsa', aead: 'aes-128-gcm', prfHash: 'sha256', keyLength: 16, fixedIvLength: 4, explicitNonceLength: 8 },
];

/** Default offer order: the mandatory 0xC02B first (RFC 8827 §6.5). */
export const DEFAULT_CIPHER_SUITES: readonly number[] = [0xc02b, 0xc02f, 0xc02c, 0xcca9];

const byId = new Map(CIPHER_SUITES.map((s) => [s.id, s]));

export function cipherSuite(id: number): CipherSuite | undefined {
  return byId.get(id);
}

/** AEAD overhead of a protected record beyond the plaintext (explicit nonce + 16-byte tag). */
export function aeadOverhead(s: CipherSuite): number {
  return s.explicitNonceLength + 16;
}
