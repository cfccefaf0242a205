import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex } from '../../src/core/bytes/hex.js';
import { attr, encodeStun, StunMethod, stunRequest, successResponse } from '../../src/stun/index.js';
import { describeDatagram, describeDtls, describeSctp, describeStun } from './describe.js';
import { formatTime, Trace } from './trace.js';

const TID = fromHex('b7e7a701bc34d686fa87dfae');

test('STUN requests and responses are named by method and class', () => {
  const req = encodeStun(stunRequest(StunMethod.Binding, TID, [attr('username', 'a:b')]));
  assert.equal(describeDatagram(req), 'STUN Binding request tid=b7e7a701');
  const res = encodeStun(successResponse({ method: StunMethod.Binding, transactionId: TID }, [attr('xorMappedAddress', { address: '198.18.0.1', port: 5000 })]));
  assert.equal(describeStun(res), 'STUN Binding success tid=b7e7a701');
  const alloc = encodeStun({ method: StunMethod.Allocate, cls: 'error', transactionId: TID, attributes: [] });
  assert.equal(describeDatagram(alloc), 'STUN Allocate error tid=b7e7a701');
  assert.equal(describeDatagram(new Uint8Array([0, 1, 0])), 'STUN(short)');
});

test('DTLS records: content type, handshake type in epoch 0, epoch and sequence', () => {
  // DTLS 1.2 record header (RFC 6347 §4.1): type, version fefd, epoch, seq(6), length, then a ClientHello header
  const hello = fromHex('16 fefd 0000 000000000003 0010 01 00000c 0000 000000 00000c');
  assert.equal(describeDatagram(hello), 'DTLS Handshake(ClientHello) epoch=0 seq=3');
  const app = fromHex('17 fefd 0001 000000000007 0004 deadbeef');
  assert.equal(describeDtls(app), 'DTLS ApplicationData epoch=1 seq=7');
  const encrypted = fromHex('16 fefd 0001 000000000000 0004 01020304');
  assert.equal(describeDtls(encrypted), 'DTLS Handshake epoch=1 seq=0');
  assert.equal(describeDtls(fromHex('15 fefd')), 'DTLS Alert(short)');
});

test('SCTP packets list their chunk types (RFC 9260 §3.2)', () => {
  // common header (12) + INIT (type 1, len 20) + unknown 0x42 (len 4) + DATA (len 17, padded to 20)
  const pkt = fromHex(
    '13881388 00000000 00000000' + '01000014' + '00'.repeat(16) + '42000004' + '00030011' + '00'.repeat(13) + '000000',
  );
  assert.equal(describeSctp(pkt), 'SCTP[INIT,0x42,DATA]');
  assert.equal(describeSctp(fromHex('13881388 00000000 00000000 00000000')), 'SCTP[DATA]');
  assert.equal(describeSctp(new Uint8Array(5)), 'SCTP(short)');
});

test('other first bytes: TURN ChannelData, RTP, unknown, empty', () => {
  assert.equal(describeDatagram(fromHex('4001 0000')), 'ChannelData ch=0x4001');
  assert.equal(describeDatagram(fromHex('80 00')), 'RTP/RTCP');
  assert.equal(describeDatagram(fromHex('ff')), 'data[0]=0xff');
  assert.equal(describeDatagram(new Uint8Array(0)), 'empty');
});

test('describers never throw, whatever the bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      for (const d of [describeDatagram, describeStun, describeDtls, describeSctp]) assert.equal(typeof d(b), 'string');
    }),
  );
});

test('trace keeps the last lines in order, hashes all of them, streams to a listener', () => {
  const t = new Trace(3);
  const streamed: string[] = [];
  t.listener = (l) => streamed.push(l);
  for (let i = 0; i < 5; i++) t.add(i * 1.25, `line ${i}`);
  assert.deepEqual(t.last(), ['t=2.5ms line 2', 't=3.8ms line 3', 't=5.0ms line 4']);
  assert.deepEqual(t.last(2), ['t=3.8ms line 3', 't=5.0ms line 4']);
  assert.equal(t.count, 5);
  assert.equal(streamed.length, 5);
  const u = new Trace(100);
  for (let i = 0; i < 5; i++) u.add(i * 1.25, `line ${i}`);
  assert.equal(u.digest, t.digest, 'the digest covers every line, not only the kept ones');
  u.add(9, 'x');
  assert.notEqual(u.digest, t.digest);
  assert.equal(formatTime(1203), 't=1203.0ms');
});
