import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUsageError } from '../../../src/core/errors.js';
import { Pair, hasChunk } from './pump.js';

const INIT = 1;
const INIT_ACK = 2;
const COOKIE_ECHO = 10;
const COOKIE_ACK = 11;

function dropFirst(type: number, count: number): (d: Uint8Array) => boolean {
  let left = count;
  return (d) => hasChunk(d, type) && left-- > 0;
}

test('one side connects, the other answers statelessly', () => {
  const p = new Pair(21);
  p.a.connect(0);
  p.drain();
  p.runUntil(() => p.connected(0) && p.connected(1));
  assert.equal(p.a.state, 'established');
  assert.equal(p.b.state, 'established');
});

for (const [name, type, side] of [['INIT', INIT, 0], ['INIT-ACK', INIT_ACK, 1], ['COOKIE-ECHO', COOKIE_ECHO, 0], ['COOKIE-ACK', COOKIE_ACK, 1]] as const) {
  test(`loss of the first two ${name} packets is recovered by T1 retransmission`, () => {
    const p = new Pair(22);
    p.links[side] = { delay: 5, filter: dropFirst(type, 2) };
    p.a.connect(0);
    p.drain();
    p.runUntil(() => p.connected(0) && p.connected(1), 10_000);
    assert.ok(p.now >= 500 + 1000, `T1 backed off (connected at ${p.now} ms)`);
  });
}

test('INIT collision under 30% loss always connects (20 seeds), with data bundled right away', () => {
  for (let seed = 100; seed < 120; seed++) {
    const p = new Pair(seed, [{}, {}], { loss: 0.3, delay: 3, reorder: 0.2, duplicate: 0.1 });
    p.a.connect(0);
    p.b.connect(0);
    p.a.send(0, 0, 50, Uint8Array.of(3, 0)); // queued before establishment (a DCEP OPEN would be)
    p.drain();
    p.runUntil(() => p.connected(0) && p.connected(1), 120_000);
    p.runUntil(() => p.messages(1).length === 1, 120_000);
  }
});

test('graceful shutdown from one side delivers queued data first, then both close', () => {
  const p = new Pair(23, [{}, {}], { loss: 0.05, delay: 5 });
  p.connectBoth();
  for (let i = 0; i < 50; i++) p.a.send(p.now, 1, 53, new Uint8Array(3000).fill(i));
  p.a.shutdown(p.now);
  assert.throws(() => p.a.send(p.now, 1, 53, Uint8Array.of(1)), (e) => isUsageError(e) && e.code === 'sctp.send.closed');
  p.drain();
  const closed = (i: 0 | 1): boolean => p.events[i].some((e) => e.type === 'closed' && e.reason === 'shutdown' && !e.error);
  p.runUntil(() => closed(0) && closed(1), 60_000);
  assert.equal(p.messages(1).length, 50);
});

test('both sides shut down at once', () => {
  const p = new Pair(24);
  p.connectBoth();
  p.a.shutdown(p.now);
  p.b.shutdown(p.now);
  p.drain();
  p.runUntil(() => p.events.every((ev) => ev.some((e) => e.type === 'closed')), 10_000);
  assert.equal(p.a.state, 'closed');
  assert.equal(p.b.state, 'closed');
});

test('ABORT from one side closes the other with the reason', () => {
  const p = new Pair(25);
  p.connectBoth();
  p.b.abort(p.now, 'bye');
  p.drain();
  p.runUntil(() => p.events[0].some((e) => e.type === 'closed'));
  const ev = p.events[0].find((e) => e.type === 'closed');
  assert.ok(ev?.type === 'closed' && ev.error && /userInitiatedAbort: bye/.test(ev.reason), JSON.stringify(ev));
  assert.throws(() => p.a.send(p.now, 1, 51, Uint8Array.of(1)), (e) => isUsageError(e) && e.code === 'sctp.send.closed');
});

test('messages of 1 byte and of the maximum size arrive whole; 0 bytes and oversize are UsageErrors', () => {
  const max = 262144;
  const p = new Pair(26, [{ remoteMaxMessageSize: max }, { maxMessageSize: max }], { loss: 0.02, delay: 5 });
  p.connectBoth();
  const big = new Uint8Array(max).map((_, i) => (i * 7) & 0xff);
  p.a.send(p.now, 1, 53, Uint8Array.of(0xab));
  p.a.send(p.now, 1, 53, big);
  p.a.send(p.now, 2, 53, big, { unordered: true });
  assert.throws(() => p.a.send(p.now, 1, 53, new Uint8Array(0)), (e) => isUsageError(e) && e.code === 'sctp.send.empty');
  assert.throws(() => p.a.send(p.now, 1, 53, new Uint8Array(max + 1)), (e) => isUsageError(e) && e.code === 'sctp.send.too-large');
  p.drain();
  p.runUntil(() => p.messages(1).length === 3, 60_000);
  const [one, b1] = p.messages(1).filter((m) => m.streamId === 1);
  assert.deepEqual([...(one?.data ?? [])], [0xab]);
  assert.deepEqual(b1?.data, big);
  assert.deepEqual(p.messages(1).find((m) => m.streamId === 2)?.data, big);
});

