import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createSocket, type Socket } from 'node:dgram';
import { fromUtf8, utf8 } from '../core/bytes/hex.js';
import type { Datagram } from '../core/types.js';
import { EchoCore } from '../../test/io/echo-core.js';
import { openUdpHandles } from '../../test/io/handles.js';
import { Driver } from './driver.js';
import type { DatagramTransport } from './driver.js';
import { UdpSocketSet } from './udp.js';

function receiveFrom(peer: Socket): Promise<string> {
  return once(peer, 'message').then(([msg]) => fromUtf8(msg as Uint8Array));
}

test('driver over real loopback UDP: datagrams flow, the timer fires, close leaves nothing open', async () => {
  const sockets = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const events: string[] = [];
  const core = new EchoCore();
  const driver = new Driver(core, sockets, { onEvent: (e) => events.push(e) });
  const peer = createSocket('udp4');
  peer.bind(0, '127.0.0.1');
  await once(peer, 'listening');
  const local = sockets.localAddresses[0]!;
  try {
    const echo = receiveFrom(peer);
    const sent = performance.now(); // the core sees the ping after this, and ticks 25 ms after that
    peer.send(utf8('ping'), local.port, local.address);
    assert.equal(await echo, 'ping');
    assert.equal(await receiveFrom(peer), 'tick');
    assert.ok(performance.now() - sent >= 24, 'tick came from the timer, not at once');
    assert.deepEqual(events, ['rx ping', 'tick']);
    assert.ok(core.timeouts >= 1);
  } finally {
    driver.close();
    peer.close();
    await sockets.close();
  }
  assert.equal(await openUdpHandles(), 0);
  assert.equal(process.getActiveResourcesInfo().includes('Timeout'), false, 'no timer left armed');
});

test('without onEvent the driver leaves events in the core; pump() after user calls', async () => {
  const sockets = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const core = new EchoCore();
  const unsent: Datagram[] = [];
  const driver = new Driver(core, sockets, { onUnsent: (dg) => unsent.push(dg) });
  try {
    // A "user call": feed the core directly as if a datagram came to an address we have no socket for.
    core.handleDatagram(0, { from: { address: '127.0.0.1', port: 9 }, to: { address: '127.0.0.9', port: 1 }, data: utf8('x') });
    driver.pump();
    assert.equal(unsent.length, 1);
    assert.equal(core.pollEvent(), 'rx x');
  } finally {
    driver.close();
    await sockets.close();
  }
});

test('a process that binds, exchanges and closes exits by itself', () => {
  const script = `
    import { createSocket } from 'node:dgram';
    import { once } from 'node:events';
    import { Driver } from './src/io/driver.ts';
    import { UdpSocketSet } from './src/io/udp.ts';
    import { EchoCore } from './test/io/echo-core.ts';
    const sockets = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
    const driver = new Driver(new EchoCore(), sockets);
    const peer = createSocket('udp4');
    peer.bind(0, '127.0.0.1');
    await once(peer, 'listening');
    peer.send('ping', sockets.localAddresses[0].port, '127.0.0.1');
    await once(peer, 'message');
    await once(peer, 'message');
    driver.close(); peer.close(); await sockets.close();
    console.log('done');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: new URL('../..', import.meta.url).pathname,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, NODE_TEST_CONTEXT: '' },
  });
  assert.equal(r.signal, null, `did not exit by itself: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').at(-1), 'done');
});

/** A transport that keeps what the driver sends; `deliver` plays a received datagram. */
function memoryTransport(): DatagramTransport & { sent: Datagram[]; deliver(dg: Datagram): void } {
  const t = {
    sent: [] as Datagram[],
    onMessage: undefined as ((dg: Datagram) => void) | undefined,
    send(dg: Datagram): boolean {
      t.sent.push(dg);
      return true;
    },
    deliver(dg: Datagram): void {
      t.onMessage?.(dg);
    },
  };
  return t;
}

