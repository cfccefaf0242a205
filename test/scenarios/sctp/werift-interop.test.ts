import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { SeededRng } from '../../../src/core/rng.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { SctpAssociation, type SctpEvent } from '../../../src/sctp/index.js';

/**
 * Interop with an independent implementation: werift's pure-TypeScript SCTP (a port of aiortc's),
 * in process, without DTLS. werift runs on timers and Date, so node:test's mock timers give it the
 * same virtual clock as ours; setImmediate stays real to let its promise chains settle.
 */
interface WeriftSctp {
  start(remotePort?: number): Promise<void>;
  send(streamId: number, ppid: number, data: Buffer, o?: { ordered?: boolean; maxRetransmits?: number }): Promise<void>;
  onReceive: { subscribe(f: (sid: number, ppid: number, data: Buffer) => void): void };
  onReconfigStreams: { subscribe(f: (ids: number[]) => void): void };
  transmitReconfigRequest(): Promise<void>;
  reconfigQueue: number[];
  state: string;
}
interface WeriftModule {
  SCTP: { client(t: unknown, port?: number): WeriftSctp; server(t: unknown, port?: number): WeriftSctp };
}

const require = createRequire(import.meta.url);
// the package's exports map hides the SCTP module: load its file directly
const werift = require('../../../node_modules/werift/lib/sctp/src/sctp.js') as WeriftModule;

const settle = async (): Promise<void> => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
};

async function withPeer(role: 'client' | 'server', body: (h: Harness) => Promise<void>): Promise<void> {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
  try {
    await body(new Harness(role));
  } finally {
    mock.timers.reset();
  }
}

class Harness {
  now = 0;
  readonly ours = new SctpAssociation({ rng: new SeededRng(5), crypto: nodeCrypto });
  readonly events: SctpEvent[] = [];
  readonly received: Array<[number, number, Buffer]> = [];
  readonly toOurs: Uint8Array[] = [];
  readonly transport = { onData: undefined as ((b: Buffer) => void) | undefined, send: async (b: Buffer): Promise<void> => void this.toOurs.push(new Uint8Array(b)), close: (): void => undefined };
  readonly theirs: WeriftSctp;

  constructor(role: 'client' | 'server') {
    this.theirs = role === 'client' ? werift.SCTP.client(this.transport, 5000) : werift.SCTP.server(this.transport, 5000);
    this.theirs.onReceive.subscribe((sid, ppid, data) => this.received.push([sid, ppid, data]));
  }

  /** Brings the association up; returns the stream ids werift reports reset, filled as they come. */
  async connectWatchingResets(): Promise<number[][]> {
    void this.theirs.start(5000);
    this.ours.connect(this.now);
    await this.run(() => this.events.some((e) => e.type === 'connected') && this.theirs.state === 'connected');
    const reconfigured: number[][] = [];
    this.theirs.onReconfigStreams.subscribe((ids) => reconfigured.push(ids));
    return reconfigured;
  }

  /** Moves packets both ways and time forward by 1 ms per round until `pred` or `maxMs`. */
  async run(pred: () => boolean, maxMs = 10_000): Promise<void> {
    const end = this.now + maxMs;
    while (!pred()) {
      if (this.now > end) throw new Error(`not met by ${this.now} ms (werift state ${this.theirs.state}, ours ${this.ours.state})`);
      for (let p = this.ours.pollTransmit(); p; p = this.ours.pollTransmit()) this.transport.onData?.(Buffer.from(p));
      await settle();
      for (const b of this.toOurs.splice(0)) this.ours.handleInput(this.now, b);
      for (let e = this.ours.pollEvent(); e; e = this.ours.pollEvent()) this.events.push(e);
      this.now += 1;
      mock.timers.tick(1);
      const t = this.ours.pollTimeout();
      if (t !== undefined && t <= this.now) this.ours.handleTimeout(this.now);
      await settle();
    }
  }
}

