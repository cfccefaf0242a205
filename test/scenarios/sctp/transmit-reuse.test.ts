import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../../src/core/rng.js';
import type { Millis, SansIoLayer } from '../../../src/core/types.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { SctpAssociation, type SctpEvent } from '../../../src/sctp/index.js';
import { CHUNK } from '../../../src/sctp/chunks/index.js';
import { hasChunk } from './pump.js';
import { LayerPair } from '../../sim/layer-pair.js';

/** What the stack's DTLS does with `ownedTransmits: false`: consume (here: copy) each packet before the next call. */
class SealAtOnce implements SansIoLayer<SctpEvent> {
  buffers = new Set<ArrayBufferLike>();
  /** PLPMTUD probes (HEARTBEAT + PAD): each its own array, so that no writer keeps 16 KiB. */
  probes = 0;
  constructor(readonly inner: SctpAssociation) {}
  handleInput(now: Millis, data: Uint8Array): void {
    this.inner.handleInput(now, data);
  }
  handleTimeout(now: Millis): void {
    this.inner.handleTimeout(now);
  }
  pollTransmit(): Uint8Array | undefined {
    const p = this.inner.pollTransmit();
    if (p && hasChunk(p, CHUNK.pad)) this.probes++;
    else if (p) this.buffers.add(p.buffer);
    return p?.slice();
  }
  pollEvent(): SctpEvent | undefined {
    return this.inner.pollEvent();
  }
  pollTimeout(): Millis | undefined {
    return this.inner.pollTimeout();
  }
}

test('ownedTransmits false: packets are views of one reused buffer, and a consumer that seals at once moves data byte-exact', () => {
  const a = new SealAtOnce(new SctpAssociation({ rng: new SeededRng(1), crypto: nodeCrypto, ownedTransmits: false }));
  const b = new SealAtOnce(new SctpAssociation({ rng: new SeededRng(2), crypto: nodeCrypto, ownedTransmits: false }));
  const pair = LayerPair.create<SctpEvent>(5, a, b, { link: { delayMs: 5, loss: 0.02 } });
  a.inner.connect(pair.sim.now);
  b.inner.connect(pair.sim.now);
  pair.sim.runUntil(() => pair.a.ofType('connected').length === 1 && pair.b.ofType('connected').length === 1, { maxMs: 5000 });
  const total = 2 * 1024 * 1024;
  const src = new SeededRng(3).bytes(total);
  for (let o = 0; o < total; o += 65536) a.inner.send(pair.sim.now, 1, 53, src.subarray(o, o + 65536));
  pair.sim.runUntil(() => pair.b.ofType('message').length === total / 65536, { maxMs: 120_000 });
  const got = Buffer.concat(pair.b.ofType('message').map((m) => m.data));
  assert.ok(got.equals(Buffer.from(src)), 'byte-exact under 2% loss');
  // DATA and SACK packets come from the association's writer; only INIT/COOKIE/ABORT-style packets are
  // owned copies (probes, counted apart, are fresh arrays of their own)
  assert.ok(a.probes > 0, 'PLPMTUD probed');
  assert.ok(a.buffers.size <= 6, `${a.buffers.size} distinct buffers for ${a.inner.stats.packetsOut} packets`);
  assert.ok((a.inner.stats.packetsOut ?? 0) > 100);
});