test('a peer advertising a small receive window is never overrun and still gets everything', () => {
  const win = 65536;
  const p = new Pair(27, [{}, { receiveWindow: win, maxMessageSize: win }], { delay: 20 });
  p.connectBoth();
  for (let i = 0; i < 64; i++) p.a.send(p.now, 1, 53, new Uint8Array(16384).fill(i));
  p.drain();
  let maxFlight = 0;
  p.runUntil(() => {
    maxFlight = Math.max(maxFlight, p.a.stats.flight ?? 0);
    return p.messages(1).length === 64;
  }, 60_000);
  assert.ok(maxFlight <= win, `flight ${maxFlight} within the peer window`);
  assert.ok(maxFlight > win / 2, `the window was used (${maxFlight})`);
  assert.equal(p.b.stats.dropped, 0);
});

test('send buffer limit gives a clear UsageError', () => {
  const p = new Pair(28, [{ sendBufferLimit: 10000 }, {}]);
  p.a.send(0, 1, 53, new Uint8Array(6000));
  assert.throws(() => p.a.send(0, 1, 53, new Uint8Array(6000)), (e) => isUsageError(e) && e.code === 'sctp.send.buffer-full');
  assert.equal(p.a.bufferedAmount(1), 6000);
});

test('an idle association sends HEARTBEATs and answers them, without closing', () => {
  const seen = { hb: 0, ack: 0 };
  const p = new Pair(29);
  p.links[0] = { delay: 5, filter: (d) => (hasChunk(d, 4) && seen.hb++ < 0) || false };
  p.links[1] = { delay: 5, filter: (d) => (hasChunk(d, 5) && seen.ack++ < 0) || false };
  p.connectBoth();
  const t = p.now;
  p.runUntil(() => p.now > t + 95_000, 100_000);
  assert.ok(seen.hb >= 3 && seen.ack >= 3, JSON.stringify(seen));
  assert.equal(p.a.state, 'established');
});

test('DATA bundled after COOKIE-ECHO is processed (Chrome sends DCEP OPEN this way)', async () => {
  const { Writer } = await import('../../../src/core/bytes/writer.js');
  const { writeData } = await import('../../../src/sctp/chunks/index.js');
  const { finishPacket } = await import('../../../src/sctp/packet.js');
  const p = new Pair(35);
  let initialTsn = 0;
  p.links[0] = {
    delay: 5,
    filter: (d) => {
      if (hasChunk(d, INIT)) initialTsn = ((d[28] as number) << 24 | (d[29] as number) << 16 | (d[30] as number) << 8 | (d[31] as number)) >>> 0;
      if (!hasChunk(d, COOKIE_ECHO)) return false;
      // re-send the COOKIE-ECHO with a DATA chunk appended, as its own delivery
      const w = new Writer();
      w.bytes(d);
      w.setU32At(8, 0); // checksum recomputed below
      writeData(w, 3, initialTsn, 0, 0, 50, Uint8Array.of(3, 0, 0, 0));
      p.b.handleInput(p.now, finishPacket(w, false));
      return true;
    },
  };
  p.a.connect(0);
  p.drain();
  p.runUntil(() => p.connected(1) && p.messages(1).length === 1, 5000);
  assert.deepEqual([...(p.messages(1)[0]?.data ?? [])], [3, 0, 0, 0]);
  assert.equal(p.messages(1)[0]?.ppid, 50);
});

test('a larger configured MTU sends larger packets (PLPMTUD off: the size is fixed)', () => {
  let largest = 0;
  const p = new Pair(36, [{ mtu: 9000, plpmtud: false }, { mtu: 9000, plpmtud: false }]);
  p.links[0] = { delay: 5, filter: (d) => ((largest = Math.max(largest, d.length)), false) };
  p.connectBoth();
  p.a.send(p.now, 1, 53, new Uint8Array(60000).fill(1));
  p.drain();
  p.runUntil(() => p.messages(1).length === 1);
  assert.ok(largest > 8000 && largest <= 9000, `largest packet ${largest}`);
});

test('the stream count is the minimum both offered, and send() enforces it', () => {
  const p = new Pair(37, [{}, { maxStreams: 16 }]);
  p.connectBoth();
  assert.equal(p.a.maxStreams, 16);
  assert.throws(() => p.a.send(p.now, 16, 51, Uint8Array.of(1)), (e) => isUsageError(e) && e.code === 'sctp.send.stream');
  p.a.send(p.now, 15, 51, Uint8Array.of(1));
  p.drain();
  p.runUntil(() => p.messages(1).length === 1);
});

test('a peer that ignores our max message size is aborted, not buffered without bound', () => {
  const p = new Pair(38, [{ remoteMaxMessageSize: 0 }, { receiveWindow: 65536, maxMessageSize: 65536 }]);
  p.connectBoth();
  p.a.send(p.now, 1, 53, new Uint8Array(1024 * 1024)); // far beyond what b reassembles
  p.drain();
  p.runUntil(() => p.events[1].some((e) => e.type === 'closed') && p.events[0].some((e) => e.type === 'closed'), 60_000);
  const ev = p.events[0].find((e) => e.type === 'closed');
  assert.ok(ev?.type === 'closed' && /protocolViolation/.test(ev.reason), JSON.stringify(ev));
});
