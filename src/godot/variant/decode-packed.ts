import type { LeReader } from './cursor.js';
import { GodotError } from '../../facade/godot-errors.js';
import { HEADER_DATA_FLAG_64, PACKED_VECTORS, type PackedVectorName } from './layout.js';
import type { GdPackedStringArray, GdPackedVectors } from './types.js';

/**
 * Decoders of the Packed*Array types (marshalls.cpp decode_variant, "Packed arrays"):
 *
 *   +---------------+--------------+------------------------------------------------+
 *   | header u32 LE | count i32 LE | count elements (bytes padded to 4; strings are |
 *   |               |              | each length + UTF-8 + pad)                     |
 *   +---------------+--------------+------------------------------------------------+
 *
 * A count below zero or larger than the bytes left is ERR_INVALID_DATA, checked before allocating.
 */

/** Reads the element count and checks `count * elementSize` fits in what is left. */
function checkedCount(r: LeReader, elementSize: number): number {
  const count = r.i32();
  if (count < 0 || count * elementSize > r.remaining) {
    r.fail(GodotError.ERR_INVALID_DATA, `packed array of ${count} x ${elementSize} bytes overruns the input`);
  }
  return count;
}

/** Godot string: u32 length, UTF-8 bytes, zero padding to 4. Overrun → ERR_FILE_EOF as in _decode_string. */
export function readGodotString(r: LeReader): string {
  const len = r.i32();
  const pad = len % 4 === 0 ? 0 : 4 - (len % 4);
  if (len < 0 || len + pad > r.remaining) r.fail(GodotError.ERR_FILE_EOF, `string of ${len} bytes overruns the input`);
  const raw = r.bytes(len);
  r.need(pad);
  const s = decodeUtf8(raw);
  if (s === undefined) r.fail(GodotError.ERR_INVALID_DATA, 'string is not valid UTF-8');
  return s;
}

const strict = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(raw: Uint8Array): string | undefined {
  try {
    return strict.decode(raw);
  } catch (e: unknown) {
    if (e instanceof TypeError) return undefined;
    throw e;
  }
}

export function readPackedBytes(r: LeReader): Uint8Array {
  const count = checkedCount(r, 1);
  const out = r.bytes(count).slice();
  // Godot counts the padding in r_len without checking it is present: skip what is there.
  const pad = count % 4 === 0 ? 0 : 4 - (count % 4);
  r.need(Math.min(pad, r.remaining));
  return out;
}

function fill<A extends { readonly length: number; [i: number]: number | bigint }>(a: A, next: () => A[number]): A {
  for (let i = 0; i < a.length; i++) a[i] = next();
  return a;
}

export function readPackedInt32(r: LeReader): Int32Array {
  return fill(new Int32Array(checkedCount(r, 4)), () => r.i32());
}

export function readPackedInt64(r: LeReader): BigInt64Array {
  return fill(new BigInt64Array(checkedCount(r, 8)), () => r.i64());
}

export function readPackedFloat32(r: LeReader): Float32Array {
  return fill(new Float32Array(checkedCount(r, 4)), () => r.f32());
}

export function readPackedFloat64(r: LeReader): Float64Array {
  return fill(new Float64Array(checkedCount(r, 8)), () => r.f64());
}

export function readPackedStrings(r: LeReader): GdPackedStringArray {
  // A negative count gives an empty array in Godot (the loop never runs).
  const count = r.i32();
  if (count * 4 > r.remaining) r.fail(GodotError.ERR_INVALID_DATA, `${count} strings cannot fit in the input`);
  const values: string[] = [];
  for (let i = 0; i < count; i++) values.push(readGodotString(r));
  return { type: 'PackedStringArray', values };
}

export function readPackedVectors(r: LeReader, name: PackedVectorName, header: number): GdPackedVectors {
  const { width, real } = PACKED_VECTORS[name];
  const wide = real && (header & HEADER_DATA_FLAG_64) !== 0;
  const count = checkedCount(r, width * (wide ? 8 : 4));
  const data = new Float64Array(count * width);
  for (let i = 0; i < data.length; i++) data[i] = wide ? r.f64() : r.f32();
  return { type: name, data };
}
