import { utf8 } from '../../core/bytes/hex.js';
import { LeWriter, VariantEncodeError } from './cursor.js';
import type { GodotErrorCode } from '../../facade/godot-errors.js';
import { GodotError } from '../../facade/godot-errors.js';
import {
  CONTAINER_KIND, HEADER_DATA_FLAG_64, HEADER_DATA_FLAG_OBJECT_AS_ID, MAX_RECURSION_DEPTH, PACKED_VECTORS,
  STRUCT_BY_NAME, TYPED_ARRAY_SHIFT, TYPED_DICT_KEY_SHIFT, TYPED_DICT_VALUE_SHIFT, type PackedVectorName,
  type StructLayout,
} from './layout.js';
import type {
  ContainerType, GdFullObject, GdNodePath, GdPackedVectors, GdStruct, GdTypedArray, GdTypedDictionary, Variant,
} from './types.js';
import { VariantType as T } from './types.js';

/**
 * Godot 4 `var_to_bytes` / PacketPeer `put_var` (godotengine/godot core/io/marshalls.cpp,
 * encode_variant), byte for byte: ints take the 64-bit flag only outside int32, floats only when
 * float32 would change them, math types use real_t (float32 unless `doublePrecision`).
 */
export interface EncodeOptions {
  /** Encode `GdFullObject` values (`full_objects=true`); otherwise they are refused. */
  readonly fullObjects?: boolean;
  /** real_t is float64 (a Godot build with precision=double): math types get the 64-bit flag. */
  readonly doublePrecision?: boolean;
  readonly maxDepth?: number;
  /** Output size limit (PacketPeer encode_buffer_max_size); beyond it ERR_OUT_OF_MEMORY. */
  readonly maxSize?: number;
}

export type EncodeResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: GodotErrorCode; readonly message: string };

interface Ctx {
  readonly w: LeWriter;
  readonly fullObjects: boolean;
  readonly wide: boolean;
  readonly maxDepth: number;
}

/** Encodes `value`; never throws for an unencodable value (it returns the Godot error). */
export function encodeVariant(value: Variant, opts: EncodeOptions = {}): EncodeResult {
  const ctx: Ctx = {
    w: new LeWriter(opts.maxSize),
    fullObjects: opts.fullObjects ?? false,
    wide: opts.doublePrecision ?? false,
    maxDepth: opts.maxDepth ?? MAX_RECURSION_DEPTH,
  };
  try {
    writeValue(ctx, value, 0);
    return { ok: true, bytes: ctx.w.toBytes() };
  } catch (e: unknown) {
    if (e instanceof VariantEncodeError) return { ok: false, error: e.godotError, message: e.message };
    throw e;
  }
}

function refuse(message: string, code: GodotErrorCode = GodotError.ERR_INVALID_PARAMETER): never {
  throw new VariantEncodeError(code, message);
}

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

function writeInt(w: LeWriter, v: number | bigint): void {
  const b = BigInt(v);
  if (b < -(1n << 63n) || b >= 1n << 63n) refuse(`int ${b} does not fit in 64 bits`);
  if (b < BigInt(INT32_MIN) || b > BigInt(INT32_MAX)) {
    w.u32(T.INT | HEADER_DATA_FLAG_64);
    w.i64(b);
  } else {
    w.u32(T.INT);
    w.u32(Number(b));
  }
}

function writeFloat(w: LeWriter, v: number): void {
  // Godot: `float f = d; if (double(f) != d) header |= HEADER_DATA_FLAG_64;` (NaN compares unequal).
  const f = Math.fround(v);
  if (f !== v) {
    w.u32(T.FLOAT | HEADER_DATA_FLAG_64);
    w.f64(v);
  } else {
    w.u32(T.FLOAT);
    w.f32(v);
  }
}

/** Godot string body: u32 byte length, UTF-8, zero padding to 4. */
export function writeGodotString(w: LeWriter, s: string): void {
  const b = utf8(s);
  w.u32(b.length);
  w.bytes(b);
  w.pad4();
}

function writeValue(ctx: Ctx, v: Variant, depth: number): void {
  const { w } = ctx;
  if (depth > ctx.maxDepth) refuse('Potential infinite recursion detected', GodotError.ERR_OUT_OF_MEMORY);
  if (v === null) return w.u32(T.NIL);
  switch (typeof v) {
    case 'boolean':
      w.u32(T.BOOL);
      return w.u32(v ? 1 : 0);
    case 'number':
      return Number.isSafeInteger(v) ? writeInt(w, v) : writeFloat(w, v);
    case 'bigint':
      return writeInt(w, v);
    case 'string':
      w.u32(T.STRING);
      return writeGodotString(w, v);
    default:
      return writeObjectLike(ctx, v, depth);
  }
}

