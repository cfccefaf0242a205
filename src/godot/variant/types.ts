/**
 * The JS shape of Godot 4 `Variant` values as carried by `var_to_bytes` / `bytes_to_var` (PacketPeer
 * `put_var` / `get_var`). Every Godot type maps to exactly one JS shape so that decode→encode gives
 * the same bytes back:
 *
 * | Godot type            | JS value                                                              |
 * |-----------------------|-----------------------------------------------------------------------|
 * | null (NIL)            | `null`                                                                |
 * | bool                  | `boolean`                                                             |
 * | int                   | `number` when a safe integer, else `bigint` (decode); either (encode)  |
 * | float                 | `number` when not integral; `GdFloat` (`{type:'float'}`) when integral  |
 * | String                | `string`                                                              |
 * | Vector2/3/4, Rect2... | tagged records `{ type: 'Vector2', x, y }` (see `GdStruct`)          |
 * | Array                 | JS `Variant[]`; typed arrays as `GdTypedArray`                          |
 * | Dictionary            | `Map<Variant, Variant>`; typed dictionaries as `GdTypedDictionary`      |
 * | PackedByteArray       | `Uint8Array`      | PackedInt32Array `Int32Array` | PackedInt64Array `BigInt64Array` |
 * | PackedFloat32Array    | `Float32Array`    | PackedFloat64Array `Float64Array`                  |
 * | PackedStringArray, PackedVector2/3/4Array, PackedColorArray | tagged records with flat data   |
 *
 * Encoding rule for JS numbers: an integral safe `number` is a Godot int, any other `number`
 * (fractional, NaN, ±Infinity) is a float. Wrap with `gdFloat(x)` to force a float for 2.0.
 */

/** Godot 4 `Variant::Type` values (core/variant/variant.h), the low byte of every header. */
export const VariantType = {
  NIL: 0, BOOL: 1, INT: 2, FLOAT: 3, STRING: 4,
  VECTOR2: 5, VECTOR2I: 6, RECT2: 7, RECT2I: 8, VECTOR3: 9, VECTOR3I: 10, TRANSFORM2D: 11,
  VECTOR4: 12, VECTOR4I: 13, PLANE: 14, QUATERNION: 15, AABB: 16, BASIS: 17, TRANSFORM3D: 18,
  PROJECTION: 19, COLOR: 20, STRING_NAME: 21, NODE_PATH: 22, RID: 23, OBJECT: 24, CALLABLE: 25,
  SIGNAL: 26, DICTIONARY: 27, ARRAY: 28, PACKED_BYTE_ARRAY: 29, PACKED_INT32_ARRAY: 30,
  PACKED_INT64_ARRAY: 31, PACKED_FLOAT32_ARRAY: 32, PACKED_FLOAT64_ARRAY: 33, PACKED_STRING_ARRAY: 34,
  PACKED_VECTOR2_ARRAY: 35, PACKED_VECTOR3_ARRAY: 36, PACKED_COLOR_ARRAY: 37, PACKED_VECTOR4_ARRAY: 38,
  VARIANT_MAX: 39,
} as const;

/** A float that happens to be integral (so it is not mistaken for an int). */
export interface GdFloat {
  readonly type: 'float';
  readonly value: number;
}

/** Fixed-size math types made of real_t (float32, or float64 with the 64-bit header flag). */
export type RealStructName =
  | 'Vector2' | 'Rect2' | 'Vector3' | 'Transform2D' | 'Vector4' | 'Plane' | 'Quaternion' | 'AABB'
  | 'Basis' | 'Transform3D' | 'Projection';
/** Fixed-size math types made of int32. */
export type IntStructName = 'Vector2i' | 'Rect2i' | 'Vector3i' | 'Vector4i';
export type StructName = RealStructName | IntStructName | 'Color';

/**
 * A math value. Field names per type are listed in `STRUCT_FIELDS` (layout.ts): vectors `x y z w`,
 * Rect2 `x y width height`, Plane `x y z d`, Color `r g b a`, AABB `x y z width height depth`, and the
 * matrices carry `m`, their reals in wire order (Transform2D columns, Basis/Transform3D rows then
 * origin, Projection columns).
 */
export interface GdStruct {
  readonly type: StructName;
  readonly [field: string]: number | string | readonly number[];
}

export interface GdStringName {
  readonly type: 'StringName';
  readonly value: string;
}

export interface GdNodePath {
  readonly type: 'NodePath';
  readonly names: readonly string[];
  readonly subnames: readonly string[];
  readonly absolute: boolean;
}

export interface GdRid {
  readonly type: 'RID';
  readonly id: bigint;
}

/** An object sent as its instance id (`full_objects=false`): Godot's EncodedObjectAsID. Id 0 = null. */
export interface GdObjectId {
  readonly type: 'Object';
  readonly id: bigint;
}

/** A full object (`full_objects=true`): class name and stored properties. Refused unless allowed. */
export interface GdFullObject {
  readonly type: 'Object';
  readonly className: string;
  readonly properties: readonly (readonly [string, Variant])[];
}

export interface GdCallable {
  readonly type: 'Callable';
}

export interface GdSignal {
  readonly type: 'Signal';
  readonly name: string;
  readonly objectId: bigint;
}

/** Element type of a typed container (Godot 4.4+ header bits). */
export type ContainerType =
  | { readonly kind: 'builtin'; readonly variantType: number }
  | { readonly kind: 'class'; readonly className: string }
  | { readonly kind: 'script'; readonly path: string };

export interface GdTypedArray {
  readonly type: 'Array';
  readonly elementType: ContainerType;
  readonly items: readonly Variant[];
}

export interface GdTypedDictionary {
  readonly type: 'Dictionary';
  readonly keyType: ContainerType | null;
  readonly valueType: ContainerType | null;
  readonly entries: ReadonlyMap<Variant, Variant>;
}

export interface GdPackedStringArray {
  readonly type: 'PackedStringArray';
  readonly values: readonly string[];
}

/** Packed vectors/colours: flat component data (x,y[,z[,w]] or r,g,b,a per element). */
export interface GdPackedVectors {
  readonly type: 'PackedVector2Array' | 'PackedVector3Array' | 'PackedVector4Array' | 'PackedColorArray';
  readonly data: Float64Array;
}

export type Variant =
  | null | boolean | number | bigint | string
  | GdFloat | GdStruct | GdStringName | GdNodePath | GdRid | GdObjectId | GdFullObject | GdCallable
  | GdSignal | GdTypedArray | GdTypedDictionary | GdPackedStringArray | GdPackedVectors
  | readonly Variant[] | ReadonlyMap<Variant, Variant>
  | Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** Forces a Godot float even when `value` is integral. */
export function gdFloat(value: number): GdFloat {
  return { type: 'float', value };
}

/** A StringName. */
export function stringName(value: string): GdStringName {
  return { type: 'StringName', value };
}

/** Parses a Godot node path string such as `/root/Main:position:x` (absolute, names, subnames). */
export function nodePath(path: string): GdNodePath {
  const absolute = path.startsWith('/');
  const [main = '', ...subnames] = (absolute ? path.slice(1) : path).split(':');
  const names = main === '' ? [] : main.split('/');
  return { type: 'NodePath', names, subnames, absolute };
}
