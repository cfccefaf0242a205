import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/bytes/hex.js';
import { Writer } from '../core/bytes/writer.js';
import { isParseError } from '../core/errors.js';
import { beginPacket, checksumOk, computeChecksum, decodePacket, finishPacket, needsRealChecksum } from './packet.js';
import { decodeChunk, encodeChunk, type InitChunk } from './chunks/index.js';
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
