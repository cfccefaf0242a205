import { LeReader, VariantDecodeError } from './cursor.js';
import {
  readGodotString, readPackedBytes, readPackedFloat32, readPackedFloat64, readPackedInt32, readPackedInt64,
  readPackedStrings, readPackedVectors,
} from './decode-packed.js';
import type { GodotErrorCode } from '../../facade/godot-errors.js';
import { GodotError } from '../../facade/godot-errors.js';
import {
  CONTAINER_KIND, HEADER_DATA_FLAG_64, HEADER_DATA_FLAG_OBJECT_AS_ID, HEADER_TYPE_MASK, MAX_RECURSION_DEPTH,
  PACKED_VECTOR_BY_ID, STRUCT_BY_ID, TYPED_ARRAY_SHIFT, TYPED_DICT_KEY_SHIFT, TYPED_DICT_VALUE_SHIFT,
  type StructLayout,
} from './layout.js';
import type { ContainerType, GdStruct, Variant } from './types.js';
import { VariantType as T } from './types.js';

/**
 * Godot 4 `bytes_to_var` / PacketPeer `get_var` (godotengine/godot core/io/marshalls.cpp,
 * decode_variant). Every value starts with a 4-byte little-endian header:
 *
 *   byte 0: Variant::Type   byte 1: unused   bytes 2-3: flags (64-bit reals/ints, object-as-id,
 *                                                        typed-container kinds)
 *
 * Never throws for bad input: it returns the Godot Error that decode_variant returns there.
 */
export interface DecodeOptions {
  /** Accept full objects (`allow_objects`); otherwise they give ERR_UNAUTHORIZED as in Godot. */
  readonly allowObjects?: boolean;
  /** Nesting limit; deeper input gives ERR_OUT_OF_MEMORY (Godot: Variant::MAX_RECURSION_DEPTH). */
  readonly maxDepth?: number;
}

export type DecodeResult =
  | { readonly ok: true; readonly value: Variant; readonly length: number }
  | { readonly ok: false; readonly error: GodotErrorCode; readonly message: string; readonly offset: number };

interface Ctx {
  readonly r: LeReader;
  readonly allowObjects: boolean;
  readonly maxDepth: number;
}

/** Decodes one Variant from the start of `bytes` (trailing bytes are ignored, as Godot does). */
export function decodeVariant(bytes: Uint8Array, opts: DecodeOptions = {}): DecodeResult {
  const ctx: Ctx = {
    r: new LeReader(bytes),
    allowObjects: opts.allowObjects ?? false,
    maxDepth: opts.maxDepth ?? MAX_RECURSION_DEPTH,
  };
  try {
    const value = readValue(ctx, 0);
    return { ok: true, value, length: ctx.r.offset };
  } catch (e: unknown) {
    if (e instanceof VariantDecodeError) return { ok: false, error: e.godotError, message: e.message, offset: e.offset };
    throw e;
  }
}

type Decoder = (ctx: Ctx, header: number, depth: number) => Variant;

function readValue(ctx: Ctx, depth: number): Variant {
  const { r } = ctx;
  if (depth > ctx.maxDepth) r.fail(GodotError.ERR_OUT_OF_MEMORY, 'Variant is too deep');
  const header = r.u32();
  const type = header & HEADER_TYPE_MASK;
  const layout = STRUCT_BY_ID.get(type);
  if (layout) return readStruct(r, layout, header);
  const packed = PACKED_VECTOR_BY_ID.get(type);
  if (packed) return readPackedVectors(r, packed, header);
  const decoder = DECODERS[type];
  if (!decoder) return r.fail(GodotError.ERR_INVALID_DATA, `unknown Variant type ${type}`);
  return decoder(ctx, header, depth);
}

/** An int: a JS number when it is a safe integer, else a bigint. */
export function intValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A float: a JS number, tagged when integral so it does not come back as an int. */
export function floatValue(v: number): Variant {
  return Number.isInteger(v) ? { type: 'float', value: v } : v;
}

function readStruct(r: LeReader, layout: StructLayout, header: number): GdStruct {
  const wide = layout.kind === 'real' && (header & HEADER_DATA_FLAG_64) !== 0;
  const size = layout.kind === 'int' ? 4 : wide ? 8 : 4;
  if (layout.count * size > r.remaining) r.fail(GodotError.ERR_INVALID_DATA, `${layout.name} is truncated`);
  const values: number[] = [];
  for (let i = 0; i < layout.count; i++) values.push(layout.kind === 'int' ? r.i32() : wide ? r.f64() : r.f32());
  if (layout.fields.length === 0) return { type: layout.name, m: values };
  const out: Record<string, number | string> = { type: layout.name };
  layout.fields.forEach((f, i) => (out[f] = values[i] as number));
  return out as unknown as GdStruct;
}

function readContainerType(ctx: Ctx, kind: number): ContainerType | null {
  switch (kind) {
    case CONTAINER_KIND.NONE:
      return null;
    case CONTAINER_KIND.BUILTIN: {
      const bt = ctx.r.i32();
      if (bt < 0 || bt >= T.VARIANT_MAX) ctx.r.fail(GodotError.ERR_INVALID_DATA, `bad container type ${bt}`);
      return bt === T.NIL ? null : { kind: 'builtin', variantType: bt };
    }
    case CONTAINER_KIND.CLASS_NAME:
      return { kind: 'class', className: readGodotString(ctx.r) };
    default:
      return { kind: 'script', path: readGodotString(ctx.r) };
  }
}

