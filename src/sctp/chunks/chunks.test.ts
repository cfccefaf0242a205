import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/bytes/hex.js';
import { Writer } from '../../core/bytes/writer.js';
import { isParseError } from '../../core/errors.js';
import { CHUNK, decodeChunk, encodeChunk, unknownChunkAction, type Chunk } from './index.js';

/**
 * Golden vectors hand-assembled from the chunk figures of RFC 9260 §3.3 (DATA, INIT-ACK, SACK,
 * HEARTBEAT/-ACK, ABORT, SHUTDOWN/-ACK/-COMPLETE, ERROR, COOKIE-ECHO/-ACK), RFC 6525 §3.1 (RE-CONFIG)
 * RFC 3758 §3.2 (FORWARD-TSN) and RFC 4820 §3 (PAD). INIT is the captured usrsctp INIT (packet.test.ts) plus this one.
 */
const GOLDEN: ReadonlyArray<readonly [string, string, Chunk]> = [
  ['DATA', '00 03 0014 00000001 0002 0003 00000035 61626364',
    { kind: 'data', tsn: 1, streamId: 2, ssn: 3, ppid: 53, unordered: false, beginning: true, ending: true, immediate: false, userData: fromHex('61626364') }],
  ['DATA unordered middle fragment with padding', '00 04 0013 ffffffff 0001 0000 00000033 616263 00',
    { kind: 'data', tsn: 0xffffffff, streamId: 1, ssn: 0, ppid: 51, unordered: true, beginning: false, ending: false, immediate: false, userData: fromHex('616263') }],
  ['INIT', '01 00 0020 0000abcd 00100000 ffff ffff 00000010 c0000004 80010008 00000001',
    { kind: 'init', initiateTag: 0xabcd, arwnd: 0x100000, outboundStreams: 65535, inboundStreams: 65535, initialTsn: 16,
      params: [{ kind: 'forward-tsn-supported' }, { kind: 'zero-checksum', edmid: 1 }], unrecognized: [] }],
  ['INIT-ACK', '02 00 001c 00001234 00010000 0400 0800 00000001 0007 0008 01020304',
    { kind: 'init-ack', initiateTag: 0x1234, arwnd: 65536, outboundStreams: 1024, inboundStreams: 2048, initialTsn: 1,
      params: [{ kind: 'state-cookie', cookie: fromHex('01020304') }], unrecognized: [] }],
  ['SACK', '03 00 0018 00000010 00008000 0001 0001 0002 0003 0000000f',
    { kind: 'sack', cumulativeTsnAck: 16, arwnd: 0x8000, gapBlocks: [{ start: 2, end: 3 }], duplicateTsns: [15] }],
  ['HEARTBEAT', '04 00 000c 0001 0008 01020304', { kind: 'heartbeat', info: fromHex('01020304') }],
  ['HEARTBEAT-ACK', '05 00 000c 0001 0008 01020304', { kind: 'heartbeat-ack', info: fromHex('01020304') }],
  ['ABORT with T bit', '06 01 000c 000c 0006 6279 0000', { kind: 'abort', reflectedTag: true, causes: [{ code: 12, info: fromHex('6279') }] }],
  ['SHUTDOWN', '07 00 0008 00000005', { kind: 'shutdown', cumulativeTsnAck: 5 }],
  ['SHUTDOWN-ACK', '08 00 0004', { kind: 'shutdown-ack' }],
  ['ERROR', '09 00 000c 0006 0008 ff000004', { kind: 'error', causes: [{ code: 6, info: fromHex('ff000004') }] }],
  ['COOKIE-ECHO', '0a 00 0007 010203 00', { kind: 'cookie-echo', cookie: fromHex('010203') }],
  ['COOKIE-ACK', '0b 00 0004', { kind: 'cookie-ack' }],
  ['SHUTDOWN-COMPLETE', '0e 01 0004', { kind: 'shutdown-complete', reflectedTag: true }],
  ['RE-CONFIG', '82 00 0016 000d 0012 00000001 00000002 00000003 0005 0000',
    { kind: 'reconfig', params: [{ kind: 'outgoing-reset', requestSeq: 1, responseSeq: 2, lastTsn: 3, streamIds: [5] }] }],
  ['FORWARD-TSN', 'c0 00 000c 00000010 0001 0002', { kind: 'forward-tsn', newCumulativeTsn: 16, streams: [{ streamId: 1, ssn: 2 }] }],
  ['PAD', '84 00 0008 00000000', { kind: 'pad', padding: 4 }],
  ['PAD with chunk padding', '84 00 0006 0000 0000', { kind: 'pad', padding: 2 }],
  ['PAD without padding data', '84 00 0004', { kind: 'pad', padding: 0 }],
];

function decodeOne(b: Uint8Array): Chunk | undefined {
  const len = ((b[2] as number) << 8) | (b[3] as number);
  return decodeChunk(b[0] as number, b[1] as number, b.subarray(4, len));
}

