import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeVariant } from './decode.js';
import { encodeVariant } from './encode.js';
import { GodotError } from '../../facade/godot-errors.js';
import { gdFloat, type Variant } from './types.js';

const f32 = fc.float();
const i32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const str = fc.string({ unit: 'grapheme', maxLength: 12 });
/** fc.record builds null-prototype objects; decoded values are plain objects. */
const rec = <T extends object>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model).map((o) => ({ ...o }) as T);

/** Values whose decode gives back exactly the same JS value (the documented canonical forms). */
const leaf: fc.Arbitrary<Variant> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.maxSafeInteger().filter((n) => !Object.is(n, -0)),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).filter((b) => b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)),
  fc.double().filter((d) => !Number.isInteger(d)),
  fc.integer().map((n) => gdFloat(n)),
  str,
  rec({ type: fc.constant('Vector2' as const), x: f32, y: f32 }),
  rec({ type: fc.constant('Vector3i' as const), x: i32, y: i32, z: i32 }),
  rec({ type: fc.constant('Color' as const), r: f32, g: f32, b: f32, a: f32 }),
  rec({ type: fc.constant('Transform2D' as const), m: fc.array(f32, { minLength: 6, maxLength: 6 }) }),
  rec({ type: fc.constant('StringName' as const), value: str }),
  rec({ type: fc.constant('NodePath' as const), names: fc.array(str, { maxLength: 3 }), subnames: fc.array(str, { maxLength: 2 }), absolute: fc.boolean() }),
  fc.uint8Array({ maxLength: 9 }),
  fc.int32Array({ maxLength: 4 }),
  fc.bigInt64Array({ maxLength: 3 }),
  fc.float32Array({ maxLength: 4, noNaN: true }),
  fc.float64Array({ maxLength: 4, noNaN: true }),
  fc.array(str, { maxLength: 3 }).map((values) => ({ type: 'PackedStringArray' as const, values })),
);

const variant: fc.Arbitrary<Variant> = fc.letrec<{ v: Variant }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(str, fc.integer()), tie('v')), { maxLength: 3 }).map((kv) => new Map<Variant, Variant>(kv)),
  ),
})).v;

const KNOWN_ERRORS = new Set<number>([
  GodotError.ERR_INVALID_DATA, GodotError.ERR_FILE_EOF, GodotError.ERR_UNAUTHORIZED, GodotError.ERR_OUT_OF_MEMORY,
]);

function decodesOrFails(bytes: Uint8Array): void {
  const r = decodeVariant(bytes);
  if (r.ok) assert.ok(r.length <= bytes.length && r.length >= 4);
  else assert.ok(KNOWN_ERRORS.has(r.error), `unexpected error ${r.error}`);
}

describe('Godot Variant encoding (properties)', () => {
  it('round-trips every canonical value exactly, and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(variant, (v) => {
        const e = encodeVariant(v);
        assert.ok(e.ok);
        assert.equal(e.bytes.length % 4, 0, 'Godot pads everything to 4 bytes');
        const d = decodeVariant(e.bytes);
        assert.ok(d.ok);
        assert.equal(d.length, e.bytes.length);
        assert.deepEqual(d.value, v);
        const again = encodeVariant(d.value);
        assert.ok(again.ok);
        assert.deepEqual(again.bytes, e.bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes give a value or a Godot error, never an exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), decodesOrFails), { numRuns: 2000 });
  });

  it('random bytes behind every valid header give a value or a Godot error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 15 }), fc.uint8Array({ maxLength: 48 }), (type, flags, body) => {
        const b = new Uint8Array(4 + body.length);
        new DataView(b.buffer).setUint32(0, type | (flags << 16), true);
        b.set(body, 4);
        decodesOrFails(b);
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated valid encodings give a value or a Godot error', () => {
    fc.assert(
      fc.property(variant, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(), (v, flips, cut) => {
        const e = encodeVariant(v);
        assert.ok(e.ok);
        const b = e.bytes.slice(0, Math.max(0, e.bytes.length - (cut % 8)));
        for (const [pos, byte] of flips) if (b.length > 0) b[pos % b.length] = byte;
        decodesOrFails(b);
      }),
      { numRuns: 1000 },
    );
  });
});
