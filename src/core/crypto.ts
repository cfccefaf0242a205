/**
 * The synchronous crypto capability that cores receive (WebCrypto is asynchronous and would force
 * `await` into the cores). src/io/node-crypto.ts implements it with node:crypto. Layers that need more
 * (DTLS: ECDHE, signatures, AEAD, certificates) extend this interface in their own folder.
 */
export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface CryptoProvider {
  /** Digest of the concatenation of `data`. */
  hash(alg: HashAlgorithm, ...data: Uint8Array[]): Uint8Array;
  /** HMAC of the concatenation of `data`. */
  hmac(alg: Exclude<HashAlgorithm, 'md5'>, key: Uint8Array, ...data: Uint8Array[]): Uint8Array;
}

/** Constant-time comparison (for MACs). */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}
