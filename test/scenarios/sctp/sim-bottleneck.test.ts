import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../../src/core/rng.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { SctpAssociation, type SctpEvent } from '../../../src/sctp/index.js';
import { LayerPair } from '../../sim/layer-pair.js';

/**
 * On the simulator's layer-pair harness: a 20 Mbit/s bottleneck with a 64 KiB drop-tail queue;
 * no random loss: queue overflow is the only congestion signal. Congestion control must find the rate and every
 * byte of 4 MiB must arrive in order.
 */
test('4 MiB through a 20 Mbit/s bottleneck with a drop-tail queue (sim layer pair)', () => {
  const a = new SctpAssociation({ rng: new SeededRng(1), crypto: nodeCrypto });
  const b = new SctpAssociation({ rng: new SeededRng(2), crypto: nodeCrypto });
  const pair = LayerPair.create<SctpEvent>(77, a, b, { link: { delayMs: 15, bandwidthBps: 20e6, queueBytes: 64 * 1024 } });
  a.connect(pair.sim.now);
  b.connect(pair.sim.now);
  pair.sim.runUntil(() => pair.a.ofType('connected').length === 1 && pair.b.ofType('connected').length === 1, { maxMs: 5000 });
  const total = 4 * 1024 * 1024;
  const src = new SeededRng(9).bytes(total);
  for (let o = 0; o < total; o += 32768) a.send(pair.sim.now, 1, 53, src.subarray(o, o + 32768));
  const t0 = pair.sim.now;
  let got = 0;
  pair.sim.runUntil(() => (got = pair.b.ofType('message').reduce((n, m) => n + m.data.length, 0)) === total, { maxMs: 120_000 });
  const secs = (pair.sim.now - t0) / 1000;
  const rate = (total * 8) / secs / 1e6;
  const joined = new Uint8Array(total);
  let o = 0;
  for (const m of pair.b.ofType('message')) {
    joined.set(m.data, o);
    o += m.data.length;
  }
  assert.deepEqual(joined, src);
  assert.equal(got, total);
  // a sane share of the bottleneck: at least 60% of 20 Mbit/s through queue drops
  assert.ok(rate > 12, `goodput ${rate.toFixed(1)} Mbit/s`);
  assert.ok(pair.ab.stats.dropped.queue > 0 || (a.stats.retransmissions ?? 0) > 0);
});