for (const role of ['client', 'server'] as const) {
  test(`werift SCTP ${role} <-> rtcpeer: association, messages both ways, fragmentation`, async () => {
    await withPeer(role, async (h) => {
      void h.theirs.start(5000);
      h.ours.connect(h.now);
      await h.run(() => h.events.some((e) => e.type === 'connected') && h.theirs.state === 'connected');
      const big = Buffer.alloc(50_000, 7);
      void h.theirs.send(1, 53, big);
      void h.theirs.send(1, 51, Buffer.from('hi'));
      h.ours.send(h.now, 2, 53, new Uint8Array(40_000).fill(3));
      h.ours.send(h.now, 2, 51, new TextEncoder().encode('yo'), { unordered: true });
      await h.run(() => h.events.filter((e) => e.type === 'message').length === 2 && h.received.length === 2);
      const msgs = h.events.filter((e): e is Extract<SctpEvent, { type: 'message' }> => e.type === 'message');
      assert.deepEqual(msgs.map((m) => [m.streamId, m.ppid, m.data.length]), [[1, 53, 50_000], [1, 51, 2]]);
      assert.ok(msgs[0]?.data.every((b) => b === 7));
      assert.deepEqual(h.received.map(([s, p, d]) => [s, p, d.length]), [[2, 53, 40_000], [2, 51, 2]]);
      assert.equal(h.ours.zeroChecksumToPeer, false, 'werift does not announce zero checksum: we send CRCs');
    });
  });
}

test('werift closes a stream with an outgoing reset: we answer, reset ours, and the id is freed', async () => {
  await withPeer('server', async (h) => {
    void h.theirs.start(5000);
    h.ours.connect(h.now);
    await h.run(() => h.events.some((e) => e.type === 'connected') && h.theirs.state === 'connected');
    void h.theirs.send(3, 51, Buffer.from('x'));
    await h.run(() => h.events.some((e) => e.type === 'message'));
    const reconfigured: number[][] = [];
    h.theirs.onReconfigStreams.subscribe((ids) => reconfigured.push(ids));
    h.theirs.reconfigQueue.push(3);
    void h.theirs.transmitReconfigRequest();
    await h.run(() => h.events.some((e) => e.type === 'stream-reset'));
    assert.ok(h.events.some((e) => e.type === 'stream-closing' && e.streamIds.includes(3)));
    await h.run(() => reconfigured.some((ids) => ids.includes(3)), 5000);
  });
});

test('we close a stream: werift performs our outgoing reset', async () => {
  await withPeer('client', async (h) => {
    const reconfigured = await h.connectWatchingResets();
    h.ours.send(h.now, 4, 51, Uint8Array.of(1));
    h.ours.resetStream(h.now, 4);
    await h.run(() => reconfigured.some((ids) => ids.includes(4)) && h.received.length === 1);
  });
});

test('we close a stream werift never sent on: werift performs our reset but never resets its side; the id is freed after a grace', async () => {
  // werift 0.25.2 queues its reciprocal reset only if it has sent an ordered message on the stream
  // (receiveReconfigParam: `if (this.outboundStreamSeq[streamId])`); its direction is then at SSN 0,
  // which is what a reset would give, so we free the id once it has had an RTO to reset it anyway.
  await withPeer('client', async (h) => {
    const reconfigured = await h.connectWatchingResets();
    h.ours.resetStream(h.now, 6);
    await h.run(() => reconfigured.some((ids) => ids.includes(6)));
    const acked = h.now;
    await h.run(() => h.events.some((e) => e.type === 'stream-reset' && e.streamIds.includes(6)), 5000);
    assert.ok(h.now - acked >= 300, `freed ${h.now - acked} ms after werift performed our reset: too early for a peer that does reset`);
    h.ours.send(h.now, 6, 51, Uint8Array.of(9));
    await h.run(() => h.received.some(([s]) => s === 6));
  });
});
