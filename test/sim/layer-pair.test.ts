import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LayerPair } from './layer-pair.js';
import { describeSctp } from './describe.js';
import { ChunkLayer } from './toys.js';

test('layer pair moves bytes both ways with the link delay', () => {
  const a = new ChunkLayer(3, 10);
  const b = new ChunkLayer(2, 10);
  const pair = LayerPair.create(1, a, b, { link: { delayMs: 30 }, ba: { delayMs: 5 } });
  a.start(0);
  b.start(0);
  pair.sim.runUntil(() => pair.b.events.length === 3 && pair.a.events.length === 2, { maxMs: 1000 });
  assert.deepEqual(pair.b.events.map((e) => [e.at, e.seq]), [[30, 0], [40, 1], [50, 2]]);
  assert.deepEqual(pair.a.events.map((e) => [e.at, e.seq]), [[5, 0], [15, 1]]);
  assert.equal(pair.a.transmitted, 3);
  assert.equal(pair.b.received, 3);
  assert.match(pair.sim.trace.last(1)[0] ?? '', /^t=50\.0ms A -> B len=16 /);
});

test('layer pair scripted drops: dropNext and dropWhere, per direction', () => {
  const a = new ChunkLayer(10, 1);
  const b = new ChunkLayer(4, 1);
  const pair = LayerPair.create(1, a, b);
  pair.ab.dropNext(2);
  const remove = pair.ab.dropWhere((c) => (c.data[3] as number) % 3 === 0);
  pair.ba.dropWhere(() => true, 1);
  a.start(0);
  b.start(0);
  pair.sim.runUntilIdle();
  // 0 and 1 by dropNext; then 3, 6, 9 by predicate
  assert.deepEqual(pair.b.events.map((e) => e.seq), [2, 4, 5, 7, 8]);
  assert.deepEqual(pair.a.events.map((e) => e.seq), [1, 2, 3]);
  assert.equal(pair.ab.stats.dropped.pattern, 5);
  remove();
  assert.match(pair.sim.trace.last(20).join('\n'), /DROP pattern @A->B/);
});

test('layer pair cut and restore, with a custom describer in the trace', () => {
  const a = new ChunkLayer(6, 100);
  const b = new ChunkLayer(0, 1);
  const pair = LayerPair.create(2, a, b, { names: ['client', 'server'], describe: describeSctp });
  a.start(0);
  pair.sim.runFor(150);
  pair.link.cut();
  pair.sim.runFor(200);
  pair.link.restore();
  pair.sim.runUntilIdle();
  assert.deepEqual(pair.b.events.map((e) => e.seq), [0, 1, 4, 5]);
  assert.equal(pair.ab.stats.dropped.cut, 2);
  assert.match(pair.sim.trace.last(10).join('\n'), /client -> server len=16 SCTP\[/);
});

test('tap observes every packet entering a direction, dropped or not', () => {
  const a = new ChunkLayer(5, 10);
  const pair = LayerPair.create(3, a, new ChunkLayer(0, 1), { ab: { delayMs: 1 } });
  const seen: Array<[number, number]> = [];
  const untap = pair.ab.tap((c, now) => seen.push([now, c.data[3] as number]));
  pair.ab.dropNext(1);
  a.start(0);
  pair.sim.runFor(25);
  untap();
  pair.sim.runUntilIdle();
  assert.deepEqual(seen, [[0, 0], [10, 1], [20, 2]]);
  assert.deepEqual(pair.b.events.map((e) => e.seq), [1, 2, 3, 4]);
});
