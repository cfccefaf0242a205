// Facade scenarios on the simulator with the whole real stack: loss, reordering, duplication,
// partial reliability, channel churn, close from either side, message sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSeed } from '../../sim/index.js';
import type { Sim } from '../../sim/index.js';
import type { LinkConfig } from '../../sim/index.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection, createPeerConnection } from '../../../src/facade/index.js';
import { wireMinimal } from './minimal.js';
import { simEnv } from './sim-env.js';

function peers(sim: Sim, link: Partial<LinkConfig> = {}) {
  const h1 = sim.host({ name: 'p1', link });
  const h2 = sim.host({ name: 'p2', link });
  const p1 = createPeerConnection({ env: simEnv(sim, h1) });
  const p2 = createPeerConnection({ env: simEnv(sim, h2) });
  wireMinimal(p1, p2);
  const received: WebRTCDataChannel[] = [];
  p2.connect('data_channel_received', (c) => received.push(c));
  const poll = (): void => {
    p1.poll();
    p2.poll();
  };
  const run = (pred: () => boolean, maxMs = 30_000): void => sim.runUntil(() => (poll(), pred()), { maxMs });
  return { p1, p2, h1, h2, received, run };
}

function connect(s: ReturnType<typeof peers>, ...chs: WebRTCDataChannel[]): void {
  s.p1.createOffer();
  const inband = chs.filter((c) => !c.isNegotiated()).length;
  s.run(() => chs.every((c) => c.getReadyState() === WebRTCDataChannel.STATE_OPEN) && s.received.length >= inband && s.p2.getConnectionState() === WebRTCPeerConnection.STATE_CONNECTED);
}

test('16 MiB reliable ordered arrives byte-exact under 5% loss, reordering and duplication', () => {
  withSeed(11, (sim) => {
    const s = peers(sim, { delayMs: 10, jitterMs: 2, loss: 0.05, reorder: 0.05, duplicate: 0.02 });
    const ch = s.p1.createDataChannel('bulk');
    assert.ok(ch);
    connect(s, ch);
    const total = 16 * 1024 * 1024;
    const size = 60_000;
    let sent = 0;
    let got = 0;
    let expect = 0;
    s.run(() => {
      while (sent < total && ch.getBufferedAmount() < 2 * 1024 * 1024) {
        const n = Math.min(size, total - sent);
        const m = new Uint8Array(n);
        for (let i = 0; i < n; i += 997) m[i] = (sent + i) & 255;
        assert.equal(ch.putPacket(m), GodotError.OK);
        sent += n;
      }
      const r = s.received[0];
      while (r && r.getAvailablePacketCount() > 0) {
        const p = r.getPacket();
        for (let i = 0; i < p.length; i += 997) if (p[i] !== ((expect + i) & 255)) assert.fail(`byte ${expect + i} differs`);
        expect += p.length;
        got += p.length;
      }
      return got === total;
    }, 600_000);
    assert.equal(got, total);
  });
});

test('unordered maxRetransmits 0 under loss: whole messages only, never stalls', () => {
  withSeed(12, (sim) => {
    // LOSS / REORDER override the link for investigation: at 10% loss the SCTP sender stalls for
    // tens of seconds (reported to the sctp owner); 5% is what this test holds the stack to.
    const s = peers(sim, { delayMs: 5, loss: Number(process.env['LOSS'] ?? 0.05), reorder: Number(process.env['REORDER'] ?? 0.05) });
    const ch = s.p1.createDataChannel('state', { ordered: false, maxRetransmits: 0 });
    assert.ok(ch);
    connect(s, ch);
    const r = s.received[0] as WebRTCDataChannel;
    assert.deepEqual([r.isOrdered(), r.getMaxRetransmits()], [false, 0]);
    const seen = new Set<number>();
    let i = 0;
    s.run(() => {
      if (i < 2000 && ch.getBufferedAmount() < 64 * 1024) {
        const m = new Uint8Array(3000).fill(i & 255);
        m[0] = i >> 8;
        m[1] = i & 255;
        ch.putPacket(m);
        i++;
      }
      while (r.getAvailablePacketCount() > 0) {
        const p = r.getPacket();
        assert.equal(p.length, 3000, 'whole messages only');
        const id = ((p[0] as number) << 8) | (p[1] as number);
        assert.ok(p.subarray(2).every((b) => b === (id & 255)), 'no mixed fragments');
        seen.add(id);
      }
      return i === 2000 && ch.getBufferedAmount() === 0;
    }, 120_000);
    // Late messages keep arriving after losses: the channel did not stall behind a gap.
    assert.ok([...seen].filter((id) => id >= 1950).length > 25, 'the last messages arrived (no stall behind losses)');
    assert.ok(seen.size > 1000 && seen.size < 2000, `delivered ${seen.size} of 2000 under loss`);
  });
});