for (const [name, hex, value] of GOLDEN) {
  test(`chunk ${name}: golden vector decodes and re-encodes byte for byte`, () => {
    const bytes = fromHex(hex);
    assert.deepEqual(decodeOne(bytes), value);
    const w = new Writer();
    encodeChunk(w, value);
    assert.equal(toHex(w.finish()), toHex(bytes));
  });
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const nz32 = fc.integer({ min: 1, max: 0xffffffff });
const nz16 = fc.integer({ min: 1, max: 0xffff });
const bytes = fc.uint8Array({ maxLength: 40 });
const causes = fc.array(fc.record({ code: u16, info: fc.uint8Array({ maxLength: 9 }) }).map((r) => ({ ...r })), { maxLength: 3 });
const arbChunk: fc.Arbitrary<Chunk> = fc.oneof(
  fc.record({ tsn: u32, streamId: u16, ssn: u16, ppid: u32, unordered: fc.boolean(), beginning: fc.boolean(), ending: fc.boolean(), immediate: fc.boolean(), userData: fc.uint8Array({ minLength: 1, maxLength: 30 }) })
    .map((d): Chunk => ({ kind: 'data', ...d })),
  fc.record({ kind: fc.constantFrom('init' as const, 'init-ack' as const), initiateTag: nz32, arwnd: u32, outboundStreams: nz16, inboundStreams: nz16, initialTsn: u32 })
    .map((d): Chunk => ({ ...d, params: [{ kind: 'forward-tsn-supported' }, { kind: 'supported-extensions', chunkTypes: [0x82, 0xc0] }], unrecognized: [] })),
  fc.record({ cumulativeTsnAck: u32, arwnd: u32, gapBlocks: fc.array(fc.record({ start: u16, end: u16 }).map((r) => ({ ...r })), { maxLength: 5 }), duplicateTsns: fc.array(u32, { maxLength: 5 }) })
    .map((d): Chunk => ({ kind: 'sack', ...d })),
  fc.tuple(fc.constantFrom('heartbeat' as const, 'heartbeat-ack' as const), bytes).map(([kind, info]): Chunk => ({ kind, info })),
  fc.tuple(fc.boolean(), causes).map(([reflectedTag, c]): Chunk => ({ kind: 'abort', reflectedTag, causes: c })),
  causes.map((c): Chunk => ({ kind: 'error', causes: c })),
  u32.map((cumulativeTsnAck): Chunk => ({ kind: 'shutdown', cumulativeTsnAck })),
  fc.constantFrom<Chunk>({ kind: 'shutdown-ack' }, { kind: 'cookie-ack' }, { kind: 'shutdown-complete', reflectedTag: false }, { kind: 'shutdown-complete', reflectedTag: true }),
  bytes.map((cookie): Chunk => ({ kind: 'cookie-echo', cookie })),
  fc.tuple(u32, u32, u32, fc.array(u16, { maxLength: 5 })).map(([a, b, c, s]): Chunk => ({ kind: 'reconfig', params: [{ kind: 'outgoing-reset', requestSeq: a, responseSeq: b, lastTsn: c, streamIds: s }] })),
  fc.tuple(u32, fc.array(fc.record({ streamId: u16, ssn: u16 }).map((r) => ({ ...r })), { maxLength: 5 })).map(([n, s]): Chunk => ({ kind: 'forward-tsn', newCumulativeTsn: n, streams: s })),
  fc.integer({ min: 0, max: 70 }).map((padding): Chunk => ({ kind: 'pad', padding })),
);

test('every chunk round-trips (property)', () => {
  fc.assert(
    fc.property(arbChunk, (c) => {
      const w = new Writer();
      encodeChunk(w, c);
      const b = w.finish();
      assert.equal(b.length % 4, 0, 'padded');
      assert.deepEqual(decodeOne(b), c);
    }),
    { numRuns: 500 },
  );
});

test('random values of every known chunk type give a chunk or a ParseError (property)', () => {
  const types = Object.values(CHUNK);
  fc.assert(
    fc.property(fc.constantFrom(...types), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 48 }), (type, flags, value) => {
      try {
        const c = decodeChunk(type, flags, value);
        assert.ok(c === undefined || typeof c.kind === 'string');
      } catch (e) {
        assert.ok(isParseError(e), String(e));
      }
    }),
    { numRuns: 2000 },
  );
});

test('INIT with a zero Initiate Tag or zero streams is a ParseError (RFC 9260 §3.3.2)', () => {
  assert.throws(() => decodeOne(fromHex('01 00 0014 00000000 00100000 ffff ffff 00000010')), (e) => isParseError(e) && e.code === 'sctp.init.zero-tag');
  assert.throws(() => decodeOne(fromHex('01 00 0014 00000001 00100000 0000 ffff 00000010')), (e) => isParseError(e) && e.code === 'sctp.init.zero-streams');
});

test('unknown chunk types follow RFC 9260 §3.2 high bits', () => {
  assert.equal(unknownChunkAction(0x3f), 'stop');
  assert.equal(unknownChunkAction(0x7f), 'stop-report');
  assert.equal(unknownChunkAction(0xbf), 'skip');
  assert.equal(unknownChunkAction(0xff), 'skip-report');
  assert.equal(decodeChunk(0xbf, 0, new Uint8Array(0)), undefined);
});

test('PAD: the padding data is ignored, only its length is kept (RFC 4820 §3)', () => {
  assert.deepEqual(decodeOne(fromHex('84 00 0009 ff ee dd cc bb 000000')), { kind: 'pad', padding: 5 });
  assert.equal(unknownChunkAction(CHUNK.pad), 'skip', 'a peer without PAD skips it silently and keeps the HEARTBEAT');
});
