import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../core/bytes/writer.js';
import { encodeChunk, type DataChunk } from '../chunks/index.js';
import { decodeSack } from '../chunks/sack.js';
import { Receiver } from './receiver.js';

function data(tsn: number, len = 10, whole = true): DataChunk {
  return { kind: 'data', tsn: tsn >>> 0, streamId: 0, ssn: 0, ppid: 53, unordered: true, beginning: whole, ending: whole, immediate: false, userData: new Uint8Array(len) };
}

test('gap blocks, duplicates and the cumulative TSN across the 2^32 wrap', () => {
  const got: number[] = [];
  const r = new Receiver(0xfffffffe, 1 << 20, 65535, (m) => got.push(m.data.length));
  assert.ok(r.onData(data(0xfffffffe)));
  assert.ok(r.onData(data(1)));
  assert.ok(r.onData(data(2)));
  assert.ok(r.onData(data(4)));
  assert.equal(r.onData(data(2)), false);
  assert.ok(r.sackNow, 'out of order and duplicates ack at once');
  const s = r.takeSack();
  assert.equal(s.cumulativeTsnAck, 0xfffffffe);
  assert.deepEqual(s.gapBlocks, [{ start: 3, end: 4 }, { start: 6, end: 6 }]);
  assert.deepEqual(s.duplicateTsns, [2]);
  assert.ok(r.onData(data(0xffffffff)));
  assert.ok(r.onData(data(0)));
  assert.ok(r.onData(data(3)));
  assert.equal(r.takeSack().cumulativeTsnAck, 4);
  assert.equal(got.length, 7);
});

test('in-order data is acked every second packet; the window bounds what is held', () => {
  const r = new Receiver(1, 65536, 65535, () => undefined);
  r.onData(data(1));
  r.endOfPacket();
  assert.equal(r.sackNow, false);
  assert.equal(r.sackPending, true);
  r.onData(data(2));
  r.endOfPacket();
  assert.equal(r.sackNow, true);
  // out-of-order data beyond the window is dropped, not held
  let accepted = 0;
  for (let t = 10; t < 200; t++) if (r.onData(data(t, 1000, false))) accepted++; // middle fragments are held
  assert.ok(accepted * 1000 <= 65536, `held ${accepted} KB`);
  assert.ok(r.dropped > 0);
});

test('setAdvertisedWindow caps the a_rwnd our SACKs carry, not what we accept', () => {
  const r = new Receiver(1, 1 << 20, 65535, () => undefined);
  r.setAdvertisedWindow(100_000);
  for (let t = 10; t < 70; t++) assert.ok(r.onData(data(t, 1000, false)), 'held: the window is still 1 MiB');
  const held = (1 << 20) - r.arwnd;
  assert.ok(held >= 60_000);
  assert.equal(r.advertised, 100_000 - held);
  assert.equal(r.takeSack().arwnd, 100_000 - held);
  for (let t = 70; t < 120; t++) r.onData(data(t, 1000, false));
  assert.equal(r.advertised, 0, 'more held than the cap: zero, never negative');
  assert.ok(r.arwnd > 900_000);
  r.setAdvertisedWindow(undefined);
  assert.equal(r.advertised, r.arwnd, 'no cap: the whole window');
});

test('FORWARD-TSN moves the cumulative TSN and releases what it covers', () => {
  const r = new Receiver(1, 1 << 20, 65535, () => undefined);
  r.onData({ ...data(3), beginning: false });
  r.onForwardTsn(2, []);
  assert.equal(r.cumTsn, 3);
  r.onForwardTsn(3, []);
  assert.equal(r.reassembly.fragmentCount, 0);
});

test('writeSack writes what takeSack returns (gaps, duplicates, window) and clears the SACK state alike', () => {
  const make = (): Receiver => {
    const r = new Receiver(100, 1 << 20, 65535, () => {});
    for (const t of [100, 102, 103, 106, 102, 100]) r.onData(data(t));
    return r;
  };
  const a = make();
  const b = make();
  const w1 = new Writer();
  encodeChunk(w1, a.takeSack());
  const w2 = new Writer();
  b.writeSack(w2);
  assert.deepEqual(w2.finish(), w1.finish());
  const s = decodeSack(w2.finish().subarray(4));
  assert.deepEqual([s.cumulativeTsnAck, s.gapBlocks.length, s.duplicateTsns], [100, 2, [102, 100]]);
  assert.equal(b.sackNow || b.sackPending, false);
  // the next SACK reports no duplicate again, and an in-order receiver writes no gap or duplicate
  b.onData(data(101));
  const w3 = new Writer();
  b.writeSack(w3);
  const s3 = decodeSack(w3.finish().subarray(4));
  assert.deepEqual([s3.cumulativeTsnAck, s3.gapBlocks, s3.duplicateTsns], [103, [{ start: 3, end: 3 }], []]);
});
