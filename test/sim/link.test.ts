import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LayerPair } from './layer-pair.js';
import type { LinkConfig } from './link.js';
import { Sim } from './sim.js';
import { ChunkLayer, EchoCore, Pinger, pingSeq } from './toys.js';

/** Sends `n` chunks A -> B one every `interval` ms over a link with `cfg`; returns arrivals in order. */
function blast(seed: number, n: number, interval: number, cfg: Partial<LinkConfig>, size = 16) {
  const a = new ChunkLayer(n, interval, size);
  const b = new ChunkLayer(0, 1);
  const pair = LayerPair.create(seed, a, b, { ab: cfg });
  a.start(0);
  pair.sim.runUntilIdle({ maxMs: 10_000_000 });
  return { pair, got: pair.b.events.map((e) => ({ at: e.at, seq: e.seq })) };
}

test('loss rate is within 4 sigma of the configured probability, for several seeds', () => {
  const n = 4000;
  for (const seed of [1, 2]) {
    for (const loss of [0.01, 0.2, 0.5]) {
      const { got, pair } = blast(seed, n, 1, { loss });
      const lost = n - got.length;
      const sigma = Math.sqrt(n * loss * (1 - loss));
      assert.ok(Math.abs(lost - n * loss) < 4 * sigma, `seed ${seed} loss ${loss}: lost ${lost}`);
      assert.equal(pair.ab.stats.dropped.loss, lost);
    }
  }
  assert.equal(blast(1, 1000, 1, { loss: 0 }).got.length, 1000);
  assert.equal(blast(1, 1000, 1, { loss: 1 }).got.length, 0);
});

test('burst loss keeps the long-run rate and makes runs of the configured mean length', () => {
  const n = 20_000;
  const { got, pair } = blast(4, n, 1, { loss: 0.1, lossBurst: 4 });
  const lost = n - got.length;
  assert.ok(Math.abs(lost / n - 0.1) < 0.02, `loss rate ${lost / n}`);
  const seen = new Set(got.map((g) => g.seq));
  const runs: number[] = [];
  for (let i = 0, run = 0; i <= n; i++) {
    if (i < n && !seen.has(i)) run++;
    else if (run > 0) {
      runs.push(run);
      run = 0;
    }
  }
  const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
  assert.ok(mean > 3.3 && mean < 4.7, `mean burst ${mean}`);
  assert.equal(pair.ab.stats.dropped.loss, lost);
  const indep = blast(4, n, 1, { loss: 0.1 }).got;
  const indepSeen = new Set(indep.map((g) => g.seq));
  let pairs = 0;
  for (let i = 1; i < n; i++) if (!indepSeen.has(i) && !indepSeen.has(i - 1)) pairs++;
  assert.ok(pairs < 0.02 * n, `independent losses rarely touch: ${pairs}`);
  assert.throws(() => pair.ab.set({ lossBurst: 0.5 }), RangeError);
});

test('delay and jitter: every packet arrives within [delay, delay + jitter], in order, jitter spread out', () => {
  const { got } = blast(7, 2000, 2, { delayMs: 40, jitterMs: 10 });
  assert.equal(got.length, 2000);
  const lat = got.map((g) => g.at - g.seq * 2);
  assert.ok(Math.min(...lat) >= 40 && Math.max(...lat) <= 50 + 2, `latency range ${Math.min(...lat)}..${Math.max(...lat)}`);
  assert.deepEqual(got.map((g) => g.seq), [...Array(2000).keys()]); // FIFO kept
  const mean = lat.reduce((s, x) => s + x, 0) / lat.length;
  assert.ok(mean > 43 && mean < 48, `mean latency ${mean}`);
  // with packets 20 ms apart the FIFO clamp never binds: latencies are uniform in [40, 50]
  const sparse = blast(8, 2000, 20, { delayMs: 40, jitterMs: 10 }).got.map((g) => g.at - g.seq * 20);
  const low = sparse.filter((x) => x < 45).length;
  assert.ok(low > 900 && low < 1100, `below 45 ms: ${low}`);
});

test('reorder lets held packets be overtaken; duplicates arrive twice', () => {
  const { got, pair } = blast(11, 1000, 5, { delayMs: 10, reorder: 0.1, reorderDelayMs: 30 });
  assert.equal(got.length, 1000);
  const inversions = got.filter((g, i) => i > 0 && g.seq < (got[i - 1]?.seq ?? 0)).length;
  assert.ok(inversions > 50, `inversions ${inversions}`);
  assert.ok(Math.abs(pair.ab.stats.reordered - 100) < 40, `reordered ${pair.ab.stats.reordered}`);
  assert.match(pair.sim.trace.last().join('\n'), /\(reordered\) @A->B/);

  const dup = blast(12, 1000, 5, { duplicate: 0.2 });
  assert.ok(Math.abs(dup.got.length - 1200) < 60, `delivered ${dup.got.length}`);
  assert.equal(dup.got.length, 1000 + dup.pair.ab.stats.duplicated);
  assert.equal(new Set(dup.got.map((g) => g.seq)).size, 1000);
});

