import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/bytes/hex.js';
import { Writer } from '../../core/bytes/writer.js';
import { isParseError } from '../../core/errors.js';
import { decodeParam, decodeParamList, encodeParam, unknownAction, type Param } from './index.js';

/**
 * Golden vectors hand-assembled from the RFC figures (RFC 9260 §3.3.2.1/§3.3.3.1/§3.3.5, RFC 3758 §3.1,
 * RFC 5061 §4.2.7, RFC 6525 §4.1/§4.2/§4.4, RFC 9653 §5.1); the Supported Extensions and
 * Forward-TSN-Supported bytes also appear in the captured usrsctp INIT (packet.test.ts).
 */
const GOLDEN: ReadonlyArray<readonly [string, string, Param]> = [
  ['heartbeat-info', '0001 0008 01020304', { kind: 'heartbeat-info', info: fromHex('01020304') }],
  ['state-cookie', '0007 0006 aabb 0000', { kind: 'state-cookie', cookie: fromHex('aabb') }],
  ['unrecognized', '0008 0008 00ff0004', { kind: 'unrecognized', param: fromHex('00ff0004') }],
  ['outgoing-reset', '000d 0012 00000001 00000002 00000003 0005 0000', { kind: 'outgoing-reset', requestSeq: 1, responseSeq: 2, lastTsn: 3, streamIds: [5] }],
  ['outgoing-reset (all streams)', '000d 0010 0000000a 0000000b 0000000c', { kind: 'outgoing-reset', requestSeq: 10, responseSeq: 11, lastTsn: 12, streamIds: [] }],
  ['incoming-reset', '000e 000a 00000007 0009 0000', { kind: 'incoming-reset', requestSeq: 7, streamIds: [9] }],
  ['reconfig-response', '0010 000c 00000001 00000006', { kind: 'reconfig-response', responseSeq: 1, result: 6 }],
  ['reconfig-response with TSNs', '0010 0014 00000001 00000001 00000010 00000020', { kind: 'reconfig-response', responseSeq: 1, result: 1, senderNextTsn: 16, receiverNextTsn: 32 }],
  ['zero-checksum', '8001 0008 00000001', { kind: 'zero-checksum', edmid: 1 }],
  ['supported-extensions', '8008 0006 82c0 0000', { kind: 'supported-extensions', chunkTypes: [0x82, 0xc0] }],
  ['forward-tsn-supported', 'c000 0004', { kind: 'forward-tsn-supported' }],
  ['ignored (RANDOM)', '8002 0008 01020304', { kind: 'ignored', type: 0x8002, value: fromHex('01020304') }],
];

for (const [name, hex, value] of GOLDEN) {
  test(`param ${name}: golden vector decodes and re-encodes byte for byte`, () => {
    const bytes = fromHex(hex);
    const { params } = decodeParamList(bytes, 0, bytes.length);
    assert.deepEqual(params, [value]);
    const w = new Writer();
    encodeParam(w, value);
    assert.equal(toHex(w.finish()), toHex(bytes));
  });
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = fc.uint8Array({ maxLength: 40 });
const streams = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 9 });
const arbParam: fc.Arbitrary<Param> = fc.oneof(
  bytes.map((info): Param => ({ kind: 'heartbeat-info', info })),
  bytes.map((cookie): Param => ({ kind: 'state-cookie', cookie })),
  fc.tuple(u32, u32, u32, streams).map(([a, b, c, s]): Param => ({ kind: 'outgoing-reset', requestSeq: a, responseSeq: b, lastTsn: c, streamIds: s })),
  fc.tuple(u32, streams).map(([a, s]): Param => ({ kind: 'incoming-reset', requestSeq: a, streamIds: s })),
  fc.tuple(u32, u32).map(([a, r]): Param => ({ kind: 'reconfig-response', responseSeq: a, result: r })),
  fc.tuple(u32, u32, u32, u32).map(([a, r, s, t]): Param => ({ kind: 'reconfig-response', responseSeq: a, result: r, senderNextTsn: s, receiverNextTsn: t })),
  u32.map((edmid): Param => ({ kind: 'zero-checksum', edmid })),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }).map((chunkTypes): Param => ({ kind: 'supported-extensions', chunkTypes })),
  fc.constant<Param>({ kind: 'forward-tsn-supported' }),
);

test('every parameter round-trips (property)', () => {
  fc.assert(
    fc.property(fc.array(arbParam, { minLength: 1, maxLength: 4 }), (ps) => {
      const w = new Writer();
      for (const p of ps) encodeParam(w, p);
      const b = w.finish();
      assert.deepEqual(decodeParamList(b, 0, b.length).params, ps);
    }),
  );
});

test('random bytes of any known parameter type give a value or a ParseError (property)', () => {
  const types = [1, 7, 8, 13, 14, 16, 0x8001, 0x8008, 0xc000, 0x8002, 0x1234];
  fc.assert(
    fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 30 }), (type, value) => {
      try {
        const p = decodeParam({ type, value });
        assert.ok(p === undefined || typeof p.kind === 'string');
      } catch (e) {
        assert.ok(isParseError(e), String(e));
      }
    }),
  );
});

test('parameter lists: random bytes give a list or a ParseError (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decodeParamList(b, 0, b.length);
      } catch (e) {
        assert.ok(isParseError(e), String(e));
      }
    }),
  );
});

test('unknown parameters follow RFC 9260 §3.2.1 high bits', () => {
  assert.equal(unknownAction(0x0123), 'stop');
  assert.equal(unknownAction(0x4123), 'stop-report');
  assert.equal(unknownAction(0x8123), 'skip');
  assert.equal(unknownAction(0xc123), 'skip-report');
  // skip (10) continues, skip-report (11) continues and reports, stop (00) ends the list
  const b = fromHex('8123 0004 c123 0005 01000000 c000 0004 0123 0004 c000 0004');
  const r = decodeParamList(b, 0, b.length);
  assert.deepEqual(r.params, [{ kind: 'forward-tsn-supported' }]);
  assert.deepEqual(r.unrecognized.map((u) => toHex(u)), ['c123000501']);
  const s = fromHex('4123 0004 c000 0004');
  const rs = decodeParamList(s, 0, s.length);
  assert.deepEqual(rs.params, []);
  assert.equal(rs.unrecognized.length, 1);
});