/** Element count of Array/Dictionary (bit 31 is the obsolete "shared" flag, masked off). */
function containerCount(r: LeReader, minElementBytes: number): number {
  const count = r.u32() & 0x7fffffff;
  if (count * minElementBytes > r.remaining) r.fail(GodotError.ERR_INVALID_DATA, `${count} elements cannot fit`);
  return count;
}

function readArray(ctx: Ctx, header: number, depth: number): Variant {
  const elementType = readContainerType(ctx, (header >>> TYPED_ARRAY_SHIFT) & 3);
  const count = containerCount(ctx.r, 4);
  const items: Variant[] = [];
  for (let i = 0; i < count; i++) items.push(readValue(ctx, depth + 1));
  return elementType ? { type: 'Array', elementType, items } : items;
}

function readDictionary(ctx: Ctx, header: number, depth: number): Variant {
  const keyType = readContainerType(ctx, (header >>> TYPED_DICT_KEY_SHIFT) & 3);
  const valueType = readContainerType(ctx, (header >>> TYPED_DICT_VALUE_SHIFT) & 3);
  const count = containerCount(ctx.r, 8);
  const entries = new Map<Variant, Variant>();
  for (let i = 0; i < count; i++) {
    const k = readValue(ctx, depth + 1);
    entries.set(k, readValue(ctx, depth + 1));
  }
  return keyType || valueType ? { type: 'Dictionary', keyType, valueType, entries } : entries;
}

function readObject(ctx: Ctx, header: number, depth: number): Variant {
  const { r } = ctx;
  if (header & HEADER_DATA_FLAG_OBJECT_AS_ID) return { type: 'Object', id: r.u64() };
  if (!ctx.allowObjects) r.fail(GodotError.ERR_UNAUTHORIZED, 'full objects are not allowed (allowObjects=false)');
  const className = readGodotString(r);
  const properties: (readonly [string, Variant])[] = [];
  if (className === '') return { type: 'Object', className, properties };
  const count = r.i32();
  if (count * 8 > r.remaining) r.fail(GodotError.ERR_INVALID_DATA, `${count} properties cannot fit`);
  for (let i = 0; i < count; i++) {
    const name = readGodotString(r);
    properties.push([name, readValue(ctx, depth + 1)]);
  }
  return { type: 'Object', className, properties };
}

function readNodePath(ctx: Ctx): Variant {
  const { r } = ctx;
  const first = r.u32();
  // Only the "new format" (bit 31 set) exists in Godot 4; the old one is ERR_INVALID_DATA.
  if ((first & 0x80000000) === 0) r.fail(GodotError.ERR_INVALID_DATA, 'old NodePath format');
  const nameCount = first & 0x7fffffff;
  let subCount = r.u32();
  const flags = r.u32();
  if (flags & 2) subCount++; // Obsolete format with the property separate from the subpath.
  if ((nameCount + subCount) * 4 > r.remaining) r.fail(GodotError.ERR_INVALID_DATA, 'NodePath names cannot fit');
  const names: string[] = [];
  const subnames: string[] = [];
  for (let i = 0; i < nameCount + subCount; i++) (i < nameCount ? names : subnames).push(readGodotString(r));
  return { type: 'NodePath', names, subnames, absolute: (flags & 1) !== 0 };
}

const DECODERS: Partial<Record<number, Decoder>> = {
  [T.NIL]: () => null,
  [T.BOOL]: ({ r }) => r.u32() !== 0,
  [T.INT]: ({ r }, h) => ((h & HEADER_DATA_FLAG_64) !== 0 ? intValue(r.i64()) : r.i32()),
  [T.FLOAT]: ({ r }, h) => floatValue((h & HEADER_DATA_FLAG_64) !== 0 ? r.f64() : r.f32()),
  [T.STRING]: ({ r }) => readGodotString(r),
  [T.STRING_NAME]: ({ r }) => ({ type: 'StringName', value: readGodotString(r) }),
  [T.NODE_PATH]: readNodePath,
  [T.RID]: ({ r }) => ({ type: 'RID', id: r.u64() }),
  [T.OBJECT]: readObject,
  [T.CALLABLE]: () => ({ type: 'Callable' }),
  [T.SIGNAL]: ({ r }) => ({ type: 'Signal', name: readGodotString(r), objectId: r.u64() }),
  [T.DICTIONARY]: readDictionary,
  [T.ARRAY]: readArray,
  [T.PACKED_BYTE_ARRAY]: ({ r }) => readPackedBytes(r),
  [T.PACKED_INT32_ARRAY]: ({ r }) => readPackedInt32(r),
  [T.PACKED_INT64_ARRAY]: ({ r }) => readPackedInt64(r),
  [T.PACKED_FLOAT32_ARRAY]: ({ r }) => readPackedFloat32(r),
  [T.PACKED_FLOAT64_ARRAY]: ({ r }) => readPackedFloat64(r),
  [T.PACKED_STRING_ARRAY]: ({ r }) => readPackedStrings(r),
};