type Tagged = Exclude<Variant, null | boolean | number | bigint | string | readonly Variant[] | ReadonlyMap<Variant, Variant> | Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array>;

function writeObjectLike(ctx: Ctx, v: Exclude<Variant, null | boolean | number | bigint | string>, depth: number): void {
  const { w } = ctx;
  if (Array.isArray(v)) {
    w.u32(T.ARRAY);
    return writeItems(ctx, v as readonly Variant[], depth);
  }
  if (v instanceof Map) return writeDictionary(ctx, null, null, v, depth);
  if (v instanceof Uint8Array) return writePackedBytes(w, v);
  if (v instanceof Int32Array) return writePacked(w, T.PACKED_INT32_ARRAY, v, (x) => w.u32(x));
  if (v instanceof BigInt64Array) return writePacked(w, T.PACKED_INT64_ARRAY, v, (x) => w.i64(x));
  if (v instanceof Float32Array) return writePacked(w, T.PACKED_FLOAT32_ARRAY, v, (x) => w.f32(x));
  if (v instanceof Float64Array) return writePacked(w, T.PACKED_FLOAT64_ARRAY, v, (x) => w.f64(x));
  const tagged = v as Tagged;
  const writer = typeof tagged === 'object' && 'type' in tagged ? TAGGED[tagged.type] : undefined;
  if (!writer) return refuse(`not a Godot Variant: ${describe(v)}`);
  writer(ctx, tagged, depth);
}

function describe(v: unknown): string {
  const t = (v as { type?: unknown }).type;
  return typeof t === 'string' ? `type "${t}"` : Object.prototype.toString.call(v);
}

function writePackedBytes(w: LeWriter, b: Uint8Array): void {
  w.u32(T.PACKED_BYTE_ARRAY);
  w.u32(b.length);
  w.bytes(b);
  w.pad4();
}

function writePacked<X>(w: LeWriter, type: number, data: ArrayLike<X>, put: (x: X) => void): void {
  w.u32(type);
  w.u32(data.length);
  for (let i = 0; i < data.length; i++) put(data[i] as X);
}

function writeItems(ctx: Ctx, items: readonly Variant[], depth: number): void {
  ctx.w.u32(items.length);
  for (const item of items) writeValue(ctx, item, depth + 1);
}

/** Container type kind for the header, per _encode_container_type_header. */
function containerKind(ct: ContainerType | null, fullObjects: boolean): number {
  if (!ct) return CONTAINER_KIND.NONE;
  if (ct.kind === 'builtin') return CONTAINER_KIND.BUILTIN;
  return ct.kind === 'script' && fullObjects ? CONTAINER_KIND.SCRIPT : CONTAINER_KIND.CLASS_NAME;
}

function writeContainerType(ctx: Ctx, ct: ContainerType | null): void {
  if (!ct) return;
  if (ct.kind === 'builtin') return ctx.w.u32(ct.variantType);
  if (!ctx.fullObjects) return writeGodotString(ctx.w, 'EncodedObjectAsID');
  writeGodotString(ctx.w, ct.kind === 'script' ? ct.path : ct.className);
}

function writeDictionary(
  ctx: Ctx, keyType: ContainerType | null, valueType: ContainerType | null,
  entries: ReadonlyMap<Variant, Variant>, depth: number,
): void {
  const { w } = ctx;
  w.u32(T.DICTIONARY | (containerKind(keyType, ctx.fullObjects) << TYPED_DICT_KEY_SHIFT)
    | (containerKind(valueType, ctx.fullObjects) << TYPED_DICT_VALUE_SHIFT));
  writeContainerType(ctx, keyType);
  writeContainerType(ctx, valueType);
  w.u32(entries.size);
  for (const [k, val] of entries) {
    writeValue(ctx, k, depth + 1);
    writeValue(ctx, val, depth + 1);
  }
}

