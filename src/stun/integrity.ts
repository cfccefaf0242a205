/**
 * MESSAGE-INTEGRITY (RFC 8489 §14.5, HMAC-SHA1), MESSAGE-INTEGRITY-SHA256 (§14.6) and FINGERPRINT
 * (§14.7) checks on the raw bytes of a received message, plus the keys (§9.1.1 short-term,
 * §9.2.2 long-term).
 *
 * The MAC covers the message up to (not including) the integrity attribute, with the header length
 * field rewritten to end just after that attribute: it counts the MAC but not a FINGERPRINT that follows.
 */
import { crc32 } from '../core/bytes/crc32.js';
import { utf8 } from '../core/bytes/hex.js';
import { timingSafeEqual, type CryptoProvider } from '../core/crypto.js';
import { AttrCode, FINGERPRINT_XOR, HEADER_SIZE } from './constants.js';

/** Offset of the first attribute with `code` (its 4-byte header), walking the TLVs; undefined if absent or malformed. */
export function findAttribute(buf: Uint8Array, code: number): number | undefined {
  if (buf.length < HEADER_SIZE) return undefined;
  const end = Math.min(buf.length, HEADER_SIZE + (((buf[2] as number) << 8) | (buf[3] as number)));
  let p = HEADER_SIZE;
  while (p + 4 <= end) {
    const c = ((buf[p] as number) << 8) | (buf[p + 1] as number);
    const len = ((buf[p + 2] as number) << 8) | (buf[p + 3] as number);
    if (p + 4 + len > end) return undefined;
    if (c === code) return p;
    p += 4 + len + ((4 - (len % 4)) % 4);
  }
  return undefined;
}

function checkMac(buf: Uint8Array, key: Uint8Array, crypto: CryptoProvider, code: number): boolean {
  const at = findAttribute(buf, code);
  if (at === undefined) return false;
  const len = ((buf[at + 2] as number) << 8) | (buf[at + 3] as number);
  const expected = code === AttrCode.MessageIntegrity ? 20 : len;
  if (len !== expected || len < 16 || len > 32) return false;
  const adjusted = at - HEADER_SIZE + 4 + len;
  const lengthField = Uint8Array.of(adjusted >> 8, adjusted & 0xff);
  const alg = code === AttrCode.MessageIntegrity ? 'sha1' : 'sha256';
  const mac = crypto.hmac(alg, key, buf.subarray(0, 2), lengthField, buf.subarray(4, at));
  return timingSafeEqual(mac.subarray(0, len), buf.subarray(at + 4, at + 4 + len));
}

/**
 * True when the message carries a valid integrity attribute for `key`. `algorithm` 'sha1' checks
 * MESSAGE-INTEGRITY, 'sha256' checks MESSAGE-INTEGRITY-SHA256 (truncated MACs allowed, §14.6), 'any'
 * (default) checks MESSAGE-INTEGRITY-SHA256 when present and MESSAGE-INTEGRITY otherwise.
 */
export function verifyIntegrity(
  buf: Uint8Array,
  key: Uint8Array,
  crypto: CryptoProvider,
  algorithm: 'sha1' | 'sha256' | 'any' = 'any',
): boolean {
  if (algorithm === 'sha1') return checkMac(buf, key, crypto, AttrCode.MessageIntegrity);
  if (algorithm === 'sha256') return checkMac(buf, key, crypto, AttrCode.MessageIntegritySha256);
  const has256 = findAttribute(buf, AttrCode.MessageIntegritySha256) !== undefined;
  return checkMac(buf, key, crypto, has256 ? AttrCode.MessageIntegritySha256 : AttrCode.MessageIntegrity);
}

/** True when the message ends with a correct FINGERPRINT (RFC 8489 §14.7); false when absent or wrong. */
export function verifyFingerprint(buf: Uint8Array): boolean {
  const at = buf.length - 8;
  if (at < HEADER_SIZE || findAttribute(buf, AttrCode.Fingerprint) !== at) return false;
  if ((((buf[at + 2] as number) << 8) | (buf[at + 3] as number)) !== 4) return false;
  const v = (((buf[at + 4] as number) << 24) | ((buf[at + 5] as number) << 16) | ((buf[at + 6] as number) << 8) | (buf[at + 7] as number)) >>> 0;
  return ((crc32(buf, 0, at) ^ FINGERPRINT_XOR) >>> 0) === v;
}

/** Short-term credential key (RFC 8489 §9.1.1; ICE uses the ice-pwd): the password's UTF-8 bytes. */
export function shortTermKey(password: string): Uint8Array {
  return utf8(password);
}

/**
 * A light SASLprep/OpaqueString for passwords (RFC 4013 §2.1-2.2 mappings + NFKC): drops "mapped to
 * nothing" characters such as the soft hyphen and maps non-ASCII spaces to U+0020. No prohibition or
 * bidi checks.
 */
export function saslPrep(s: string): string {
  let out = '';
  // code points of a TURN password, once per allocation
  // eslint-disable-next-line no-restricted-syntax
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (MAPPED_TO_NOTHING(c)) continue;
    out += NON_ASCII_SPACE(c) ? ' ' : ch;
  }
  return out.normalize('NFKC');
}

/** RFC 3454 table B.1. */
const MAPPED_TO_NOTHING = (c: number): boolean =>
  c === 0xad || c === 0x34f || c === 0x1806 || (c >= 0x180b && c <= 0x180d) || (c >= 0x200b && c <= 0x200d) ||
  c === 0x2060 || (c >= 0xfe00 && c <= 0xfe0f) || c === 0xfeff;

/** RFC 3454 table C.1.2. */
const NON_ASCII_SPACE = (c: number): boolean =>
  c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000;

/**
 * Long-term credential key (RFC 8489 §9.2.2): MD5(username ":" realm ":" password) by default, or
 * SHA-256 of the same when PASSWORD-ALGORITHM is SHA-256 (0x0002). The password goes through saslPrep().
 */
export function longTermKey(username: string, realm: string, password: string, crypto: CryptoProvider, algorithm: 'md5' | 'sha256' = 'md5'): Uint8Array {
  return crypto.hash(algorithm, utf8(`${username}:${realm}:${saslPrep(password)}`));
}

/** USERHASH value (RFC 8489 §14.4): SHA-256(username ":" realm). */
export function userhash(username: string, realm: string, crypto: CryptoProvider): Uint8Array {
  return crypto.hash('sha256', utf8(`${username}:${realm}`));
}
