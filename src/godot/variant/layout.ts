import type { StructName } from './types.js';
import { VariantType } from './types.js';

/**
 * Wire layout of the fixed-size math types (godotengine/godot core/io/marshalls.cpp, Godot 4.x):
 *
 *   0               4                                   4 + n*size
 *   +---------------+-----------------------------------+
 *   | header u32 LE | n components, little-endian       |
 *   +---------------+-----------------------------------+
 *   header = Variant::Type | HEADER_DATA_FLAG_64 (1<<16) when the reals are float64
 *
 * `real` types use real_t (float32 in default builds, float64 with the flag); `int` types int32;
 * Color is always float32 ("Colors should always be in single-precision").
 */
export interface StructLayout {
  readonly name: StructName;
  readonly id: number;
  readonly kind: 'real' | 'int' | 'f32';
  /** Named fields in wire order, or a single `m` array of `count` reals. */
  readonly fields: readonly string[];
  readonly count: number;
}

function s(name: StructName, id: number, kind: StructLayout['kind'], fields: readonly string[] | number): StructLayout {
  return typeof fields === 'number'
    ? { name, id, kind, fields: [], count: fields }
    : { name, id, kind, fields, count: fields.length };
}

const XY = ['x', 'y'];
const XYZ = ['x', 'y', 'z'];
const XYZW = ['x', 'y', 'z', 'w'];
const RECT = ['x', 'y', 'width', 'height'];

export const STRUCTS: readonly StructLayout[] = [
  s('Vector2', VariantType.VECTOR2, 'real', XY),
  s('Vector2i', VariantType.VECTOR2I, 'int', XY),
  s('Rect2', VariantType.RECT2, 'real', RECT),
  s('Rect2i', VariantType.RECT2I, 'int', RECT),
  s('Vector3', VariantType.VECTOR3, 'real', XYZ),
  s('Vector3i', VariantType.VECTOR3I, 'int', XYZ),
  // Transform2D: columns[i][j], i = x, y, origin.
  s('Transform2D', VariantType.TRANSFORM2D, 'real', 6),
  s('Vector4', VariantType.VECTOR4, 'real', XYZW),
  s('Vector4i', VariantType.VECTOR4I, 'int', XYZW),
  s('Plane', VariantType.PLANE, 'real', ['x', 'y', 'z', 'd']),
  s('Quaternion', VariantType.QUATERNION, 'real', XYZW),
  s('AABB', VariantType.AABB, 'real', ['x', 'y', 'z', 'width', 'height', 'depth']),
  // Basis: rows[i][j]; Transform3D: basis rows then origin x, y, z; Projection: columns[i][j].
  s('Basis', VariantType.BASIS, 'real', 9),
  s('Transform3D', VariantType.TRANSFORM3D, 'real', 12),
  s('Projection', VariantType.PROJECTION, 'real', 16),
  s('Color', VariantType.COLOR, 'f32', ['r', 'g', 'b', 'a']),
];

export const STRUCT_BY_ID: ReadonlyMap<number, StructLayout> = new Map(STRUCTS.map((l) => [l.id, l]));
export const STRUCT_BY_NAME: ReadonlyMap<string, StructLayout> = new Map(STRUCTS.map((l) => [l.name, l]));

/** Components per element of the packed vector types. */
export const PACKED_VECTORS = {
  PackedVector2Array: { id: VariantType.PACKED_VECTOR2_ARRAY, width: 2, real: true },
  PackedVector3Array: { id: VariantType.PACKED_VECTOR3_ARRAY, width: 3, real: true },
  PackedVector4Array: { id: VariantType.PACKED_VECTOR4_ARRAY, width: 4, real: true },
  PackedColorArray: { id: VariantType.PACKED_COLOR_ARRAY, width: 4, real: false },
} as const;

export type PackedVectorName = keyof typeof PACKED_VECTORS;

export const PACKED_VECTOR_BY_ID: ReadonlyMap<number, PackedVectorName> = new Map(
  (Object.keys(PACKED_VECTORS) as PackedVectorName[]).map((k) => [PACKED_VECTORS[k].id, k]),
);

/** Header bits (marshalls.cpp): type in byte 0, flags in bytes 2-3. */
export const HEADER_TYPE_MASK = 0xff;
export const HEADER_DATA_FLAG_64 = 1 << 16;
export const HEADER_DATA_FLAG_OBJECT_AS_ID = 1 << 16;
export const TYPED_ARRAY_SHIFT = 16;
export const TYPED_DICT_KEY_SHIFT = 16;
export const TYPED_DICT_VALUE_SHIFT = 18;
export const CONTAINER_KIND = { NONE: 0, BUILTIN: 1, CLASS_NAME: 2, SCRIPT: 3 } as const;
/** Godot's Variant::MAX_RECURSION_DEPTH. */
export const MAX_RECURSION_DEPTH = 1024;
