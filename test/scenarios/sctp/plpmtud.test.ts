import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../../src/core/rng.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { SctpAssociation, type SctpEvent, type SctpOptions } from '../../../src/sctp/index.js';
import { CHUNK } from '../../../src/sctp/chunks/index.js';
import { decodePacket } from '../../../src/sctp/packet.js';
import type { LinkConfig } from '../../sim/link.js';
import { LayerPair } from '../../sim/layer-pair.js';
import { hasChunk } from './pump.js';

/**
 * PLPMTUD (RFC 8899 with HEARTBEAT + PAD probes) on the simulator's layer pair: the packet size
 * rises only as far as probes are answered, a link MTU (the simulator drops larger packets) keeps it
 * down, a black hole mid-transfer falls back to the base size, and a peer without PAD is never probed.
 * Every transfer must still arrive whole and in order.
 */
interface Run {
  readonly pair: LayerPair<SctpEvent>;
  readonly a: SctpAssociation;
  readonly b: SctpAssociation;
  /** Largest A -> B packet carrying DATA, largest DATA chunk, and every A -> B packet size seen. */
  readonly seen: { largestData: number; largestChunk: number; sizes: number[] };
}

type Opts = [Partial<SctpOptions>, Partial<SctpOptions>];

function setup(seed: number, link: Partial<LinkConfig> = {}, opts: Opts = [{}, {}], prepare?: (p: LayerPair<SctpEvent>) => void): Run {
  const a = new SctpAssociation({ rng: new SeededRng(seed), crypto: nodeCrypto, ...opts[0] });
  const b = new SctpAssociation({ rng: new SeededRng(seed + 1), crypto: nodeCrypto, ...opts[1] });
  const pair = LayerPair.create<SctpEvent>(seed, a, b, { link: { delayMs: 5, ...link } });
  const seen = { largestData: 0, largestChunk: 0, sizes: [] as number[] };
  pair.ab.tap((p) => {
    seen.sizes.push(p.data.length);
    if (!hasChunk(p.data, CHUNK.data)) return;
    seen.largestData = Math.max(seen.largestData, p.data.length);
    for (const c of decodePacket(p.data).chunks) if (c.type === CHUNK.data) seen.largestChunk = Math.max(seen.largestChunk, c.value.length);
  });
  prepare?.(pair);
  a.connect(pair.sim.now);
  b.connect(pair.sim.now);
  pair.sim.runUntil(() => pair.a.ofType('connected').length === 1 && pair.b.ofType('connected').length === 1, { maxMs: 5000 });
  return { pair, a, b, seen };
}

/** Sends `total` bytes in 16 KiB messages with back-pressure and checks they arrive byte-exact. */
function transfer(r: Run, total: number, seed: number, during?: (sentBytes: number) => void): void {
  const { pair, a } = r;
  const src = new SeededRng(seed).bytes(total);
  const msg = 16384;
  let sent = 0;
  a.setBufferedAmountLowThreshold(1, 128 * 1024);
  const push = (): void => {
    while (sent < total && a.bufferedAmount(1) < 512 * 1024) {
      a.send(pair.sim.now, 1, 53, src.subarray(sent, sent + msg));
      sent += msg;
      during?.(sent);
    }
  };
  push();
  receiveAll(r, src, () => {
    for (const e of pair.a.take()) if (e.type === 'buffered-amount-low') push();
  });
}

/** Runs until B got `src` whole (`step` runs before each check), and checks it arrived byte-exact, in order. */
function receiveAll(r: Run, src: Uint8Array, step: () => void): void {
  let got = 0;
  const joined = new Uint8Array(src.length);
  r.pair.sim.runUntil(() => {
    step();
    for (const m of r.pair.b.take()) {
      if (m.type !== 'message') continue;
      joined.set(m.data, got);
      got += m.data.length;
    }
    return got === src.length;
  }, { maxMs: 600_000 });
  assert.ok(Buffer.from(joined).equals(Buffer.from(src)), 'byte-exact, in order');
}

test('PLPMTUD: answered probes raise the packet size to maxPacketSize, and DATA uses it', () => {
  const r = setup(11);
  r.pair.sim.runUntil(() => r.a.packetSize === 16384 && r.b.packetSize === 16384, { maxMs: 2000 });
  assert.equal(r.a.stats.pmtuProbes, 4, '1200 -> 2400 -> 4800 -> 9600 -> 16384: four probes, each answered');
  assert.ok(r.seen.sizes.includes(2400) && r.seen.sizes.includes(16384), 'probes are exactly the probed size');
  transfer(r, 4 * 1024 * 1024, 1);
  assert.ok(r.seen.largestData > 16000 && r.seen.largestData <= 16384, `largest DATA packet ${r.seen.largestData}`);
});

test('PLPMTUD: a link MTU of 1200 keeps the size at 1200; probes are dropped, the transfer completes', () => {
  const r = setup(12, { mtu: 1200 });
  transfer(r, 2 * 1024 * 1024, 2);
  r.pair.sim.runFor(30_000);
  assert.equal(r.a.packetSize, 1200);
  assert.ok(r.seen.largestData <= 1200, `largest DATA packet ${r.seen.largestData}`);
  assert.ok(r.pair.ab.stats.dropped.mtu > 0, 'probes above the MTU were sent and dropped');
  const probes = r.a.stats.pmtuProbes ?? 0;
  assert.ok(probes > 0 && probes <= 3 * 6, `bounded search: ${probes} probes`);
  assert.equal(r.a.stats.retransmissions, 0, 'probe loss is not data loss');
});

