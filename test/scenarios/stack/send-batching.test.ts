// The per-message path (issue 6): messages put in one job share packets (the facade asks the binding
// to pump once at the end of the job), a lone message still leaves at the end of its job, and the
// wake callback (rtcpeer extension) is enough to drive a connection without any polling timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createLogger, formatLogRecord } from '../../../src/core/logger.js';
import { SeededRng } from '../../../src/core/rng.js';
import type { Rng } from '../../../src/core/rng.js';
import type { StackBinding } from '../../../src/facade/binding.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { nodeBinding } from '../../../src/facade/node-binding.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { dtlsFactory } from '../../../src/stack/dtls-binding.js';
import { realLayers } from '../../../src/stack/layers.js';
import { wireMinimal } from './minimal.js';
import { TestNet } from './test-net.js';

const logger = createLogger((r) => console.log(formatLogRecord(r)), 'error');

function layers(rng: Rng) {
  const r = new SeededRng(rng.u32());
  return realLayers({ rng: r, crypto: nodeCrypto, dtls: dtlsFactory({ rng: r, crypto: nodeDtlsCrypto }), includeLoopback: true });
}

/** TestNet's binding plus `pumpSoon` (a microtask, as the Node driver) and a count of datagrams sent. */
function countingBinding(net: TestNet, name: string): { env: StackBinding; datagrams: () => number } {
  const base = net.binding(name, layers);
  let datagrams = 0;
  const env: StackBinding = {
    now: () => base.now(),
    createStack(config, log) {
      const stack = base.createStack(config, log);
      const poll = stack.pollTransmit.bind(stack);
      stack.pollTransmit = () => {
        const d = poll();
        if (d) datagrams++;
        return d;
      };
      return stack;
    },
    attach(stack, onEvent, onActivity) {
      const t = base.attach(stack, onEvent);
      let soon = false;
      const pumpSoon = (): void => {
        if (soon) return;
        soon = true;
        queueMicrotask(() => {
          soon = false;
          t.pump();
          onActivity?.();
        });
      };
      return { pump: () => t.pump(), pumpSoon, close: () => t.close() };
    },
  };
  return { env, datagrams: () => datagrams };
}

/** Two simulated peers (p1's datagrams counted) with a negotiated channel open on both sides. */
function openPair(): { net: TestNet; a: ReturnType<typeof countingBinding>; p1: WebRTCPeerConnection; p2: WebRTCPeerConnection; c1: WebRTCDataChannel; c2: WebRTCDataChannel; poll: () => void } {
  const net = new TestNet();
  const a = countingBinding(net, 'a');
  const p1 = new WebRTCPeerConnection({ env: a.env, logger });
  const p2 = new WebRTCPeerConnection({ env: net.binding('b', layers), logger });
  wireMinimal(p1, p2);
  const c1 = p1.createDataChannel('x', { negotiated: true, id: 1 });
  const c2 = p2.createDataChannel('x', { negotiated: true, id: 1 });
  assert.ok(c1 && c2);
  const poll = (): void => {
    p1.poll();
    p2.poll();
  };
  assert.equal(p1.createOffer(), GodotError.OK);
  assert.ok(net.run(() => c1.getReadyState() === WebRTCDataChannel.STATE_OPEN && c2.getReadyState() === WebRTCDataChannel.STATE_OPEN, 10_000, 1, poll));
  return { net, a, p1, p2, c1, c2, poll };
}

test('100 small messages put in one job leave in a few packets, in order; a lone message leaves at the end of its job', async () => {
  const { net, a, p1, p2, c1, c2, poll } = openPair();
  await nextTurn();
  const before = a.datagrams();
  for (let i = 0; i < 100; i++) assert.equal(c1.putPacket(new Uint8Array(64).fill(i)), GodotError.OK);
  assert.equal(a.datagrams(), before, 'nothing is packetized while the job runs');
  assert.equal(c1.getBufferedAmount(), 6400, 'the messages are buffered');
  await nextTurn();
  const packets = a.datagrams() - before;
  assert.ok(packets >= 1 && packets <= 12, `100 messages of 64 B in ${packets} datagrams`);
  assert.ok(net.run(() => c2.getAvailablePacketCount() === 100, 5_000, 1, poll));
  for (let i = 0; i < 100; i++) assert.equal(c2.getPacket()[0], i, 'in order');
  assert.ok(net.run(() => c1.getBufferedAmount() === 0, 5_000, 1, poll));
  const lone = a.datagrams();
  assert.equal(c1.putPacket(Uint8Array.of(1, 2, 3)), GodotError.OK);
  await Promise.resolve();
  assert.ok(a.datagrams() > lone, 'a lone message leaves at the end of its job, not at a timer');
  p1.close();
  p2.close();
});