function writeStruct(ctx: Ctx, s: GdStruct): void {
  const layout = STRUCT_BY_NAME.get(s.type) as StructLayout;
  const wide = layout.kind === 'real' && ctx.wide;
  const values = layout.fields.length === 0 ? s['m'] : layout.fields.map((f) => s[f]);
  if (!Array.isArray(values) || values.length !== layout.count || values.some((x) => typeof x !== 'number')) {
    refuse(`${layout.name} needs ${layout.count} numbers (${layout.fields.join(', ') || 'm'})`);
  }
  ctx.w.u32(layout.id | (wide ? HEADER_DATA_FLAG_64 : 0));
  for (const x of values as number[]) {
    if (layout.kind === 'int') ctx.w.u32(x);
    else if (wide) ctx.w.f64(x);
    else ctx.w.f32(x);
  }
}

function writeNodePath(w: LeWriter, p: GdNodePath): void {
  w.u32(T.NODE_PATH);
  w.u32((p.names.length | 0x80000000) >>> 0);
  w.u32(p.subnames.length);
  w.u32(p.absolute ? 1 : 0);
  for (const s of [...p.names, ...p.subnames]) writeGodotString(w, s);
}

function writeFullObject(ctx: Ctx, o: GdFullObject, depth: number): void {
  if (!ctx.fullObjects) refuse('full objects need fullObjects: true');
  ctx.w.u32(T.OBJECT);
  writeGodotString(ctx.w, o.className);
  if (o.className === '') return;
  ctx.w.u32(o.properties.length);
  for (const [name, value] of o.properties) {
    writeGodotString(ctx.w, name);
    writeValue(ctx, value, depth + 1);
  }
}

function writePackedVectors(ctx: Ctx, p: GdPackedVectors): void {
  const { id, width, real } = PACKED_VECTORS[p.type as PackedVectorName];
  if (p.data.length % width !== 0) refuse(`${p.type} data length must be a multiple of ${width}`);
  const wide = real && ctx.wide;
  ctx.w.u32(id | (wide ? HEADER_DATA_FLAG_64 : 0));
  ctx.w.u32(p.data.length / width);
  for (const x of p.data) {
    if (wide) ctx.w.f64(x);
    else ctx.w.f32(x);
  }
}

type TaggedWriter = (ctx: Ctx, v: Tagged, depth: number) => void;

const structWriter: TaggedWriter = (ctx, v) => writeStruct(ctx, v as GdStruct);

const TAGGED: Partial<Record<string, TaggedWriter>> = {
  float: (ctx, v) => writeFloat(ctx.w, (v as { value: number }).value),
  StringName: (ctx, v) => {
    ctx.w.u32(T.STRING_NAME);
    writeGodotString(ctx.w, (v as { value: string }).value);
  },
  NodePath: (ctx, v) => writeNodePath(ctx.w, v as GdNodePath),
  RID: (ctx, v) => {
    ctx.w.u32(T.RID);
    ctx.w.i64((v as { id: bigint }).id);
  },
  Object: (ctx, v, depth) => {
    if (!('id' in v)) return writeFullObject(ctx, v as GdFullObject, depth);
    ctx.w.u32(T.OBJECT | HEADER_DATA_FLAG_OBJECT_AS_ID);
    ctx.w.i64((v as { id: bigint }).id);
  },
  Callable: (ctx) => ctx.w.u32(T.CALLABLE),
  Signal: (ctx, v) => {
    const s = v as { name: string; objectId: bigint };
    ctx.w.u32(T.SIGNAL);
    writeGodotString(ctx.w, s.name);
    ctx.w.i64(s.objectId);
  },
  Array: (ctx, v, depth) => {
    const a = v as GdTypedArray;
    ctx.w.u32(T.ARRAY | (containerKind(a.elementType, ctx.fullObjects) << TYPED_ARRAY_SHIFT));
    writeContainerType(ctx, a.elementType);
    writeItems(ctx, a.items, depth);
  },
  Dictionary: (ctx, v, depth) => {
    const d = v as GdTypedDictionary;
    writeDictionary(ctx, d.keyType, d.valueType, d.entries, depth);
  },
  PackedStringArray: (ctx, v) => {
    const values = (v as { values: readonly string[] }).values;
    ctx.w.u32(T.PACKED_STRING_ARRAY);
    ctx.w.u32(values.length);
    for (const s of values) writeGodotString(ctx.w, s);
  },
};
for (const name of STRUCT_BY_NAME.keys()) TAGGED[name] = structWriter;
for (const name of Object.keys(PACKED_VECTORS)) TAGGED[name] = (ctx, v) => writePackedVectors(ctx, v as GdPackedVectors);
