import type { CryptoProvider, HashAlgorithm } from '../core/crypto.js';
import { toHex, equalBytes } from '../core/bytes/hex.js';
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

/** A fingerprint as bytes, parsed once per remote description (not per handshake). */
export interface ExpectedFingerprint {
  readonly hash: HashAlgorithm;
  readonly bytes: Uint8Array;
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

/** The value of each ASCII hex digit (either case), -1 for every other code below 128. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
  NIBBLE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** The bytes of `AB:CD:...` (surrounding whitespace ignored), or undefined unless colon-separated hex pairs. */
export function fingerprintBytes(value: string): Uint8Array | undefined {
  const s = value.trim();
  if (s.length < 2 || s.length % 3 !== 2) return undefined;
  const out = new Uint8Array((s.length + 1) / 3);
  for (let i = 0, o = 0; i < s.length; i += 3, o++) {
    const a = s.charCodeAt(i);
    const c = s.charCodeAt(i + 1);
    // a table lookup, not a helper per digit: this runs once per handshake, in V8's interpreter (issue 6)
    const hi = a < 128 ? (NIBBLE[a] as number) : -1;
    const lo = c < 128 ? (NIBBLE[c] as number) : -1;
    if (hi < 0 || lo < 0 || (i + 2 < s.length && s.charCodeAt(i + 2) !== 58)) return undefined;
    out[o] = (hi << 4) | lo;
  }
  return out;
}

/**
 * Throws UsageError unless every entry names a supported hash and parses as colon-separated hex;
 * returns the entries as bytes (validated and parsed in one pass, once per remote description).
 */
export function validateFingerprints(list: readonly Fingerprint[]): ExpectedFingerprint[] {
  const out: ExpectedFingerprint[] = [];
  for (let i = 0; i < list.length; i++) {
    const f = list[i] as Fingerprint;
    const hash = hashOf(f.algorithm);
    if (hash === undefined) throw new UsageError('dtls.fingerprint.algorithm', `unsupported fingerprint algorithm ${f.algorithm}`);
    const bytes = fingerprintBytes(f.value);
    if (bytes === undefined) throw new UsageError('dtls.fingerprint.value', `fingerprint is not colon-separated hex: ${f.value}`);
    out.push({ hash, bytes });
  }
  return out;
}

/** The entries of `list` we can check, as bytes (unknown hashes and malformed values left out). */
export function expectedFingerprints(list: readonly Fingerprint[]): ExpectedFingerprint[] {
  const out: ExpectedFingerprint[] = [];
  for (let i = 0; i < list.length; i++) {
    const f = list[i] as Fingerprint;
    const hash = hashOf(f.algorithm);
    const bytes = fingerprintBytes(f.value);
    if (hash !== undefined && bytes !== undefined) out.push({ hash, bytes });
  }
  return out;
}

/**
 * True when any of `expected` matches the certificate. Each hash is computed once; `sha256`, when
 * given, is the certificate's SHA-256 already computed by the caller (the usual fingerprint).
 */
export function certificateMatches(crypto: CryptoProvider, der: Uint8Array, expected: readonly ExpectedFingerprint[], sha256?: Uint8Array): boolean {
  let lastHash: HashAlgorithm | undefined;
  let digest: Uint8Array | undefined;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as ExpectedFingerprint;
    if (e.hash !== lastHash) {
      lastHash = e.hash;
      digest = e.hash === 'sha256' && sha256 !== undefined ? sha256 : crypto.hash(e.hash, der);
    }
    if (equalBytes(digest as Uint8Array, e.bytes)) return true;
  }
  return false;
}

/** True when any of `list` matches the certificate (RFC 8122 §5: compare bytes, case-insensitive hex). */
export function fingerprintMatches(crypto: CryptoProvider, der: Uint8Array, list: readonly Fingerprint[]): boolean {
  return certificateMatches(crypto, der, expectedFingerprints(list));
}