test('MTU: larger payloads are dropped and counted, equal ones pass', () => {
  const sim = new Sim({ seed: 1 });
  const a = sim.host({ link: { mtu: 1200 } });
  const b = sim.host();
  const echo = sim.attach(b, new EchoCore(), { collect: true });
  for (const size of [1199, 1200, 1201, 9000]) {
    const p = new Pinger({ address: a.address(), port: size }, { address: b.address(), port: 1 }, 1, 1, size);
    sim.attach(a, p, { ports: [size] });
    p.start(0);
  }
  sim.runUntilIdle();
  assert.deepEqual(echo.ofType('received').map((e) => e.data.length), [1199, 1200]);
  assert.equal(a.link.up.stats.dropped.mtu, 2);
  assert.equal(sim.dropped('mtu'), 2);
  assert.match(sim.trace.last().join('\n'), /len=1201 .* DROP mtu @h1\.up/);
});

test('bandwidth paces packets and the drop-tail queue overflows', () => {
  // 1000-byte packets at 80 kbit/s: 100 ms each on the wire
  const { got } = blast(1, 5, 0, { bandwidthBps: 80_000 }, 1000);
  assert.deepEqual(got.map((g) => g.at), [100, 200, 300, 400, 500]);
  const { got: some, pair } = blast(1, 10, 0, { bandwidthBps: 80_000, queueBytes: 3000 }, 1000);
  assert.equal(some.length, 3);
  assert.equal(pair.ab.stats.dropped.queue, 7);
});

test('links reconfigure at any time: cut for consent-loss tests, then restore', () => {
  const sim = new Sim({ seed: 5 });
  const a = sim.host();
  const b = sim.host();
  const p = new Pinger({ address: a.address(), port: 1 }, { address: b.address(), port: 2 }, 40, 1000);
  sim.attach(a, p);
  sim.attach(b, new EchoCore());
  p.start(0);
  sim.runFor(9_500);
  b.link.cut();
  sim.runFor(10_000);
  b.link.down.restore();
  sim.runFor(5_000);
  b.link.up.restore();
  sim.runUntilIdle();
  const seqs = p.arrivals.map((x) => x.seq);
  assert.deepEqual(seqs, [...[...Array(10).keys()], ...Array.from({ length: 15 }, (_, i) => 25 + i)]);
  assert.equal(b.link.down.stats.dropped.cut, 10);
  assert.equal(b.link.up.stats.dropped.cut, 5);
});

test('bad link settings are refused and leave the old ones', () => {
  const { pair } = blast(1, 0, 1, {});
  assert.throws(() => pair.ab.set({ loss: 1.5 }), RangeError);
  assert.throws(() => pair.ab.set({ delayMs: -1 }), RangeError);
  assert.throws(() => pair.ab.set({ bandwidthBps: 0 }), RangeError);
  assert.throws(() => pair.ab.set({ jitterMs: NaN }), RangeError);
  assert.equal(pair.ab.config.loss, 0);
});

test('determinism: the same seed gives the same trace, another seed a different one', () => {
  const run = (seed: number): { digest: string; count: number; last: string[] } => {
    const sim = new Sim({ seed });
    const nat = sim.nat({ type: 'symmetric' });
    const a = sim.host({ behind: nat, link: { delayMs: 5, jitterMs: 20, loss: 0.1, duplicate: 0.05, reorder: 0.05 } });
    const b = sim.host({ link: { delayMs: 30, jitterMs: 5, loss: 0.05 } });
    const p = new Pinger({ address: a.address(), port: 1 }, { address: b.address(), port: 2 }, 500, 3, 100);
    sim.attach(a, p);
    sim.attach(b, new EchoCore());
    p.start(0);
    sim.runUntilIdle();
    return { digest: sim.trace.digest, count: sim.trace.count, last: sim.trace.last(50) };
  };
  const x = run(1234);
  const y = run(1234);
  assert.deepEqual(x, y);
  assert.ok(x.count > 800);
  assert.notEqual(run(1235).digest, x.digest);
});

test('pingSeq reads what the toys write', () => {
  const a = new ChunkLayer(1, 1, 4);
  a.start(0);
  const d = a.pollTransmit();
  assert.ok(d);
  assert.equal(pingSeq(d), 0);
  assert.equal(d[0], 0x80);
});
