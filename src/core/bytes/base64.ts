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

/** The 6-bit value of character code `c`, -1 when it is not in the alphabet. */
const valueOf = (c: number): number => (c < 128 ? (VALUES[c] as number) : -1);

/** The bytes of a strict base64 string, or undefined when it is not one. */
export function fromBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const body = s.length - pad; // characters that must be in the alphabet
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  // four characters per step, looked up inline: this runs once per SDP with a=sctp-init (about 140
  // characters), in V8's interpreter, where a helper call per character cost more than the rest (issue 6)
  let i = 0;
  for (; i + 4 <= body; i += 4) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const c = s.charCodeAt(i + 2);
    const d = s.charCodeAt(i + 3);
    const n = a < 128 && b < 128 && c < 128 && d < 128 ? ((VALUES[a] as number) << 18) | ((VALUES[b] as number) << 12) | ((VALUES[c] as number) << 6) | (VALUES[d] as number) : -1;
    if (n < 0) return undefined; // a -1 anywhere makes the whole value negative
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  return pad === 0 || lastGroup(s, i, pad, out, o) ? out : undefined;
}

/**
 * Decodes the padded last group (2 or 3 characters at `i`) into `out` at `o`; false when a character
 * is not in the alphabet or the bits the padding leaves over are not zero (RFC 4648 §3.5: one
 * encoding per byte string).
 */
function lastGroup(s: string, i: number, pad: number, out: Uint8Array, o: number): boolean {
  const a = valueOf(s.charCodeAt(i));
  const b = valueOf(s.charCodeAt(i + 1));
  const c = pad === 1 ? valueOf(s.charCodeAt(i + 2)) : 0;
  if (a < 0 || b < 0 || c < 0 || (pad === 2 ? b & 15 : c & 3) !== 0) return false;
  const n = (a << 18) | (b << 12) | (c << 6);
  out[o] = n >>> 16;
  if (pad === 1) out[o + 1] = (n >>> 8) & 255;
  return true;
}