test('maxPacketLifeTime abandons messages on time while the path is down', () => {
  withSeed(13, (sim) => {
    const s = peers(sim, { delayMs: 5 });
    const ch = s.p1.createDataChannel('timed', { maxPacketLifetime: 300 });
    assert.ok(ch);
    connect(s, ch);
    const r = s.received[0] as WebRTCDataChannel;
    assert.equal(r.getMaxPacketLifeTime(), 300);
    s.h1.link.cut();
    for (let i = 0; i < 5; i++) ch.putPacket(Uint8Array.of(1, i));
    sim.runFor(1500);
    s.h1.link.restore();
    ch.putPacket(Uint8Array.of(2));
    const t0 = sim.now;
    s.run(() => r.getAvailablePacketCount() > 0, 5000);
    assert.deepEqual(Array.from(r.getPacket()), [2], 'the expired messages were abandoned, not delivered');
    assert.ok(sim.now - t0 < 1000, `the new message was not held behind the abandoned ones (${sim.now - t0} ms)`);
    sim.runFor(2000);
    assert.equal(r.getAvailablePacketCount(), 0);
  });
});

test('message sizes 0, 1 and the maximum; over the maximum is refused', () => {
  withSeed(14, (sim) => {
    const s = peers(sim, { delayMs: 5, loss: 0.02 });
    const ch = s.p1.createDataChannel('sizes');
    assert.ok(ch);
    connect(s, ch);
    const r = s.received[0] as WebRTCDataChannel;
    const max = 262144;
    // putPacket ignores an empty buffer by default (Godot's PacketPeer); with the sendEmptyPackets
    // extension it goes out as an empty message (PPID 56/57). Then 1 byte, the maximum, one more.
    assert.equal(ch.putPacket(new Uint8Array(0)), GodotError.OK);
    assert.equal(ch.putPacket(Uint8Array.of(9)), GodotError.OK);
    const big = new Uint8Array(max).map((_, i) => i & 255);
    assert.equal(ch.putPacket(big), GodotError.OK);
    assert.equal(ch.putPacket(new Uint8Array(max + 1)), GodotError.ERR_INVALID_PARAMETER);
    ch.sendEmptyPackets = true;
    ch.writeMode = WebRTCDataChannel.WRITE_MODE_TEXT;
    assert.equal(ch.putPacket(new Uint8Array(0)), GodotError.OK);
    ch.writeMode = WebRTCDataChannel.WRITE_MODE_BINARY;
    assert.equal(ch.putPacket(new Uint8Array(0)), GodotError.OK);
    s.run(() => r.getAvailablePacketCount() === 4);
    assert.deepEqual(Array.from(r.getPacket()), [9]);
    const got = r.getPacket();
    assert.equal(got.length, max);
    assert.ok(got.every((b, i) => b === (i & 255)));
    assert.equal(r.getPacket().length, 0, 'empty text message');
    assert.equal(r.wasStringPacket(), true);
    assert.equal(r.getPacket().length, 0, 'empty binary message');
    assert.equal(r.wasStringPacket(), false);
    assert.equal(r.getPacketError(), GodotError.OK);
  });
});

test('1000 open/close cycles of in-band channels from either side leave nothing behind', () => {
  withSeed(15, (sim) => {
    const s = peers(sim, { delayMs: 2 });
    const keep = s.p1.createDataChannel('keep', { negotiated: true, id: 0 });
    const keep2 = s.p2.createDataChannel('keep', { negotiated: true, id: 0 });
    assert.ok(keep && keep2);
    connect(s, keep, keep2);
    const ids = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const before = s.received.length;
      const ch = s.p1.createDataChannel(`c${i}`);
      assert.ok(ch);
      s.run(() => s.received.length === before + 1, 5000);
      const remote = s.received[before] as WebRTCDataChannel;
      ids.add(ch.getId());
      (i % 2 === 0 ? ch : remote).close(); // close from either side
      s.run(() => ch.getReadyState() === WebRTCDataChannel.STATE_CLOSED && remote.getReadyState() === WebRTCDataChannel.STATE_CLOSED, 5000);
    }
    assert.ok(ids.size <= 2, `closed ids were reused (${[...ids].join(',')})`);
    s.received.length = 0;
    keep.putPacket(Uint8Array.of(5));
    s.run(() => keep2.getAvailablePacketCount() === 1);
    assert.equal(keep.getReadyState(), WebRTCDataChannel.STATE_OPEN);
  });
});

