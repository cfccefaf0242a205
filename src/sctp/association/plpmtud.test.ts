import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/bytes/hex.js';
import { Writer } from '../../core/bytes/writer.js';
import { encodeChunk } from '../chunks/index.js';
import { decodePacket } from '../packet.js';
import { EAGER_MAX, Plpmtud, type PlpmtudConfig } from './plpmtud.js';
import { PROBE_OVERHEAD, probeInfo, probedSize } from './probe.js';

const cfg: PlpmtudConfig = { enabled: true, base: 1200, max: 16384, probeTimeout: 1000, maxProbes: 3, raiseInterval: 600_000, minStep: 256 };

/** Answers every probe up to `pathMtu`, loses the others; returns the probed sizes in order. */
function drive(p: Plpmtud, pathMtu: number, until: number): number[] {
  const sizes: number[] = [];
  for (let now = 0; now < until; now += 10) {
    const probe = p.takeProbe(now);
    if (probe) {
      sizes.push(probe.size);
      if (probe.size <= pathMtu) p.onProbeAck(now + 1, probe.size);
    }
    if (p.deadline !== undefined && p.deadline <= now) p.onTimeout(now);
  }
  return sizes;
}

test('PLPMTUD search: doubles up to the cap when every probe is answered, then completes', () => {
  const p = new Plpmtud(cfg);
  p.start(0);
  assert.deepEqual(drive(p, 65535, 1000), [2400, 4800, 9600, 16384]);
  assert.equal(p.size, 16384);
  assert.equal(p.state, 'complete');
  assert.equal(p.deadline, 31 + 600_000, 'PMTU_RAISE_TIMER armed from the last answer');
});

test('PLPMTUD above 2^14 on demand only: the search stops at EAGER_MAX until a full packet had more data behind it', () => {
  const p = new Plpmtud({ ...cfg, max: 65000 });
  p.start(0);
  p.onDemand(0);
  assert.deepEqual(drive(p, 65535, 1000), [2400, 4800, 9600, EAGER_MAX], 'demand while searching is ignored');
  assert.equal(p.state, 'complete');
  p.onDemand(2000);
  assert.equal(p.state, 'searching');
  assert.deepEqual(drive(p, 65535, 1000), [32768, 65000]);
  assert.equal(p.size, 65000);
  p.onDemand(3000);
  assert.equal(p.state, 'complete', 'once: nothing above the cap');
  assert.equal(p.takeProbe(3000), undefined);
  const capped = new Plpmtud(cfg);
  capped.start(0);
  drive(capped, 65535, 1000);
  capped.onDemand(2000);
  assert.equal(capped.state, 'complete', 'a cap of 2^14 leaves nothing to search on demand');
});

test('PLPMTUD search: a failed size is probed MAX_PROBES times, then bisected to within minStep', () => {
  const p = new Plpmtud(cfg);
  p.start(0);
  const sizes = drive(p, 3000, 60_000);
  assert.deepEqual(sizes.slice(0, 4), [2400, 4800, 4800, 4800]);
  assert.ok(p.size <= 3000 && p.size > 3000 - 256, `settled at ${p.size}`);
  assert.equal(p.state, 'complete');
  assert.ok(sizes.length < 20, `${sizes.length} probes`);
});

test('PLPMTUD: disabled never probes; the cap bounds the search; a black hole falls back to the base', () => {
  const off = new Plpmtud({ ...cfg, enabled: false });
  off.start(0);
  assert.equal(off.takeProbe(0), undefined);
  assert.equal(off.size, 1200);
  const p = new Plpmtud(cfg);
  p.setCap(0, 1415);
  p.start(0);
  assert.deepEqual(drive(p, 65535, 100), [1412], 'aligned to 4 bytes below the cap');
  p.setCap(200, 16384);
  drive(p, 65535, 1000);
  assert.equal(p.size, 16384);
  p.onBlackHole(2000);
  assert.equal(p.size, 1200);
  assert.equal(p.blackHoles, 1);
  assert.equal(p.takeProbe(2000)?.size, 8788, 'the new search bisects below the size that failed');
});

test('probe packet: HEARTBEAT (info PMTU|size|seq) + PAD of exactly the probed size (RFC 8899 §6.2.1.1, RFC 4820)', () => {
  const w = new Writer();
  w.u16(5000).u16(5000).u32(0x01020304).u32(0);
  encodeChunk(w, { kind: 'heartbeat', info: probeInfo(48, 7) });
  encodeChunk(w, { kind: 'pad', padding: 48 - PROBE_OVERHEAD });
  const golden = '1388 1388 01020304 00000000 04 00 0014 0001 0010 504d5455 00000030 00000007 84 00 0010 000000000000000000000000';
  assert.equal(toHex(w.finish()), toHex(fromHex(golden)));
  const pkt = decodePacket(w.finish());
  assert.deepEqual(pkt.chunks.map((c) => c.type), [4, 0x84]);
  assert.equal(probedSize(probeInfo(16384, 1)), 16384);
  assert.equal(probedSize(new Uint8Array(8)), undefined, 'an idle-time heartbeat is not a probe');
});

test('probedSize: any bytes give a size or undefined (property)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (b) => {
    const v = probedSize(b);
    assert.ok(v === undefined || (Number.isInteger(v) && v >= 0));
  }), { numRuns: 1000 });
});

test('PLPMTUD started with a delay sends no probe before it, then searches as usual', () => {
  const p = new Plpmtud(cfg);
  p.start(0, 50);
  assert.equal(p.takeProbe(0), undefined, 'no probe at association start');
  assert.equal(p.size, 1200);
  assert.equal(p.deadline, 50);
  p.onTimeout(40);
  assert.equal(p.takeProbe(40), undefined, 'still waiting at 40 ms');
  p.onTimeout(50);
  assert.equal(p.takeProbe(50)?.size, 2400, 'the first probe once the delay is over');
});

test('PLPMTUD fragment size: the base size unless the path is stable (loopback), then the PLPMTU', () => {
  const p = new Plpmtud(cfg);
  p.start(0);
  drive(p, 65535, 1000);
  assert.equal(p.size, 16384);
  assert.equal(p.fragmentSize, 1200, 'no path information: fragments fit the base size if a black hole comes');
  p.setCap(1000, 16384, true);
  assert.equal(p.fragmentSize, 16384, 'a loopback path cannot shrink');
  p.setCap(1001, 1435, false);
  assert.equal(p.size, 1432, 'a lower cap applies at once (4-aligned)');
  assert.equal(p.fragmentSize, 1200, 'a real network path: back to base-size fragments');
});
