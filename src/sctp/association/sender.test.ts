import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../core/bytes/writer.js';
import { decodePacket } from '../packet.js';
import { decodeChunk, type DataChunk } from '../chunks/index.js';
import { Congestion } from './congestion.js';
import { Rto } from './rto.js';
import { SendQueue, type OutMessage } from './send-queue.js';
import { Sender } from './sender.js';

function setup(maxPayload = 1000): { s: Sender; q: SendQueue; cc: Congestion } {
  const q = new SendQueue(1 << 20);
  const cc = new Congestion(1200, 10, 1 << 20);
  return { s: new Sender(100, 1 << 20, q, cc, new Rto(500, 400, 60000, 3000), maxPayload), q, cc };
}

function msg(streamId: number, data: Uint8Array, o: Partial<OutMessage> = {}): OutMessage {
  return { streamId, ppid: 53, data, unordered: false, maxRetransmits: undefined, expiresAt: undefined, ssn: -1, offset: 0, abandoned: false, ...o };
}

/** Runs fill() into packets and returns the DATA chunks written. */
function drain(s: Sender, now = 0): DataChunk[] {
  const out: DataChunk[] = [];
  for (;;) {
    const w = new Writer();
    w.zeros(12);
    if (!s.fill(w, 1200, now)) return out;
    for (const c of decodePacket(w.finish()).chunks) out.push(decodeChunk(c.type, c.flags, c.value) as DataChunk);
  }
}

test('a message is cut into B / middle / E fragments with consecutive TSNs and one SSN', () => {
  const { s, q } = setup();
  q.push(msg(1, new Uint8Array(2500).fill(1)));
  q.push(msg(1, new Uint8Array(10).fill(2)));
  const c = drain(s);
  assert.deepEqual(c.map((x) => [x.tsn, x.ssn, x.beginning, x.ending, x.userData.length]), [
    [100, 0, true, false, 1000], [101, 0, false, false, 1000], [102, 0, false, true, 500], [103, 1, true, true, 10],
  ]);
  assert.equal(s.flight, 2510);
  assert.equal(q.buffered(1), 0);
});

test('SACK gap reports trigger fast retransmit on the third miss and halve cwnd', () => {
  const { s, q, cc } = setup();
  for (let i = 0; i < 6; i++) q.push(msg(1, new Uint8Array(1000)));
  drain(s);
  const before = cc.cwnd;
  // TSN 100 lost; 101.., reported one by one
  for (let k = 1; k <= 3; k++) s.onSack({ kind: 'sack', cumulativeTsnAck: 99, arwnd: 1 << 20, gapBlocks: [{ start: 2, end: 1 + k }], duplicateTsns: [] }, 10);
  assert.equal(cc.cwnd, Math.max(before / 2, 4800));
  const rtx = drain(s, 20);
  assert.deepEqual(rtx.map((c) => c.tsn), [100]);
  assert.equal(s.retransmissions, 1);
  assert.ok(s.onSack({ kind: 'sack', cumulativeTsnAck: 105, arwnd: 1 << 20, gapBlocks: [], duplicateTsns: [] }, 30));
  assert.equal(s.outstanding, 0);
  assert.equal(s.flight, 0);
});

test('abandoning a partly sent message takes a placeholder E TSN so FORWARD-TSN ends on a boundary', () => {
  const { s, q } = setup();
  const m = msg(4, new Uint8Array(5000), { maxRetransmits: 0 });
  q.push(m);
  const w = new Writer();
  w.zeros(12);
  s.fill(w, 1200, 0); // only the first fragment fits
  assert.equal(s.nextTsn, 101);
  s.onT3(500); // sendCount 1 > maxRetransmits 0: abandoned
  assert.equal(m.abandoned, true);
  assert.equal(s.nextTsn, 102, 'placeholder TSN for the unsent rest');
  assert.equal(q.buffered(4), 0);
  const f = s.takeForwardTsn();
  assert.deepEqual(f, { kind: 'forward-tsn', newCumulativeTsn: 101, streams: [{ streamId: 4, ssn: 0 }] });
  assert.deepEqual(drain(s, 600), [], 'nothing of the abandoned message is sent again');
  s.onSack({ kind: 'sack', cumulativeTsnAck: 101, arwnd: 1 << 20, gapBlocks: [], duplicateTsns: [] }, 700);
  assert.equal(s.outstanding, 0);
  assert.equal(s.needsT3, false);
});