test('peer connection close from either side closes the other side\'s channels', () => {
  for (const closer of [0, 1]) {
    withSeed(16 + closer, (sim) => {
      const s = peers(sim, { delayMs: 5 });
      const ch = s.p1.createDataChannel('x');
      assert.ok(ch);
      connect(s, ch);
      const r = s.received[0] as WebRTCDataChannel;
      (closer === 0 ? s.p1 : s.p2).close();
      s.run(() => ch.getReadyState() === WebRTCDataChannel.STATE_CLOSED && r.getReadyState() === WebRTCDataChannel.STATE_CLOSED, 5000);
      assert.equal((closer === 0 ? s.p1 : s.p2).getConnectionState(), WebRTCPeerConnection.STATE_CLOSED);
    });
  }
});

test('path lost: DISCONNECTED after consent silence, FAILED at consent expiry, channels closed', () => {
  withSeed(18, (sim) => {
    const s = peers(sim, { delayMs: 5 });
    const ch = s.p1.createDataChannel('x');
    assert.ok(ch);
    connect(s, ch);
    const t0 = sim.now;
    s.h1.link.cut();
    s.run(() => s.p1.getConnectionState() === WebRTCPeerConnection.STATE_DISCONNECTED, 15_000);
    const disconnectedAfter = sim.now - t0;
    s.run(() => s.p1.getConnectionState() === WebRTCPeerConnection.STATE_FAILED, 40_000);
    assert.ok(disconnectedAfter < 15_000 && sim.now - t0 >= 25_000, `disconnected after ${disconnectedAfter} ms, failed after ${sim.now - t0} ms`);
    assert.equal(ch.getReadyState(), WebRTCDataChannel.STATE_CLOSED);
    assert.equal(ch.putPacket(Uint8Array.of(1)), GodotError.ERR_UNCONFIGURED);
  });
});

test('getBufferedAmount reflects queued bytes; maxBufferedAmount gives ERR_BUSY, then drains', () => {
  withSeed(19, (sim) => {
    const h1 = sim.host({ name: 'p1', link: { delayMs: 20 } });
    const h2 = sim.host({ name: 'p2', link: { delayMs: 20 } });
    const p1 = createPeerConnection({ env: simEnv(sim, h1), channelLimits: { maxBufferedAmount: 100_000 } });
    const p2 = createPeerConnection({ env: simEnv(sim, h2) });
    wireMinimal(p1, p2);
    const a = p1.createDataChannel('b', { negotiated: true, id: 2 });
    const b = p2.createDataChannel('b', { negotiated: true, id: 2 });
    assert.ok(a && b);
    p1.createOffer();
    sim.runUntil(() => (p1.poll(), p2.poll(), a.getReadyState() === WebRTCDataChannel.STATE_OPEN && b.getReadyState() === WebRTCDataChannel.STATE_OPEN), { maxMs: 10_000 });
    const m = new Uint8Array(30_000);
    assert.equal(a.putPacket(m), GodotError.OK);
    assert.equal(a.putPacket(m), GodotError.OK);
    assert.equal(a.putPacket(m), GodotError.OK);
    assert.ok(a.getBufferedAmount() >= 60_000, `buffered ${a.getBufferedAmount()}`);
    assert.equal(a.putPacket(m), GodotError.ERR_BUSY, 'over 100000 queued bytes');
    sim.runUntil(() => b.getAvailablePacketCount() === 3 && a.getBufferedAmount() === 0, { maxMs: 10_000 });
    assert.equal(a.putPacket(m), GodotError.OK);
  });
});

test('putPacket copies: the caller may reuse its buffer at once (small messages in shared slabs, large ones on their own)', () => {
  withSeed(12, (sim) => {
    const s = peers(sim, { delayMs: 5, loss: 0.1 });
    const ch = s.p1.createDataChannel('copy');
    assert.ok(ch);
    connect(s, ch);
    const rx = s.received[0];
    assert.ok(rx);
    const buf = new Uint8Array(6000);
    const sizes = [1, 64, 2048, 2049, 6000, 100];
    for (const [i, n] of sizes.entries()) {
      buf.fill(i + 1, 0, n);
      assert.equal(ch.putPacket(buf.subarray(0, n)), GodotError.OK);
      buf.fill(0xee); // the caller overwrites its buffer before anything was sent
    }
    const got: Uint8Array[] = [];
    s.run(() => {
      while (rx.getAvailablePacketCount() > 0) got.push(rx.getPacket());
      return got.length === sizes.length;
    });
    assert.deepEqual(got.map((g) => [g.length, new Set(g).size, g[0]]), sizes.map((n, i) => [n, 1, i + 1]));
  });
});