test('received messages: a small one that shared its packet comes in a buffer of its own, a large one as a view of its record', async () => {
  const { net, p1, p2, c1, c2, poll } = openPair();
  await nextTurn();
  for (let i = 0; i < 10; i++) assert.equal(c1.putPacket(new Uint8Array(64).fill(i)), GodotError.OK);
  assert.equal(c1.putPacket(new Uint8Array(1000).fill(7)), GodotError.OK);
  assert.ok(net.run(() => c2.getAvailablePacketCount() === 11, 5_000, 1, poll));
  for (let i = 0; i < 10; i++) {
    const m = c2.getPacket();
    assert.equal(m[0], i);
    assert.equal(m.buffer.byteLength, 64, 'copied out of the record it shared with nine others');
  }
  const large = c2.getPacket();
  assert.equal(large.length, 1000);
  assert.ok(large.buffer.byteLength < 4 * 1000, `not copied: a view of its ${large.buffer.byteLength}-byte record`);
  p1.close();
  p2.close();
});

test('messages put in the same job as close() leave before the ABORT', async () => {
  const { net, p1, p2, c1, c2, poll } = openPair();
  for (let i = 0; i < 3; i++) assert.equal(c1.putPacket(Uint8Array.of(i)), GodotError.OK);
  p1.close();
  assert.ok(net.run(() => c2.getReadyState() === WebRTCDataChannel.STATE_CLOSED, 5_000, 1, poll), 'the ABORT arrived');
  assert.deepEqual([c2.getPacket()[0], c2.getPacket()[0], c2.getPacket()[0]], [0, 1, 2], 'the messages came first');
  p2.close();
});

test('wake callback alone drives two peers over loopback UDP: connect, 200 ping-pongs, a 500-message burst, no polling timer', async () => {
  const env = nodeBinding({ addresses: ['127.0.0.1'] });
  const p1 = new WebRTCPeerConnection({ env, logger });
  const p2 = new WebRTCPeerConnection({ env, logger });
  let wakes = 0;
  let onTurn = (): void => {};
  let scheduled = false;
  const turn = (): void => {
    scheduled = false;
    p1.poll();
    p2.poll();
    onTurn();
  };
  const wake = (): void => {
    wakes++;
    if (scheduled) return;
    scheduled = true;
    setImmediate(turn);
  };
  p1.setWakeCallback(wake);
  p2.setWakeCallback(wake);
  try {
    const c1 = p1.createDataChannel('x', { negotiated: true, id: 1 });
    const c2 = p2.createDataChannel('x', { negotiated: true, id: 1 });
    assert.ok(c1 && c2);
    wireMinimal(p1, p2);
    assert.equal(p1.createOffer(), GodotError.OK);
    wake(); // after our own call, poll as usual
    const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
      Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms (wakes ${wakes})`)), ms).unref())]);
    await within(10_000, 'open', new Promise<void>((resolve) => {
      onTurn = () => c1.getReadyState() === WebRTCDataChannel.STATE_OPEN && c2.getReadyState() === WebRTCDataChannel.STATE_OPEN && resolve();
    }));
    let pongs = 0;
    await within(10_000, 'ping-pong', new Promise<void>((resolve) => {
      onTurn = () => {
        while (c2.getAvailablePacketCount() > 0) c2.putPacket(c2.getPacket());
        while (c1.getAvailablePacketCount() > 0) {
          assert.deepEqual(Array.from(c1.getPacket()), [pongs & 255]);
          if (++pongs === 200) return resolve();
          c1.putPacket(Uint8Array.of(pongs & 255));
        }
      };
      c1.putPacket(Uint8Array.of(0));
    }));
    let got = 0;
    await within(10_000, 'burst', new Promise<void>((resolve) => {
      onTurn = () => {
        while (c1.getAvailablePacketCount() > 0) if (c1.getPacket().length === 64 && ++got === 500) resolve();
      };
      for (let i = 0; i < 500; i++) assert.equal(c2.putPacket(new Uint8Array(64)), GodotError.OK);
    }));
    // asleep when idle: no wake without traffic. The PLPMTUD search (probes up to 65000 bytes on
    // loopback, from about 100 ms after the channel opened) is traffic: let it end first.
    await new Promise((r) => setTimeout(r, 300));
    const idle = wakes;
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(wakes - idle <= 2, `woken ${wakes - idle} times while idle`);
  } finally {
    p1.close();
    p2.close();
  }
});