test('pumpSoon drains once at the end of the job, received datagrams once after the read batch; each drain reports activity', async () => {
  const core = new EchoCore();
  const transport = memoryTransport();
  let activity = 0;
  const driver = new Driver(core, transport, { clock: { now: () => 0 }, onActivity: () => activity++ });
  const dg = (s: string): Datagram => ({ from: { address: '127.0.0.1', port: 1 }, to: { address: '127.0.0.1', port: 2 }, data: utf8(s) });
  try {
    // user calls that queue transmits in the core, each followed by pumpSoon()
    core.handleDatagram(0, dg('a'));
    driver.pumpSoon();
    core.handleDatagram(0, dg('b'));
    driver.pumpSoon();
    assert.equal(transport.sent.length, 0, 'nothing leaves before the job ends');
    assert.equal(activity, 0);
    await Promise.resolve();
    assert.deepEqual(transport.sent.map((d) => fromUtf8(d.data)), ['a', 'b'], 'one drain after the job');
    assert.equal(activity, 1, 'one activity report for the coalesced flush');
    transport.deliver(dg('c'));
    transport.deliver(dg('d'));
    assert.equal(transport.sent.length, 2, 'received datagrams are drained after the read batch, not each at once');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(transport.sent.map((d) => fromUtf8(d.data)), ['a', 'b', 'c', 'd']);
    assert.equal(activity, 2, 'one activity report for the batch');
    driver.close();
    core.handleDatagram(0, dg('e'));
    driver.pumpSoon();
    await Promise.resolve();
    assert.equal(transport.sent.length, 4, 'a closed driver sends nothing');
    assert.equal(activity, 2);
  } finally {
    driver.close();
  }
});

test("the core's prepare() runs once each drain's datagrams are handed to the transport, with the clock's now", () => {
  const order: string[] = [];
  let queued: Datagram[] = [];
  const core = {
    handleDatagram: (): void => {},
    handleTimeout: (): void => {},
    pollTransmit: (): Datagram | undefined => queued.shift(),
    pollEvent: (): undefined => undefined,
    pollTimeout: (): undefined => undefined,
    prepare: (now: number): void => void order.push(`prepare ${now}`),
  };
  const transport: DatagramTransport = { send: (dg) => (order.push(`send ${fromUtf8(dg.data)}`), true), onMessage: undefined };
  const driver = new Driver(core, transport, { clock: { now: () => 42 } });
  try {
    const to = { address: '127.0.0.1', port: 9 };
    queued = [{ from: to, to, data: utf8('a') }, { from: to, to, data: utf8('b') }];
    driver.pump();
    assert.deepEqual(order, ['send a', 'send b', 'prepare 42']);
  } finally {
    driver.close();
  }
});

test('pumpQueuedFirst: queued transmits and events at once, the deferred work (a full pump) in the check phase', async () => {
  // a core with one datagram and one event queued, and work it does only in its full polls
  const log: string[] = [];
  let deferred = true;
  const queued = { tx: [utf8('check')], ev: ['answer'] };
  const core = {
    handleDatagram: () => undefined,
    handleTimeout: () => undefined,
    pollQueuedTransmit: (): Datagram | undefined => {
      const d = queued.tx.shift();
      return d && { from: { address: '127.0.0.1', port: 1 }, to: { address: '127.0.0.1', port: 2 }, data: d };
    },
    pollQueuedEvent: () => queued.ev.shift(),
    pollTransmit(): Datagram | undefined {
      if (deferred) {
        deferred = false;
        log.push('deferred work');
        queued.ev.push('state');
      }
      return this.pollQueuedTransmit();
    },
    pollEvent(): string | undefined {
      return this.pollQueuedEvent();
    },
    pollTimeout: () => undefined,
  };
  const transport: DatagramTransport = { send: (dg) => (log.push(`send ${fromUtf8(dg.data)}`), true), onMessage: undefined };
  let activity = 0;
  const driver = new Driver(core, transport, { onEvent: (e) => log.push(`event ${e}`), onActivity: () => void activity++ });
  driver.pumpQueuedFirst();
  driver.pumpQueuedFirst(); // a second call before the check phase schedules nothing more
  assert.deepEqual(log, ['send check', 'event answer'], 'queued things at once, nothing deferred yet');
  await Promise.resolve();
  assert.deepEqual(log, ['send check', 'event answer'], 'not in a microtask: the user polls first');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ['send check', 'event answer', 'deferred work', 'event state']);
  assert.equal(activity, 1, 'the user is told to poll again');
  driver.close();
});
