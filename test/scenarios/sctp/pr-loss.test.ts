// Partial reliability under 10% loss and 10% reordering (the reported PR stall): messages of 3000
// bytes (3 DATA chunks each) on a PR stream while a reliable ordered stream shares the association.
// Bounds come from the loss rate: a 3-fragment message survives a link losing p of the packets with
// probability about (1 - p)^3 (0.73 at 10%; more when fragments share a packet), so >= 60% must
// arrive, the run must finish in a few seconds of virtual time, no delivery gap may reach RTO-backoff
// scale, and the RTO must stay near the real RTT (abandoned chunks used to feed it multi-second samples).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SendOptions } from '../../../src/sctp/index.js';
import { Pair } from './pump.js';

const PR_STREAM = 1;
const RELIABLE_STREAM = 2;

function runPr(seed: number, loss: number, opts: SendOptions, queueBytes = 64 * 1024, n = 1000, reliableN = 200) {
  const p = new Pair(seed, [{}, {}], { loss, reorder: loss, delay: 5, reorderDelay: 5 });
  p.connectBoth();
  const t0 = p.now;
  let sent = 0;
  let relSent = 0;
  let last = t0;
  let maxGapMs = 0;
  let maxRtoMs = 0;
  const got = new Set<number>();
  const rel: number[] = [];
  p.onEvent = (side, e) => {
    if (side !== 1 || e.type !== 'message') return;
    const id = ((e.data[0] as number) << 8) | (e.data[1] as number);
    if (e.streamId === RELIABLE_STREAM) rel.push(id);
    if (e.streamId !== PR_STREAM) return;
    assert.equal(e.data.length, 3000, 'whole messages only');
    assert.ok(!got.has(id), `message ${id} delivered twice`);
    got.add(id);
    maxGapMs = Math.max(maxGapMs, p.now - last);
    last = p.now;
  };
  const feed = (): void => {
    while (sent < n && p.a.bufferedAmount(PR_STREAM) < queueBytes) p.a.send(p.now, PR_STREAM, 53, tagged(sent++, 3000), opts);
    while (relSent < reliableN && p.a.bufferedAmount(RELIABLE_STREAM) < 4 * 1024) p.a.send(p.now, RELIABLE_STREAM, 53, tagged(relSent++, 1000));
  };
  p.runUntil(() => {
    feed();
    p.drain();
    maxRtoMs = Math.max(maxRtoMs, p.a.stats['rto'] ?? 0);
    return sent === n && p.a.bufferedAmount(PR_STREAM) === 0 && rel.length === reliableN;
  }, 120_000);
  const seconds = (p.now - t0) / 1000;
  p.runUntil(() => p.a.stats['outstanding'] === 0 && p.b.stats['recvFragments'] === 0, 30_000);
  assert.equal(p.b.stats['recvBytes'], 0, 'no reassembly leftovers hold the window');
  const lastFifty = [...got].filter((id) => id >= n - 50).length;
  return { share: got.size / n, lastFifty, seconds, maxGapMs, maxRtoMs, reliableInOrder: rel.every((id, i) => id === i) };
}

function tagged(id: number, len: number): Uint8Array {
  const m = new Uint8Array(len).fill(id & 0xff);
  m[0] = id >> 8;
  m[1] = id & 0xff;
  return m;
}

const cases: Array<[string, SendOptions]> = [
  ['unordered maxRetransmits 0', { unordered: true, maxRetransmits: 0 }],
  ['ordered maxRetransmits 0', { maxRetransmits: 0 }],
  ['unordered maxPacketLifeTime 300', { unordered: true, maxPacketLifeTime: 300 }],
  ['ordered maxPacketLifeTime 300', { maxPacketLifeTime: 300 }],
];

/** Checks one run against the bounds; `label` names the case in failures. */
function check(label: string, r: ReturnType<typeof runPr>, minShare: number, maxSeconds: number): void {
  const info = `${label}: ${JSON.stringify(r)}`;
  assert.ok(r.share >= minShare && r.share < 1, `delivered share within what the loss allows (>= ${minShare}) ${info}`);
  assert.ok(r.seconds <= maxSeconds, `finished within ${maxSeconds} s of virtual time ${info}`);
  assert.ok(r.maxGapMs <= 2000, `no stall between deliveries ${info}`);
  assert.ok(r.lastFifty >= 50 * minShare * 0.8, `the last messages arrived too (no stall at the end) ${info}`);
  assert.ok(r.maxRtoMs <= 1000, `RTO stays near the RTT ${info}`);
  assert.ok(r.reliableInOrder, `the reliable stream got everything in order meanwhile ${info}`);
}

for (const [name, opts] of cases) {
  test(`${name} at 10% loss + 10% reorder delivers what the loss allows, quickly, and reliable data keeps flowing`, () => {
    const timed = opts.maxPacketLifeTime !== undefined;
    for (const seed of [1, 2, 3]) {
      // lifetime: a short queue so messages spend their lifetime on the wire, with time for a retransmission
      const r = runPr(seed, 0.1, opts, timed ? 16 * 1024 : 64 * 1024);
      // a 3-chunk message survives 10% loss with p >= 0.9^3 = 0.73 when sent once; with retransmissions far more
      check(`seed ${seed}`, r, timed ? 0.85 : 0.6, timed ? 20 : 12);
    }
  });
}

test('PR at ~19% loss each way (10% on each of two hops, as in the facade test) does not back off into stalls', () => {
  for (const seed of [1, 2, 3]) {
    const r = runPr(seed, 0.19, { unordered: true, maxRetransmits: 0 });
    const info = `seed ${seed}: ${JSON.stringify(r)}`;
    // 0.81^3 = 0.53 of the messages can survive; abandoned chunks once fed 4-10 s RTT samples (stalls of 5-11 s)
    assert.ok(r.share >= 0.4, info);
    assert.ok(r.maxRtoMs <= 2500, `RTO not inflated by abandoned chunks ${info}`);
    assert.ok(r.seconds <= 45, info);
    assert.ok(r.reliableInOrder, info);
  }
});

test('reliable traffic alone at 10% loss + 10% reorder: goodput sanity', () => {
  const p = new Pair(4, [{}, {}], { loss: 0.1, reorder: 0.1, delay: 5, reorderDelay: 5 });
  p.connectBoth();
  const t0 = p.now;
  const total = 2000;
  let sent = 0;
  let got = 0;
  p.onEvent = (side, e) => {
    if (side === 1 && e.type === 'message') assert.equal(((e.data[0] as number) << 8) | (e.data[1] as number), got++, 'in order');
  };
  p.runUntil(() => {
    while (sent < total && p.a.bufferedAmount(1) < 64 * 1024) p.a.send(p.now, 1, 53, tagged(sent++, 1000));
    p.drain();
    return got === total;
  }, 120_000);
  const kbps = (total * 1000) / (p.now - t0); // bytes per ms = kB/s
  // TCP-friendly bound (Mathis): MSS/RTT * 1.22/sqrt(p) = 1200 B / 10 ms * 3.9 = 460 kB/s; half of it is sane
  assert.ok(kbps >= 150, `reliable goodput ${kbps.toFixed(0)} kB/s at 10% loss, RTT 10 ms`);
});
