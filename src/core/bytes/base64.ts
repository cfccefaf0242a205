/**
 * Standard base64 (RFC 4648 §4, the SDP `base64` of RFC 8866 §9), pure: no Buffer, so the sans-IO
 * cores can use it. Decoding is strict: only the alphabet, length a multiple of 4, `=` only as the
 * last one or two characters (what RFC 8866's grammar allows), zero bits under the padding; anything
 * else is undefined.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += ALPHABET[n >>> 18] as string;
    s += ALPHABET[(n >>> 12) & 63] as string;
    s += i + 1 < b.length ? (ALPHABET[(n >>> 6) & 63] as string) : '=';
    s += i + 2 < b.length ? (ALPHABET[n & 63] as string) : '=';
  }
  return s;
}

/** The 6-bit value of character `i` of `s`, 0 for a padding `=` at or after `padFrom`, else -1. */
function sextet(s: string, i: number, padFrom: number): number {
  const c = s.charCodeAt(i);
  if (c === 61) return i >= padFrom ? 0 : -1;
  return c < 128 ? (VALUES[c] as number) : -1;
}

/** The bytes of a strict base64 string, or undefined when it is not one. */
export function fromBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const padFrom = s.length - pad;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = i; j < i + 4; j++) {
      const v = sextet(s, j, padFrom);
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  // the bits the padding leaves over must be zero (RFC 4648 §3.5): one encoding per byte string
  const last = pad === 0 ? 0 : sextet(s, padFrom - 1, padFrom);
  return (last & (pad === 2 ? 15 : pad === 1 ? 3 : 0)) === 0 ? out : undefined;
}
