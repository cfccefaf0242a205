import type { CryptoProvider } from '../../core/crypto.js';
import { concatBytes, utf8 } from '../../core/bytes/hex.js';

/** The PRF hash of a cipher suite (RFC 5246 §5: SHA-256 unless the suite names SHA-384). */
export type PrfHash = 'sha256' | 'sha384';

/** Label bytes made once per label (a few fixed labels; encoding them per call cost more than the HMAC). */
const labels = new Map<string, Uint8Array>();

function labelBytes(label: string): Uint8Array {
  let b = labels.get(label);
  if (b === undefined) {
    b = utf8(label);
    labels.set(label, b);
  }
  return b;
}

/**
 * RFC 5246 §5: P_hash(secret, seed) = HMAC(secret, A(1) ‖ seed) ‖ HMAC(secret, A(2) ‖ seed) ‖ ...
 * with A(0) = seed, A(i) = HMAC(secret, A(i-1)); PRF(secret, label, seed) = P_hash(secret, label ‖ seed).
 * label ‖ seed is handed to the HMAC as two pieces, never concatenated.
 */
export function prf(
  crypto: CryptoProvider,
  hash: PrfHash,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const l = labelBytes(label);
  const out = new Uint8Array(length);
  let a = crypto.hmac(hash, secret, l, seed);
  let n = 0;
  for (;;) {
    const block = crypto.hmac(hash, secret, a, l, seed);
    out.set(block.length <= length - n ? block : block.subarray(0, length - n), n);
    n += block.length;
    if (n >= length) return out;
    a = crypto.hmac(hash, secret, a);
  }
}

/** RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret", client_random ‖ server_random)[0..47]. */
export function masterSecret(
  crypto: CryptoProvider,
  hash: PrfHash,
  preMaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Uint8Array {
  return prf(crypto, hash, preMaster, 'master secret', concatBytes(clientRandom, serverRandom), 48);
}

/** RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47]. */
export function extendedMasterSecret(
  crypto: CryptoProvider,
  hash: PrfHash,
  preMaster: Uint8Array,
  sessionHash: Uint8Array,
): Uint8Array {
  return prf(crypto, hash, preMaster, 'extended master secret', sessionHash, 48);
}

/** AEAD key material of one connection (RFC 5246 §6.3, no MAC keys for AEAD suites). */
export interface KeyBlock {
  readonly clientWriteKey: Uint8Array;
  readonly serverWriteKey: Uint8Array;
  readonly clientWriteIv: Uint8Array;
  readonly serverWriteIv: Uint8Array;
}

/** RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random ‖ client_random). */
export function keyBlock(
  crypto: CryptoProvider,
  hash: PrfHash,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  keyLength: number,
  ivLength: number,
): KeyBlock {
  const kb = prf(crypto, hash, master, 'key expansion', concatBytes(serverRandom, clientRandom), 2 * (keyLength + ivLength));
  const k2 = 2 * keyLength;
  return {
    clientWriteKey: kb.slice(0, keyLength),
    serverWriteKey: kb.slice(keyLength, k2),
    clientWriteIv: kb.slice(k2, k2 + ivLength),
    serverWriteIv: kb.slice(k2 + ivLength, k2 + 2 * ivLength),
  };
}

/** RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]. */
export function verifyData(
  crypto: CryptoProvider,
  hash: PrfHash,
  master: Uint8Array,
  role: 'client' | 'server',
  transcriptHash: Uint8Array,
): Uint8Array {
  return prf(crypto, hash, master, role === 'client' ? 'client finished' : 'server finished', transcriptHash, 12);
}
