import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Reader } from './reader.js';
import { Writer } from './writer.js';
import { crc32, crc32c } from './crc32.js';
import { fromHex, toHex, utf8 } from './hex.js';
import { fromBase64, toBase64 } from './base64.js';
import { isParseError } from '../errors.js';

test('writer/reader round trip of every width', () => {
  const w = new Writer(2);
  w.u8(0xab).u16(0xbeef).u24(0x123456).u32(0xdeadbeef).u48(0x123456789abc).u64(0x0102030405060708n).bytes(utf8('hi'));
  const r = new Reader(w.finish());
  assert.equal(r.u8(), 0xab);
  assert.equal(r.u16(), 0xbeef);
  assert.equal(r.u24(), 0x123456);
  assert.equal(r.u32(), 0xdeadbeef);
  assert.equal(r.u48(), 0x123456789abc);
  assert.equal(r.u64(), 0x0102030405060708n);
  assert.deepEqual([...r.rest()], [...utf8('hi')]);
  assert.equal(r.remaining, 0);
});

test('reader throws a typed ParseError past the end, with the offset', () => {
  const r = new Reader(new Uint8Array([1, 2, 3]), 0, 3, 'x');
  r.u16();
  assert.throws(() => r.u16(), (e) => isParseError(e) && e.code === 'x.truncated' && e.offset === 2);
});

test('reader never reads outside its window (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 20 }), (buf, ops) => {
      const r = new Reader(buf);
      try {
        for (const op of ops) [() => r.u8(), () => r.u16(), () => r.u24(), () => r.u32(), () => r.u48(), () => r.u64(), () => r.bytes(3)][op]?.();
      } catch (e) {
        assert.ok(isParseError(e));
      }
      assert.ok(r.offset <= buf.length);
    }),
  );
});

test('reader: a read past the end moves nothing, also for the wide ones (u48, u64 check all their bytes first)', () => {
  for (const [width, read] of [[6, (r: Reader) => r.u48()], [8, (r: Reader) => r.u64()], [4, (r: Reader) => r.u32()], [3, (r: Reader) => r.u24()]] as const) {
    const r = new Reader(new Uint8Array(width + 1), 0, width + 1, 'x');
    r.u16();
    assert.throws(() => read(r), (e) => isParseError(e) && e.code === 'x.truncated' && e.offset === 2);
    assert.equal(r.offset, 2);
  }
});

test('writer stores what a DataView stores, for any number (property: out-of-range, negative, fractional)', () => {
  const value = fc.oneof(fc.integer(), fc.double({ noNaN: false }), fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(-1, 2 ** 32, 2 ** 32 + 5, 0x1_0000_0001, 1.5, -0.5));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), value), { maxLength: 30 }), (ops) => {
      const w = new Writer(1); // grows along the way
      const ref = new DataView(new ArrayBuffer(ops.length * 6 + 8));
      let o = 0;
      for (const [op, v] of ops) {
        if (op === 0) {
          w.u8(v);
          ref.setUint8(o, v);
          o += 1;
        } else if (op === 1) {
          w.u16(v);
          ref.setUint16(o, v);
          o += 2;
        } else if (op === 2) {
          w.u24(v);
          ref.setUint8(o, (v >>> 16) & 0xff);
          ref.setUint16(o + 1, v & 0xffff);
          o += 3;
        } else if (op === 3) {
          w.u32(v);
          ref.setUint32(o, v >>> 0);
          o += 4;
        } else if (op === 4) {
          const at = w.reserve(4);
          w.setU32At(at, v);
          ref.setUint32(o, v >>> 0);
          o += 4;
        } else {
          const at = w.reserve(3);
          w.setU24At(at, v);
          ref.setUint8(o, (v >>> 16) & 0xff);
          ref.setUint16(o + 1, v & 0xffff);
          o += 3;
        }
      }
      assert.equal(w.length, o);
      assert.equal(toHex(w.finish()), toHex(new Uint8Array(ref.buffer, 0, o)));
    }),
  );
});

test('writer patches reserved fields', () => {
  const w = new Writer();
  const at = w.reserve(2);
  w.u32(7);
  w.setU16At(at, w.length);
  assert.equal(toHex(w.finish()), '000600000007');
});

test('writer finish(): a view of what was written, valid until the next write, also when its length repeats', () => {
  const w = new Writer(8);
  w.u32(1);
  const a = w.finish();
  w.reset();
  w.u32(2);
  assert.equal(toHex(w.finish()), '00000002');
  assert.equal(toHex(a), '00000002', 'the old view shows the new bytes, as any view of the writer does');
  w.reset();
  w.u16(3);
  assert.equal(toHex(w.finish()), '0003');
  w.reset();
  w.u32(4).u32(5);
  assert.equal(toHex(w.finish()), '0000000400000005');
  w.reset();
  w.u32(6).u32(7).u32(8); // grows into a new array
  w.reset();
  w.u32(9).u32(10); // the same length as before the growth: a view of the NEW array
  assert.equal(toHex(w.finish()), '000000090000000a');
  assert.equal(toHex(w.toBytes()), '000000090000000a');
});

test('CRC32c: RFC 3720 B.4 vectors', () => {
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  assert.equal(crc32c(utf8('123456789')), 0xe3069283);
});

test('CRC32 (IEEE): check value', () => {
  assert.equal(crc32(utf8('123456789')), 0xcbf43926);
  assert.equal(crc32(fromHex('00'), 0, 0), 0);
});

test('CRC over a sub-range equals CRC of the slice (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), fc.nat(), (b, x, y) => {
      const s = b.length ? x % b.length : 0;
      const e = s + (b.length - s ? y % (b.length - s + 1) : 0);
      assert.equal(crc32c(b, s, e), crc32c(b.slice(s, e)));
    }),
  );
});

test('base64: RFC 4648 §10 vectors both ways, strict decoding, round trip', () => {
  const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
  for (const [plain, b64] of vectors) {
    assert.equal(toBase64(utf8(plain)), b64);
    assert.deepEqual(fromBase64(b64), utf8(plain));
  }
  for (const bad of ['Zg', 'Zg=', 'Z===', '=Zg=', 'Zg=a', 'Zm9v YmFy', 'Zm9v\nYmFy', 'Zm9-', 'Zm9_', 'Zm9é', 'Zg==Zg==', 'Zh==', 'Zm9=']) assert.equal(fromBase64(bad), undefined, bad);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => assert.deepEqual(fromBase64(toBase64(b)), b)));
  fc.assert(fc.property(fc.string({ maxLength: 64 }), (s) => {
    const d = fromBase64(s);
    if (d !== undefined) assert.equal(toBase64(d), s); // what decodes is canonical base64
  }));
});
