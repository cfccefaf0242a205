import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../core/bytes/hex.js';
import { decodeVariant } from './decode.js';
import { encodeVariant } from './encode.js';
import { GodotError } from '../../facade/godot-errors.js';
import { gdFloat, nodePath, stringName, type Variant } from './types.js';

function enc(v: Variant, opts = {}): string {
  const r = encodeVariant(v, opts);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return toHex(r.bytes);
}

function dec(hex: string, opts = {}): Variant {
  const r = decodeVariant(fromHex(hex), opts);
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(r.length, fromHex(hex).length);
  return r.value;
}

function decErr(hex: string, opts = {}): number {
  const r = decodeVariant(fromHex(hex), opts);
  assert.ok(!r.ok, 'expected a decode error');
  return r.error;
}

const BIG = BigInt.asIntN(64, 0xf123456789abcdefn);

// Byte vectors from Godot's own unit tests: godotengine/godot tests/core/io/test_marshalls.h
// @ 213cd35b48c93d5eabef075e4846f241ee4d61ff (see test/vectors/godot/SOURCES.md).
const GODOT_VECTORS: readonly (readonly [string, string, Variant])[] = [
  ['NIL Variant encoding', '00000000', null],
  ['INT 32 bit Variant encoding', '02000000 78563412', 0x12345678],
  ['INT 64 bit Variant encoding', '02000100 efcdab89674523f1', BIG],
  ['FLOAT single precision Variant encoding', '03000000 0000203e', 0.15625],
  ['FLOAT double precision Variant encoding', '03000100 555555555555d53f', 1 / 3],
  ['Typed array encoding', '1c000100 02000000 01000000 02000100 efcdab89674523f1',
    { type: 'Array', elementType: { kind: 'builtin', variantType: 2 }, items: [BIG] }],
  ['Typed dicttionary encoding',
    '1b000500 02000000 02000000 01000000 02000100 efcdab89674523f1 02000100 efcdab89674523f1',
    { type: 'Dictionary', keyType: { kind: 'builtin', variantType: 2 }, valueType: { kind: 'builtin', variantType: 2 },
      entries: new Map([[BIG, BIG]]) }],
];

// Vectors built by hand from the layouts in godotengine/godot core/io/marshalls.cpp (encode_variant),
// default single-precision build. Not captured from a Godot binary: see SOURCES.md.
const LAYOUT_VECTORS: readonly (readonly [string, string, Variant])[] = [
  ['bool true', '01000000 01000000', true],
  ['int -1 (32-bit)', '02000000 ffffffff', -1],
  ['int 2^31 (needs the 64-bit flag)', '02000100 0000008000000000', 2147483648],
  ['float 1.0 (integral float)', '03000000 0000803f', gdFloat(1)],
  ['String "Godot" padded to 4', '04000000 05000000 476f646f74000000', 'Godot'],
  ['String "é" (UTF-8)', '04000000 02000000 c3a90000', 'é'],
  ['Vector2(5, 5.5)', '05000000 0000a040 0000b040', { type: 'Vector2', x: 5, y: 5.5 }],
  ['Vector2i(-1, 2)', '06000000 ffffffff 02000000', { type: 'Vector2i', x: -1, y: 2 }],
  ['Rect2(5, 5.5, 1, 2)', '07000000 0000a040 0000b040 0000803f 00000040',
    { type: 'Rect2', x: 5, y: 5.5, width: 1, height: 2 }],
  ['Vector3i(1,2,3)', '0a000000 01000000 02000000 03000000', { type: 'Vector3i', x: 1, y: 2, z: 3 }],
  ['Transform2D identity', '0b000000 0000803f 00000000 00000000 0000803f 00000000 00000000',
    { type: 'Transform2D', m: [1, 0, 0, 1, 0, 0] }],
  ['Quaternion identity', '0f000000 00000000 00000000 00000000 0000803f', { type: 'Quaternion', x: 0, y: 0, z: 0, w: 1 }],
  ['Color(1,0,0,1)', '14000000 0000803f 00000000 00000000 0000803f', { type: 'Color', r: 1, g: 0, b: 0, a: 1 }],
  ['StringName "a"', '15000000 01000000 61000000', stringName('a')],
  ['NodePath "/root:x"', '16000000 01000080 01000000 01000000 04000000 726f6f74 01000000 78000000', nodePath('/root:x')],
  ['RID 5', '17000000 0500000000000000', { type: 'RID', id: 5n }],
  ['Object as id 7', '18000100 0700000000000000', { type: 'Object', id: 7n }],
  ['Callable', '19000000', { type: 'Callable' }],
  ['Array [1, "a"]', '1c000000 02000000 02000000 01000000 04000000 01000000 61000000', [1, 'a']],
  ['Dictionary {"k": true}', '1b000000 01000000 04000000 01000000 6b000000 01000000 01000000', new Map([['k', true]])],
  ['PackedByteArray [1,2,3]', '1d000000 03000000 01020300', new Uint8Array([1, 2, 3])],
  ['PackedInt32Array [1,-1]', '1e000000 02000000 01000000 ffffffff', new Int32Array([1, -1])],
  ['PackedInt64Array [-2]', '1f000000 01000000 feffffffffffffff', new BigInt64Array([-2n])],
  ['PackedFloat32Array [0.5]', '20000000 01000000 0000003f', new Float32Array([0.5])],
  ['PackedFloat64Array [0.5]', '21000000 01000000 000000000000e03f', new Float64Array([0.5])],
  ['PackedStringArray ["ab"]', '22000000 01000000 02000000 61620000', { type: 'PackedStringArray', values: ['ab'] }],
  ['PackedVector2Array [(1,2)]', '23000000 01000000 0000803f 00000040',
    { type: 'PackedVector2Array', data: new Float64Array([1, 2]) }],
  ['PackedColorArray [(0,0,0,1)]', '25000000 01000000 00000000 00000000 00000000 0000803f',
    { type: 'PackedColorArray', data: new Float64Array([0, 0, 0, 1]) }],
];

