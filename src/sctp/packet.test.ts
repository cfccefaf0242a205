import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/bytes/hex.js';
import { Writer } from '../core/bytes/writer.js';
import { isParseError } from '../core/errors.js';
import { beginPacket, checksumOk, computeChecksum, decodePacket, finishPacket, needsRealChecksum, packetNeedsRealChecksum } from './packet.js';
import { decodeChunk, decodeChunkAt, encodeChunk, type InitChunk } from './chunks/index.js';
import { PARAM } from './params/index.js';

/** usrsctp INIT vector (pion/sctp packet_test.go via protocol notes 6.2), copied into test/vectors/sctp. */
const usrsctpInit = fromHex(
  readFileSync(new URL('../../test/vectors/sctp/usrsctp-init.hex', import.meta.url), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join(''),
);

test('usrsctp INIT vector: header, little-endian CRC32c, INIT fields and params', () => {
  assert.equal(usrsctpInit.length, 100);
  const p = decodePacket(usrsctpInit);
  assert.deepEqual([p.srcPort, p.dstPort, p.verificationTag], [5000, 5000, 0]);
  assert.equal(p.checksum, 0xfc9d4681);
  assert.equal(computeChecksum(usrsctpInit), 0xfc9d4681);
  assert.ok(checksumOk(usrsctpInit, false));
  assert.ok(needsRealChecksum(p.chunks));
  assert.equal(p.chunks.length, 1);
  const raw = p.chunks[0];
  assert.ok(raw);
  const init = decodeChunk(raw.type, raw.flags, raw.value) as InitChunk;
  assert.equal(init.kind, 'init');
  assert.equal(init.initiateTag, 0x55b964a5);
  assert.equal(init.arwnd, 131072);
  assert.equal(init.outboundStreams, 1024);
  assert.equal(init.inboundStreams, 2048);
  assert.equal(init.initialTsn, 0xe86d1030);
  assert.deepEqual(init.params.map((x) => x.kind), ['forward-tsn-supported', 'supported-extensions', 'ignored', 'ignored', 'ignored']);
  const ext = init.params[1];
  assert.ok(ext?.kind === 'supported-extensions');
  assert.deepEqual(ext.chunkTypes, [0xc0, 0x0f, 0xc1, 0x80, 0x82]);
  assert.deepEqual(init.params.slice(2).map((x) => (x.kind === 'ignored' ? x.type : 0)), [PARAM.random, PARAM.hmacAlgo, PARAM.chunkList]);
  // re-encoding gives the same bytes, CRC included
  const w = new Writer();
  beginPacket(w, 5000, 5000, 0);
  encodeChunk(w, init);
  assert.equal(toHex(finishPacket(w, false)), toHex(usrsctpInit));
});

test('a corrupted byte fails the CRC; a zero checksum passes only when accepted', () => {
  const bad = usrsctpInit.slice();
  bad[20] = (bad[20] as number) ^ 1;
  assert.equal(checksumOk(bad, true), false);
  const zero = usrsctpInit.slice();
  zero.fill(0, 8, 12);
  assert.equal(checksumOk(zero, false), false);
  assert.equal(checksumOk(zero, true), true);
  // computeChecksum leaves the buffer unchanged
  const copy = usrsctpInit.slice();
  computeChecksum(copy);
  assert.deepEqual(copy, usrsctpInit);
});

test('finishPacket with zero checksum leaves the field 0', () => {
  const w = new Writer();
  beginPacket(w, 1, 2, 3);
  w.u8(11).u8(0).u16(4);
  assert.equal(toHex(finishPacket(w, true)), '000100020000000300000000' + '0b000004');
});

test('packet framing: random and mutated bytes give a packet or a ParseError (property)', () => {
  const mutated = fc.tuple(fc.nat(99), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
    const b = usrsctpInit.slice();
    b[i] = v;
    return b;
  });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated), (buf) => {
      try {
        const p = decodePacket(buf);
        for (const c of p.chunks) {
          try {
            decodeChunk(c.type, c.flags, c.value);
          } catch (e) {
            assert.ok(isParseError(e), String(e));
          }
        }
      } catch (e) {
        assert.ok(isParseError(e), String(e));
      }
    }),
  );
});

/** The result of a decoder, or the ParseError code it threw. */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    assert.ok(isParseError(e), String(e));
    return e.code;
  }
}

test('in-place chunk walk (receive path) agrees with decodePacket + decodeChunk on any packet (property)', () => {
  // chunks of the types the hot path reads in place (DATA 0, SACK 3) and others (INIT 1, COOKIE-ECHO 10, any)
  const anyChunk = fc.record({
    type: fc.oneof(fc.constantFrom(0, 3, 1, 10), fc.integer({ min: 0, max: 255 })),
    flags: fc.integer({ min: 0, max: 255 }),
    value: fc.uint8Array({ maxLength: 40, size: 'max' }),
  });
  // a well-formed SACK: 12-byte header with small gap and duplicate counts, then exactly their bytes
  const sack = fc.tuple(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.nat(3), fc.nat(3), fc.uint8Array({ minLength: 24, maxLength: 24 })).map(([head, g, d, rest]) => {
    const value = new Uint8Array(12 + 4 * (g + d));
    value.set(head);
    value[9] = g;
    value[11] = d;
    value.set(rest.subarray(0, 4 * (g + d)), 12);
    return { type: 3, flags: 0, value };
  });
  const chunk = fc.oneof(anyChunk, sack);
  fc.assert(
    fc.property(fc.array(chunk, { minLength: 1, maxLength: 4 }), (chunks) => {
      const w = new Writer();
      beginPacket(w, 5000, 5000, 7);
      for (const c of chunks) {
        w.u8(c.type).u8(c.flags).u16(4 + c.value.length).bytes(c.value);
        w.zeros((4 - (c.value.length & 3)) & 3);
      }
      const buf = w.finish();
      const p = decodePacket(buf);
      assert.equal(packetNeedsRealChecksum(buf), needsRealChecksum(p.chunks));
      let at = 12;
      for (const c of p.chunks) {
        const len = 4 + c.value.length;
        assert.deepEqual(outcome(() => decodeChunkAt(buf, at, len)), outcome(() => decodeChunk(c.type, c.flags, c.value)));
        at += (len + 3) & ~3;
      }
    }),
  );
});
