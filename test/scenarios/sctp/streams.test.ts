import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pair, hasChunk } from './pump.js';

function resets(p: Pair, side: 0 | 1, id: number): number {
  return p.events[side].filter((e) => e.type === 'stream-reset' && e.streamIds.includes(id)).length;
}

test('1,000 open/close cycles on one stream id, closed from alternating sides, leave no state behind', () => {
  const p = new Pair(11, [{}, {}], { loss: 0.02, delay: 5 });
  p.connectBoth();
  const id = 7;
  for (let i = 0; i < 1000; i++) {
    const [from, to] = (i % 2 === 0 ? [0, 1] : [1, 0]) as [0 | 1, 0 | 1];
    const before = p.messages(to).length;
    p.sides[from].send(p.now, id, 51, Uint8Array.of(i & 0xff, i >> 8));
    p.sides[from].resetStream(p.now, id);
    p.drain();
    p.runUntil(() => resets(p, 0, id) === i + 1 && resets(p, 1, id) === i + 1, 60_000);
    const got = p.messages(to).slice(before);
    assert.equal(got.length, 1, `cycle ${i}: the message sent before the reset arrives`);
    assert.deepEqual([...(got[0]?.data ?? [])], [i & 0xff, i >> 8]);
  }
  p.runUntil(() => p.a.stats.outstanding === 0 && p.b.stats.outstanding === 0);
  for (const s of p.sides) {
    assert.equal(s.stats.resetState, 0);
    assert.equal(s.stats.sendStreams, 0);
    assert.equal(s.stats.recvStreams, 0);
  }
  // the 'stream-closing' event told the passive side each time
  assert.equal(p.events[1].filter((e) => e.type === 'stream-closing').length, 500);
});

test('both sides reset the same stream at once', () => {
  const p = new Pair(12);
  p.connectBoth();
  p.a.send(p.now, 2, 51, Uint8Array.of(1));
  p.b.send(p.now, 2, 51, Uint8Array.of(2));
  p.a.resetStream(p.now, 2);
  p.b.resetStream(p.now, 2);
  p.drain();
  p.runUntil(() => resets(p, 0, 2) === 1 && resets(p, 1, 2) === 1);
  assert.equal(p.messages(0).length, 1);
  assert.equal(p.messages(1).length, 1);
  assert.equal(p.a.stats.resetState, 0);
  assert.equal(p.b.stats.resetState, 0);
  // the id is usable again, with SSN 0 on both sides
  p.a.send(p.now, 2, 51, Uint8Array.of(3));
  p.drain();
  p.runUntil(() => p.messages(1).length === 2);
});

test('a reset request overtaking lost data is answered "in progress" and completes after the data', () => {
  let dropData = 0;
  // drop the next packets from a that carry DATA but no RE-CONFIG, so the request overtakes the data
  const p = new Pair(13, [{}, {}], { delay: 5 });
  p.links[0] = { delay: 5, filter: (d) => dropData > 0 && hasChunk(d, 0) && !hasChunk(d, 130) && dropData-- > 0 };
  p.connectBoth();
  dropData = 3;
  for (let i = 0; i < 3; i++) p.a.send(p.now, 4, 53, new Uint8Array(500).fill(i + 1));
  p.a.resetStream(p.now, 4);
  p.drain();
  p.runUntil(() => resets(p, 0, 4) === 1 && resets(p, 1, 4) === 1, 30_000);
  assert.deepEqual(p.messages(1).map((m) => m.data[0]), [1, 2, 3], 'all data before the reset arrived, in order');
  assert.ok((p.b.stats.resetInProgress ?? 0) >= 1, 'the request was answered "in progress" first');
  assert.equal(p.a.stats.resetState, 0);
  assert.equal(p.b.stats.resetState, 0);
});

test('sending on a closing stream is a UsageError; the id is refused until both directions are reset', () => {
  const p = new Pair(14);
  p.connectBoth();
  p.a.resetStream(p.now, 9);
  assert.throws(() => p.a.send(p.now, 9, 51, Uint8Array.of(1)), /being reset/);
  p.drain();
  p.runUntil(() => resets(p, 0, 9) === 1);
  p.a.send(p.now, 9, 51, Uint8Array.of(1));
});