describe('Godot Variant encoding', () => {
  for (const [name, hex, value] of [...GODOT_VECTORS, ...LAYOUT_VECTORS]) {
    it(`${name}: encodes and decodes`, () => {
      assert.equal(enc(value), hex.replace(/\s/g, ''));
      assert.deepEqual(dec(hex), value);
    });
  }

  it('Godot "Invalid data Variant decoding": short buffer and out-of-range type give ERR_INVALID_DATA', () => {
    assert.equal(decErr('00'), GodotError.ERR_INVALID_DATA);
    assert.equal(decErr('ff000000'), GodotError.ERR_INVALID_DATA);
  });

  it('math types take the 64-bit flag in a double-precision build and decode either width', () => {
    const v: Variant = { type: 'Vector2', x: 0.1, y: 2 };
    const hex = enc(v, { doublePrecision: true });
    assert.equal(hex, '05000100' + '9a9999999999b93f' + '0000000000000040');
    assert.deepEqual(dec(hex), v);
    // Colors stay float32 even then.
    assert.equal(enc({ type: 'Color', r: 1, g: 0, b: 0, a: 1 }, { doublePrecision: true }).slice(0, 8), '14000000');
  });

  it('returns Godot error codes for bad input instead of throwing', () => {
    assert.equal(decErr('04000000 08000000 6162'), GodotError.ERR_FILE_EOF); // string overruns
    assert.equal(decErr('04000000 01000000 ff000000'), GodotError.ERR_INVALID_DATA); // not UTF-8
    assert.equal(decErr('1c000000 ffffff7f 00000000'), GodotError.ERR_INVALID_DATA); // count too large
    assert.equal(decErr('1d000000 ffffffff'), GodotError.ERR_INVALID_DATA); // negative byte count
    assert.equal(decErr('16000000 01000000'), GodotError.ERR_INVALID_DATA); // old NodePath format
    assert.equal(decErr('05000000 0000803f'), GodotError.ERR_INVALID_DATA); // truncated Vector2
    assert.equal(decErr('1c000100 63000000 00000000'), GodotError.ERR_INVALID_DATA); // bad container type
  });

  it('refuses full objects unless allowed (ERR_UNAUTHORIZED), decodes them when allowed', () => {
    const hex = '18000000 04000000 4e6f6465 01000000 04000000 6e616d65 04000000 01000000 61000000';
    assert.equal(decErr(hex), GodotError.ERR_UNAUTHORIZED);
    const obj = dec(hex, { allowObjects: true });
    assert.deepEqual(obj, { type: 'Object', className: 'Node', properties: [['name', 'a']] });
    const refused = encodeVariant(obj);
    assert.ok(!refused.ok && refused.error === GodotError.ERR_INVALID_PARAMETER);
    assert.equal(enc(obj, { fullObjects: true }), hex.replace(/\s/g, ''));
  });

  it('bounds nesting depth on both sides (ERR_OUT_OF_MEMORY, like Godot)', () => {
    const deep = new Uint8Array(4 * 2 * 3000);
    const view = new DataView(deep.buffer);
    for (let i = 0; i < 3000; i++) {
      view.setUint32(i * 8, 28, true);
      view.setUint32(i * 8 + 4, 1, true);
    }
    const r = decodeVariant(deep);
    assert.ok(!r.ok && r.error === GodotError.ERR_OUT_OF_MEMORY);
    const cyclic: Variant[] = [];
    cyclic.push(cyclic);
    const e = encodeVariant(cyclic);
    assert.ok(!e.ok && e.error === GodotError.ERR_OUT_OF_MEMORY);
  });

  it('bounds the encoded size (encode_buffer_max_size)', () => {
    const e = encodeVariant(new Uint8Array(5000), { maxSize: 4096 });
    assert.ok(!e.ok && e.error === GodotError.ERR_OUT_OF_MEMORY);
  });

  it('refuses values that are not Variants', () => {
    const e = encodeVariant({ type: 'Nope' } as unknown as Variant);
    assert.ok(!e.ok && e.error === GodotError.ERR_INVALID_PARAMETER);
    const bad = encodeVariant({ type: 'Vector2', x: 1 } as unknown as Variant);
    assert.ok(!bad.ok && bad.error === GodotError.ERR_INVALID_PARAMETER);
  });

  it('ignores trailing bytes and reports the length used, as bytes_to_var does', () => {
    const r = decodeVariant(fromHex('02000000 01000000 deadbeef'));
    assert.ok(r.ok);
    assert.equal(r.value, 1);
    assert.equal(r.length, 8);
  });
});
