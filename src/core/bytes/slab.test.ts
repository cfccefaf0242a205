import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteSlab } from './slab.js';

test('slab pieces are zeroed, of the asked length, and never overlap while a slab lasts', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 60 }), (sizes) => {
      const slab = new ByteSlab(4096, 1024);
      const pieces = sizes.map((n) => slab.alloc(n));
      pieces.forEach((p, i) => {
        assert.equal(p.length, sizes[i]);
        assert.ok(p.every((b) => b === 0), 'fresh memory');
        p.fill(i + 1); // a later piece must not see (or clobber) this one
      });
      pieces.forEach((p, i) => assert.ok(p.every((b) => b === ((i + 1) & 0xff)), `piece ${i} intact`));
    }),
  );
});

test('slab pieces are 8-byte aligned views; a full slab is replaced, not reused', () => {
  const slab = new ByteSlab(64, 32);
  const a = slab.alloc(5);
  const b = slab.alloc(30);
  assert.equal(a.buffer, b.buffer);
  assert.equal(a.byteOffset % 8, 0);
  assert.equal(b.byteOffset % 8, 0);
  assert.equal(b.byteOffset, 8);
  const c = slab.alloc(30); // 8 + 32 + 30 > 64: a new slab
  assert.notEqual(c.buffer, a.buffer);
  assert.equal(c.byteOffset, 0);
});

test('a piece above maxPiece is its own array', () => {
  const slab = new ByteSlab(64, 32);
  const small = slab.alloc(8);
  const big = slab.alloc(33);
  assert.notEqual(big.buffer, small.buffer);
  assert.equal(big.byteOffset, 0);
  assert.equal(big.buffer.byteLength, 33);
  assert.equal(slab.alloc(8).byteOffset, 8, 'the big piece took nothing from the slab');
});