test('a cumulative ack that passes abandoned chunks (after FORWARD-TSN) is no RTT sample', () => {
  const q = new SendQueue(1 << 20);
  const rto = new Rto(500, 400, 60000, 3000);
  const s = new Sender(100, 1 << 20, q, new Congestion(1200, 10, 1 << 20), rto, 1000);
  q.push(msg(1, new Uint8Array(1000), { maxRetransmits: 0 }));
  drain(s, 0);
  s.onT3(500); // TSN 100 abandoned at the first T3; its FORWARD-TSN and new data leave much later
  assert.equal(s.takeForwardTsn()?.newCumulativeTsn, 100);
  q.push(msg(1, new Uint8Array(1000)));
  drain(s, 9000);
  // the peer skips 100 and receives 101: only 101 (10 ms) may be measured, not 100 (9 s old)
  s.onSack({ kind: 'sack', cumulativeTsnAck: 101, arwnd: 1 << 20, gapBlocks: [], duplicateTsns: [] }, 9010);
  assert.equal(rto.smoothedRtt, 10);
  assert.equal(rto.value, 400);
});

test('a lost FORWARD-TSN is resent when a later chunk is acked without it, not at T3 (RFC 3758 3.5 C3)', () => {
  const { s, q } = setup();
  q.push(msg(1, new Uint8Array(1000), { unordered: true, maxRetransmits: 0 }));
  drain(s, 0);
  s.onT3(500);
  assert.equal(s.takeForwardTsn()?.newCumulativeTsn, 100); // this one is lost
  q.push(msg(1, new Uint8Array(1000)));
  assert.deepEqual(drain(s, 510).map((c) => c.tsn), [101]);
  // a SACK from before the FORWARD-TSN arrived is no evidence of its loss
  s.onSack({ kind: 'sack', cumulativeTsnAck: 99, arwnd: 1 << 20, gapBlocks: [], duplicateTsns: [] }, 512);
  assert.equal(s.takeForwardTsn(), undefined);
  // 101 arrived, the cum ack did not move to 100: resend at once
  s.onSack({ kind: 'sack', cumulativeTsnAck: 99, arwnd: 1 << 20, gapBlocks: [{ start: 2, end: 2 }], duplicateTsns: [] }, 520);
  assert.equal(s.takeForwardTsn()?.newCumulativeTsn, 100);
  s.onSack({ kind: 'sack', cumulativeTsnAck: 101, arwnd: 1 << 20, gapBlocks: [], duplicateTsns: [] }, 530);
  assert.equal(s.needsT3, false);
});

test('a zero peer window still lets one chunk probe it', () => {
  const { s, q } = setup();
  s.peerRwnd = 0;
  q.push(msg(1, new Uint8Array(800)));
  q.push(msg(1, new Uint8Array(800)));
  assert.equal(drain(s).length, 1);
});

test('payloads are views of the message, not copies', () => {
  const { s, q } = setup();
  const data = new Uint8Array(3000);
  q.push(msg(1, data));
  const w = new Writer();
  w.zeros(12);
  s.fill(w, 1200, 0);
  const c = s.chunkAt(100);
  assert.equal(c?.payload.buffer, data.buffer);
});

test('Max.Burst counts beyond the ack clock: a SACK acknowledging 10 packets lets the window refill, not only 4 packets', () => {
  const { s, q, cc } = setup();
  for (let i = 0; i < 60; i++) q.push(msg(1, new Uint8Array(1000)));
  const first = drain(s);
  assert.ok(first.length >= 11, `the initial window (10 MTUs of 1200 bytes) went out: ${first.length} packets`);
  const last = first[9]?.tsn as number;
  s.onSack({ kind: 'sack', cumulativeTsnAck: last, arwnd: 1 << 20, gapBlocks: [], duplicateTsns: [] }, 10);
  const room = Math.floor((cc.cwnd - s.flight) / 1000);
  const next = drain(s, 10);
  assert.ok(room > 4, `cwnd leaves room for ${room} packets`);
  assert.equal(next.length, room, 'the freed packets (and up to Max.Burst more) leave, as far as cwnd allows');
});
