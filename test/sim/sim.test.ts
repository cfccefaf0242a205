import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Datagram, Millis, SansIo } from '../../src/core/types.js';
import { drainEvents } from './attach.js';
import { Sim, SimError } from './sim.js';
import { withSeed } from './scenario.js';
import { EchoCore, Pinger } from './toys.js';

function pingPair(sim: Sim, opts: { count?: number; interval?: number; size?: number } = {}) {
  const a = sim.host({ name: 'a' });
  const b = sim.host({ name: 'b' });
  const pinger = new Pinger({ address: a.address(), port: 5000 }, { address: b.address(), port: 6000 }, opts.count ?? 10, opts.interval ?? 100, opts.size);
  const pa = sim.attach(a, pinger);
  const eb = sim.attach(b, new EchoCore(), { collect: true });
  return { a, b, pinger, pa, eb };
}

test('automatic documentation addresses, IPv6 on request, duplicates refused', () => {
  const sim = new Sim({ seed: 1 });
  const a = sim.host();
  const b = sim.host({ ipv6: true });
  assert.deepEqual(a.addresses, ['198.18.0.1']);
  assert.deepEqual(b.addresses, ['198.18.0.2', '2001:db8::1']);
  assert.equal(b.address(6), '2001:db8::1');
  const nat = sim.nat();
  const c = sim.host({ behind: nat });
  assert.deepEqual(nat.publicAddresses, ['198.18.0.3']);
  assert.deepEqual(c.addresses, ['198.19.1.1']);
  assert.throws(() => sim.host({ addresses: ['198.18.0.1'] }), /already used/);
});

test('datagrams cross links with the configured delay and come back', () => {
  const sim = new Sim({ seed: 1 });
  const { a, b, pinger, eb } = pingPair(sim, { count: 3, interval: 100 });
  a.link.set({ delayMs: 10 });
  b.link.set({ delayMs: 15 });
  pinger.start(sim.now);
  sim.runUntil(() => pinger.arrivals.length === 3, { maxMs: 1000 });
  // one way = a.up (10) + b.down (15) = 25 ms; round trip 50 ms
  assert.deepEqual(eb.ofType('received').map((e) => e.at), [25, 125, 225]);
  assert.deepEqual(pinger.arrivals.map((x) => x.at), [50, 150, 250]);
  assert.deepEqual(pinger.arrivals.map((x) => x.seq), [0, 1, 2]);
  assert.equal(sim.now, 250);
});

test('runUntil jumps over idle time: 30 s of virtual time in milliseconds of CPU', () => {
  const sim = new Sim({ seed: 1 });
  const { pinger } = pingPair(sim, { count: 31, interval: 1000 });
  pinger.start(sim.now);
  const t0 = process.hrtime.bigint();
  sim.runUntil(() => pinger.arrivals.length === 31, { maxMs: 60_000 });
  const cpuMs = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(sim.now, 30_000);
  assert.ok(cpuMs < 500, `took ${cpuMs} ms`);
});

