import { ParseError } from '../../core/errors.js';
import type { Writer } from '../../core/bytes/writer.js';

/**
 * The type-length-value layout shared by SCTP parameters and error causes (RFC 9260 §3.2.1, §3.3.10).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Type                 |          Length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                 Value (Length - 4 bytes), padded to 4          /
 */
export interface RawTlv {
  readonly type: number;
  /** A view into the decoded buffer. */
  readonly value: Uint8Array;
}

/** Splits `buf[start, end)` into TLVs. The last one's padding may be missing (RFC 9260 §3.2). */
export function decodeTlvs(buf: Uint8Array, start: number, end: number, prefix: string): RawTlv[] {
  const out: RawTlv[] = [];
  let p = start;
  while (p < end) {
    if (p + 4 > end) throw new ParseError(`${prefix}.truncated`, 'TLV header truncated', p);
    const type = ((buf[p] as number) << 8) | (buf[p + 1] as number);
    const len = ((buf[p + 2] as number) << 8) | (buf[p + 3] as number);
    if (len < 4 || p + len > end) throw new ParseError(`${prefix}.length`, `bad TLV length ${len}`, p);
    out.push({ type, value: buf.subarray(p + 4, p + len) });
    p += (len + 3) & ~3;
  }
  return out;
}

/** Writes one TLV with its value and zero padding to a multiple of 4. */
export function writeTlv(w: Writer, type: number, value: Uint8Array): void {
  w.u16(type).u16(value.length + 4).bytes(value);
  const pad = (4 - (value.length & 3)) & 3;
  if (pad) w.zeros(pad);
}

/** Writes a TLV whose value is produced by `body`, patching the length afterwards. */
export function writeTlvWith(w: Writer, type: number, body: (w: Writer) => void): void {
  const start = w.length;
  w.u16(type);
  const lenAt = w.reserve(2);
  body(w);
  const len = w.length - start;
  w.setU16At(lenAt, len);
  const pad = (4 - (len & 3)) & 3;
  if (pad) w.zeros(pad);
}

/** Big-endian helpers over a value view (decoders check lengths first). */
export function u16At(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}
export function u32At(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

/** Throws a ParseError unless `value` has exactly (or, with `atLeast`, at least) `n` bytes. */
export function needLength(value: Uint8Array, n: number, code: string, atLeast = false): void {
  if (atLeast ? value.length < n : value.length !== n) {
    throw new ParseError(code, `value is ${value.length} bytes, expected ${atLeast ? '>= ' : ''}${n}`, 0);
  }
}

/** Reads the u16 stream list of a reset request from `from` to the end (RFC 6525 §4.1, §4.2). */
export function streamList(value: Uint8Array, from: number, code: string): number[] {
  if ((value.length - from) % 2 !== 0) throw new ParseError(code, 'odd stream list length', from);
  const ids: number[] = [];
  for (let o = from; o + 2 <= value.length; o += 2) ids.push(u16At(value, o));
  return ids;
}
