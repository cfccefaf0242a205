import type { CryptoProvider, HashAlgorithm } from '../core/crypto.js';
import { fromHex, toHex, equalBytes } from '../core/bytes/hex.js';
import { UsageError } from '../core/errors.js';

/**
 * Certificate fingerprints as SDP carries them (RFC 8122 §5, RFC 8842 §5): `a=fingerprint:sha-256
 * AB:CD:...`, the named hash over the DER certificate, upper-case hex with colons.
 */
export type FingerprintAlgorithm = 'sha-1' | 'sha-256' | 'sha-384' | 'sha-512';

export interface Fingerprint {
  /** Hash function name as in SDP, any case ('sha-256'). */
  readonly algorithm: string;
  /** Hex bytes separated by colons, any case. */
  readonly value: string;
}

const HASHES: Readonly<Record<FingerprintAlgorithm, HashAlgorithm>> = {
  'sha-1': 'sha1',
  'sha-256': 'sha256',
  'sha-384': 'sha384',
  'sha-512': 'sha512',
};

function hashOf(alg: string): HashAlgorithm | undefined {
  const a = alg.toLowerCase();
  return a in HASHES ? HASHES[a as FingerprintAlgorithm] : undefined;
}

/** `AB:CD:...` fingerprint of a DER certificate. */
export function certificateFingerprint(crypto: CryptoProvider, der: Uint8Array, alg: FingerprintAlgorithm = 'sha-256'): string {
  const h = hashOf(alg);
  if (h === undefined) throw new UsageError('dtls.fingerprint.algorithm', `unsupported fingerprint algorithm ${alg}`);
  return toHex(crypto.hash(h, der), ':').toUpperCase();
}

/** Throws UsageError unless every entry names a supported hash and parses as hex of the right length. */
export function validateFingerprints(list: readonly Fingerprint[]): void {
  for (const f of list) {
    const h = hashOf(f.algorithm);
    if (h === undefined) throw new UsageError('dtls.fingerprint.algorithm', `unsupported fingerprint algorithm ${f.algorithm}`);
    if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/.test(f.value.trim())) {
      throw new UsageError('dtls.fingerprint.value', `fingerprint is not colon-separated hex: ${f.value}`);
    }
  }
}

/** True when any of `list` matches the certificate (RFC 8122 §5: compare bytes, case-insensitive hex). */
export function fingerprintMatches(crypto: CryptoProvider, der: Uint8Array, list: readonly Fingerprint[]): boolean {
  for (const f of list) {
    const h = hashOf(f.algorithm);
    if (h === undefined) continue;
    let want: Uint8Array;
    try {
      want = fromHex(f.value.trim());
    } catch (e: unknown) {
      if (e instanceof RangeError) continue;
      throw e;
    }
    if (equalBytes(crypto.hash(h, der), want)) return true;
  }
  return false;
}