test('runUntil throws SimError with seed and trace tail on timeout and when idle', () => {
  const sim = new Sim({ seed: 777 });
  const { pinger } = pingPair(sim, { count: 1000, interval: 10 });
  pinger.start(sim.now);
  const err = (() => {
    try {
      sim.runUntil(() => false, { maxMs: 500 });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof SimError);
  assert.match(err.message, /seed=777/);
  assert.match(err.message, /not met within 500 ms/);
  assert.match(err.message, /t=\d+\.\dms 198\.18\.0\.1:5000 -> 198\.18\.0\.2:6000 len=8 RTP/);
  assert.equal(err.traceTail.length, 60);
  assert.equal(sim.now, 500);

  const idle = new Sim({ seed: 5 });
  assert.throws(() => idle.runUntil(() => false), /idle/);
});

test('a core whose deadline never moves is reported as a livelock', () => {
  const stuck: SansIo<never> = {
    handleDatagram: () => undefined,
    handleTimeout: () => undefined,
    pollTransmit: () => undefined,
    pollEvent: () => undefined,
    pollTimeout: () => 10,
  };
  const sim = new Sim({ seed: 1, maxStepsPerInstant: 50 });
  sim.attach(sim.host(), stuck);
  assert.throws(() => sim.runFor(100), /livelock/);
});

test('handleTimeout is called at the deadline, not before, and user calls between runs are drained', () => {
  const calls: Millis[] = [];
  const sent: Datagram[] = [];
  let deadline: Millis | undefined = 1234.5;
  const core: SansIo<never> & { kick(now: Millis): void } = {
    handleDatagram: () => undefined,
    handleTimeout: (now) => {
      calls.push(now);
      deadline = undefined;
    },
    pollTransmit: () => sent.shift(),
    pollEvent: () => undefined,
    pollTimeout: () => deadline,
    kick: (now) => {
      sent.push({ from: { address: '198.18.0.1', port: 1 }, to: { address: '198.18.0.2', port: 2 }, data: new Uint8Array([1, 2]) });
      deadline = now + 50;
    },
  };
  const sim = new Sim({ seed: 1 });
  const h = sim.host();
  const peer = sim.host();
  const echo = sim.attach(peer, new EchoCore(), { collect: true });
  sim.attach(h, core);
  sim.runUntilIdle();
  assert.deepEqual(calls, [1234.5]);
  core.kick(sim.now);
  sim.runUntilIdle();
  assert.deepEqual(calls, [1234.5, 1284.5]);
  assert.equal(echo.events.length, 1);
});

test('transmits from an address the host does not own are dropped as bad-source', () => {
  const sim = new Sim({ seed: 1 });
  const a = sim.host();
  const b = sim.host();
  const liar = new Pinger({ address: '203.0.113.9', port: 1 }, { address: b.address(), port: 1 }, 1, 10);
  sim.attach(a, liar);
  const eb = sim.attach(b, new EchoCore(), { collect: true });
  liar.start(0);
  sim.runUntilIdle();
  assert.equal(eb.events.length, 0);
  assert.equal(sim.dropped('bad-source'), 1);
  assert.match(sim.trace.last(1)[0] ?? '', /DROP bad-source/);
});

test('ports select the attachment; unknown destinations are no-route, unbound ports no-listener', () => {
  const sim = new Sim({ seed: 1 });
  const a = sim.host();
  const b = sim.host({ ipv6: true });
  const e1 = sim.attach(b, new EchoCore(), { collect: true, ports: [1000] });
  const e2 = sim.attach(b, new EchoCore(), { collect: true, ports: [2000] });
  const send = (to: string, port: number): void => {
    const p = new Pinger({ address: a.address(), port: 9 }, { address: to, port }, 1, 1);
    sim.attach(a, p, { ports: [] });
    p.start(sim.now);
  };
  send(b.address(), 1000);
  send(b.address(6), 2000); // from IPv4 to IPv6 is allowed by the sim; families are the cores' business
  send(b.address(), 3000);
  send('198.18.99.99', 1000);
  sim.runUntilIdle();
  assert.equal(e1.events.length, 1);
  assert.equal(e2.events.length, 1);
  assert.equal(sim.dropped('no-listener'), 3); // port 3000, and the two echoes back to a's port-less pingers
  assert.equal(sim.dropped('no-route'), 1);
});

test('events stay in the core unless collected; drainEvents drains by hand', () => {
  const sim = new Sim({ seed: 1 });
  const { pinger, pa } = pingPair(sim, { count: 2, interval: 5 });
  pinger.start(0);
  sim.runUntilIdle();
  assert.equal(pa.events.length, 0);
  const evs = drainEvents(pinger);
  assert.deepEqual(evs.map((e) => e.type), ['tick', 'received', 'tick', 'received']);
});

test('withSeed appends the seed and trace to a failing assertion', () => {
  assert.throws(
    () =>
      withSeed(4242, (sim) => {
        const { pinger } = pingPair(sim, { count: 2 });
        pinger.start(0);
        sim.runUntilIdle();
        assert.equal(pinger.arrivals.length, 3);
      }),
    (e: unknown) => e instanceof Error && /seed=4242/.test(e.message) && /198\.18\.0\.2:6000 -> 198\.18\.0\.1:5000/.test(e.message),
  );
});

test('withSeed reports async failures too', async () => {
  await assert.rejects(
    withSeed(99, async (sim) => {
      await Promise.resolve();
      throw new Error(`boom at ${sim.now}`);
    }),
    /boom at 0[\s\S]*seed=99/,
  );
});

test('pending() lists armed deadlines and packets in flight, for leak checks', () => {
  const sim = new Sim({ seed: 1 });
  const { a, pinger } = pingPair(sim, { count: 3, interval: 100 });
  a.link.set({ delayMs: 10 });
  assert.deepEqual(sim.pending(), { deadlines: [], inFlight: 0 });
  pinger.start(0);
  assert.deepEqual(sim.pending(), { deadlines: ['a'], inFlight: 1 });
  sim.runUntilIdle();
  assert.deepEqual(sim.pending(), { deadlines: [], inFlight: 0 });
});