test('PLPMTUD: a link MTU between the steps is found from below (bounded bisection)', () => {
  const r = setup(13, { mtu: 5000 });
  r.pair.sim.runFor(60_000);
  assert.ok(r.a.packetSize > 5000 - 256 && r.a.packetSize <= 5000, `settled at ${r.a.packetSize}`);
  transfer(r, 1024 * 1024, 3);
  assert.ok(r.seen.largestData <= 5000 && r.seen.largestData > 4000, `largest DATA packet ${r.seen.largestData}`);
});

test('PLPMTUD: a black hole mid-transfer (the MTU drops to 1200) falls back to 1200 and the transfer completes', () => {
  const r = setup(14);
  r.pair.sim.runUntil(() => r.a.packetSize === 16384, { maxMs: 2000 });
  let holed = false;
  transfer(r, 8 * 1024 * 1024, 4, (sent) => {
    if (!holed && sent >= 2 * 1024 * 1024) {
      holed = true;
      r.pair.ab.set({ mtu: 1200 });
    }
  });
  assert.ok(holed);
  assert.equal(r.a.stats.pmtuBlackHoles, 1);
  assert.equal(r.a.packetSize, 1200);
  assert.ok(r.pair.ab.stats.dropped.mtu > 0);
});

test('PLPMTUD: a peer that does not list PAD is never probed and gets 1200-byte packets', () => {
  const r = setup(15, {}, [{}, { plpmtud: false }]);
  transfer(r, 1024 * 1024, 5);
  assert.equal(r.a.stats.pmtuProbes, 0);
  assert.ok(r.seen.sizes.every((n) => n <= 1200), 'nothing above 1200 towards it');
  assert.equal(r.b.packetSize, 1200, 'plpmtud: false keeps its own packets at mtu');
});

test('PLPMTUD: a peer that lists PAD but drops every probe keeps us at 1200 after a bounded search', () => {
  const r = setup(16, {}, [{}, {}], (p) => void p.ab.dropWhere((d) => hasChunk(d.data, CHUNK.pad)));
  transfer(r, 1024 * 1024, 6);
  r.pair.sim.runFor(60_000);
  assert.equal(r.a.packetSize, 1200);
  const probes = r.a.stats.pmtuProbes ?? 0;
  assert.ok(probes >= 3 && probes <= 3 * 6, `bounded search: ${probes} probes`);
  assert.ok(r.seen.largestData <= 1200);
});

test('PLPMTUD: the path cap from the binding bounds the search and a lower cap applies at once', () => {
  const r = setup(17);
  r.a.setPathMaxPacketSize(1432);
  r.pair.sim.runUntil(() => r.a.packetSize === 1432, { maxMs: 2000 });
  r.a.setPathMaxPacketSize(1300);
  assert.equal(r.a.packetSize, 1300);
  r.a.setPathMaxPacketSize(16384);
  r.pair.sim.runUntil(() => r.a.packetSize === 16384, { maxMs: 2000 });
  transfer(r, 512 * 1024, 7);
});

test('PLPMTUD fragments: cut for the base size on a path that may shrink, even with 16 KiB packets', () => {
  const r = setup(18);
  r.pair.sim.runUntil(() => r.a.packetSize === 16384, { maxMs: 2000 });
  transfer(r, 1024 * 1024, 8);
  assert.ok(r.seen.largestData > 16000, `packets grew: ${r.seen.largestData}`);
  assert.equal(r.seen.largestChunk, 1200 - 12 - 4, 'DATA chunks (12-byte header + payload) fit a 1200-byte packet');
});

test('PLPMTUD fragments: on a stable (loopback) path they grow with the PLPMTU, a 16 KiB message in 2 chunks', () => {
  const r = setup(19);
  r.a.setPathMaxPacketSize(16384, true);
  r.pair.sim.runUntil(() => r.a.packetSize === 16384, { maxMs: 2000 });
  const before = r.a.stats.packetsOut ?? 0;
  transfer(r, 4 * 1024 * 1024, 9);
  assert.equal(r.seen.largestChunk, 16384 - 12 - 4, 'a chunk as large as the packet allows');
  const packets = (r.a.stats.packetsOut ?? 0) - before;
  assert.ok(packets >= 256 && packets < 300, `4 MiB in 16 KiB messages: ${packets} packets`);
});

test('PLPMTUD fragments: large chunks in flight when the cap falls are retransmitted alone, oversized, and the transfer completes', () => {
  const r = setup(20);
  const { pair, a } = r;
  a.setPathMaxPacketSize(16384, true);
  pair.sim.runUntil(() => a.packetSize === 16384, { maxMs: 2000 });
  // lose the 11th to 13th large DATA packets; the cap falls (a new pair on a real network) before
  // their chunks, cut for 16 KiB packets, can be sent again
  let big = 0;
  let dropped = 0;
  pair.ab.dropWhere((p) => {
    if (!hasChunk(p.data, CHUNK.data) || p.data.length <= 8000 || ++big <= 10 || dropped === 3) return false;
    dropped++;
    return true;
  });
  const total = 2 * 1024 * 1024;
  const src = new SeededRng(10).bytes(total);
  for (let o = 0; o < total; o += 16384) a.send(pair.sim.now, 1, 53, src.subarray(o, o + 16384));
  let lowered = false;
  receiveAll(r, src, () => {
    if (dropped === 3 && !lowered) {
      lowered = true;
      a.setPathMaxPacketSize(1435, false);
    }
  });
  assert.ok(lowered && dropped === 3);
  assert.ok((a.stats.retransmissions ?? 0) >= 3, `chunks sent again: ${a.stats.retransmissions}`);
  assert.equal(a.packetSize, 1432);
});
