import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError, isUsageError } from '../core/errors.js';
import { ChannelRegistry, Ppid, decodeDcep, encodeDcepOpen } from './index.js';
import type { ChannelEvent, SctpChannelTransport, SctpSendOptions } from './index.js';

interface Sent {
  streamId: number;
  ppid: number;
  data: Uint8Array;
  opts: SctpSendOptions;
}

/** A stand-in for SctpAssociation: records sends and resets. */
class FakeSctp implements SctpChannelTransport {
  sent: Sent[] = [];
  resets: number[] = [];
  send(_now: number, streamId: number, ppid: number, data: Uint8Array, opts: SctpSendOptions): void {
    this.sent.push({ streamId, ppid, data, opts });
  }
  resetStream(_now: number, streamId: number): void {
    this.resets.push(streamId);
  }
  bufferedAmount(streamId: number): number {
    return this.sent.filter((s) => s.streamId === streamId).reduce((n, s) => n + s.data.length, 0);
  }
}

function drain(r: ChannelRegistry): ChannelEvent[] {
  const out: ChannelEvent[] = [];
  for (let e = r.pollEvent(); e; e = r.pollEvent()) out.push(e);
  return out;
}

/** Delivers everything `from` sent to registry `to`, then clears it. */
function deliver(from: FakeSctp, to: ChannelRegistry): void {
  for (const s of from.sent.splice(0)) to.handleMessage(0, s.streamId, s.ppid, s.data);
}

function pair(): { a: ChannelRegistry; b: ChannelRegistry; sa: FakeSctp; sb: FakeSctp } {
  const a = new ChannelRegistry();
  const b = new ChannelRegistry();
  a.setRole('client');
  b.setRole('server');
  const sa = new FakeSctp();
  const sb = new FakeSctp();
  a.transportReady(0, sa);
  b.transportReady(0, sb);
  return { a, b, sa, sb };
}

test('ids wait for the DTLS role, then client takes even and server odd ids', () => {
  const a = new ChannelRegistry();
  const c1 = a.create(0, { label: 'x', ordered: true });
  const c2 = a.create(0, { label: 'y', ordered: true });
  const n = a.create(0, { label: 'n', ordered: true, negotiated: true, id: 0 });
  assert.equal(c1.id, undefined);
  assert.equal(n.id, 0);
  a.setRole('client');
  assert.deepEqual([c1.id, c2.id], [2, 4], 'skips the negotiated id 0');
  const b = new ChannelRegistry();
  b.setRole('server');
  assert.equal(b.create(0, { label: 'z', ordered: true }).id, 1);
});

test('in-band open: OPEN sent reliable+ordered, ACK back, incoming channel, data both ways', () => {
  const { a, b, sa, sb } = pair();
  const ch = a.create(0, { label: 'chat', protocol: 'json', ordered: false, maxRetransmits: 2 });
  assert.equal(ch.state, 'open');
  assert.deepEqual(drain(a).map((e) => e.type), ['open']);
  const open = sa.sent[0];
  assert.equal(open?.ppid, Ppid.Dcep);
  assert.deepEqual(open?.opts, {});
  assert.deepEqual(decodeDcep(open?.data ?? new Uint8Array()), { type: 'open', channelType: 0x81, priority: 256, reliabilityParameter: 2, label: 'chat', protocol: 'json' });
  // Data before the ACK goes ordered (RFC 8832 §6), keeping the retransmit limit.
  a.send(0, ch, Uint8Array.of(1, 2), false);
  assert.deepEqual(sa.sent[1]?.opts, { unordered: false, maxRetransmits: 2 });
  deliver(sa, b);
  const evs = drain(b);
  assert.deepEqual(evs.map((e) => e.type), ['incoming', 'message']);
  const got = evs[0]?.channel;
  assert.ok(got);
  assert.deepEqual([got.id, got.label, got.protocol, got.negotiated, got.remote, got.reliability], [0, 'chat', 'json', false, true, { ordered: false, maxRetransmits: 2 }]);
  const ack = sb.sent[0];
  assert.deepEqual([ack?.streamId, ack?.ppid, Array.from(ack?.data ?? [])], [0, Ppid.Dcep, [2]]);
  deliver(sb, a);
  assert.equal(ch.acked, true);
  a.send(0, ch, new Uint8Array(0), true);
  assert.deepEqual(sa.sent[0], { streamId: 0, ppid: Ppid.StringEmpty, data: Uint8Array.of(0), opts: { unordered: true, maxRetransmits: 2 } });
  deliver(sa, b);
  const m = drain(b)[0];
  assert.ok(m?.type === 'message' && m.data.length === 0 && m.isString);
});

test('negotiated channels send no DCEP and open on transport ready', () => {
  const a = new ChannelRegistry();
  const ch = a.create(0, { label: 'n', ordered: true, negotiated: true, id: 1 });
  assert.equal(ch.state, 'connecting');
  const s = new FakeSctp();
  a.setRole('client');
  a.transportReady(0, s);
  assert.equal(ch.state, 'open');
  assert.equal(s.sent.length, 0);
  a.send(0, ch, Uint8Array.of(9), false);
  assert.deepEqual(s.sent[0]?.opts, { unordered: false });
});

test('OPEN with wrong parity or a used id → reset, no ACK, no channel', () => {
  const { a, sa } = pair(); // a is client: the peer must use odd ids
  const open = encodeDcepOpen({ channelType: 0, priority: 256, reliabilityParameter: 0, label: 'bad', protocol: '' });
  a.handleMessage(0, 2, Ppid.Dcep, open);
  assert.deepEqual(sa.resets, [2]);
  a.handleMessage(0, 3, Ppid.Dcep, open);
  assert.equal(drain(a)[0]?.type, 'incoming');
  sa.sent.length = 0;
  a.handleMessage(0, 3, Ppid.Dcep, open);
  assert.deepEqual(sa.resets, [2, 3]);
  assert.equal(sa.sent.length, 0, 'no ACK for refused OPENs');
  assert.equal(a.stats.refusedOpens, 2);
  a.handleMessage(0, 5, Ppid.Dcep, Uint8Array.of(3, 0));
  assert.equal(a.stats.malformedDcep, 1);
  a.handleMessage(0, 77, Ppid.Binary, Uint8Array.of(1));
  assert.equal(a.stats.unknownStream, 1);
  assert.deepEqual(drain(a), []);
});

test('close: reset, closing, then closed on the stream-reset event; id reused', () => {
  const { a, sa } = pair();
  const ch = a.create(0, { label: 'c', ordered: true });
  drain(a);
  a.close(0, ch);
  assert.equal(ch.state, 'closing');
  assert.deepEqual(sa.resets, [0]);
  assert.throws(() => a.send(0, ch, Uint8Array.of(1), false), (e: unknown) => isUsageError(e) && e.code === 'dcep.not-open');
  a.handleStreamReset([0]);
  assert.equal(ch.state, 'closed');
  assert.deepEqual(drain(a).map((e) => e.type), ['closed']);
  assert.equal(a.create(0, { label: 'd', ordered: true }).id, 0);
  for (let i = 0; i < 1000; i++) {
    const c = a.create(0, { label: `n${i}`, ordered: true, negotiated: true, id: 7 });
    a.close(0, c);
    a.handleStreamReset([7]);
  }
  assert.equal(a.channels().length, 1);
});

test('bad options are UsageErrors', () => {
  const a = new ChannelRegistry({ maxStreams: 16 });
  const bad = [
    { label: 'x', ordered: true, maxRetransmits: 1, maxPacketLifeTime: 1 },
    { label: 'x', ordered: true, negotiated: true },
    { label: 'x', ordered: true, negotiated: true, id: 16 },
    { label: 'x', ordered: true, id: 3 },
    { label: 'x', ordered: true, maxRetransmits: -1 },
    { label: 'x'.repeat(70000), ordered: true },
  ];
  for (const init of bad) assert.throws(() => a.create(0, init), isUsageError, JSON.stringify(init).slice(0, 80));
  a.create(0, { label: 'x', ordered: true, negotiated: true, id: 3 });
  assert.throws(() => a.create(0, { label: 'y', ordered: true, negotiated: true, id: 3 }), isUsageError);
});

test('transport closed closes every channel, pending ones included', () => {
  const a = new ChannelRegistry();
  const p = a.create(0, { label: 'p', ordered: true });
  a.transportClosed();
  assert.equal(p.state, 'closed');
  assert.deepEqual(drain(a).map((e) => e.type), ['closed']);
  assert.equal(a.channels().length, 0);
});

test('remote input never throws out of handleMessage, even when SCTP refuses the reply', () => {
  const a = new ChannelRegistry();
  a.setRole('client');
  const refusing: SctpChannelTransport = {
    send: () => {
      throw new UsageError('sctp.send.stream-closing', 'closing');
    },
    resetStream: () => {
      throw new UsageError('sctp.reset.stream', 'out of range');
    },
    bufferedAmount: () => 0,
  };
  a.transportReady(0, refusing);
  const open = encodeDcepOpen({ channelType: 0, priority: 256, reliabilityParameter: 0, label: 'x', protocol: '' });
  assert.doesNotThrow(() => a.handleMessage(0, 3, Ppid.Dcep, open));
  assert.doesNotThrow(() => a.handleMessage(0, 4, Ppid.Dcep, open));
  assert.deepEqual(drain(a), []);
  assert.equal(a.channels().length, 0);
});

test('a channel whose id is beyond the negotiated stream count closes instead of opening', () => {
  const a = new ChannelRegistry();
  a.setRole('server');
  const far = a.create(0, { label: 'far', ordered: true, negotiated: true, id: 600 });
  const near = a.create(0, { label: 'near', ordered: true });
  a.transportReady(0, new FakeSctp(), 256);
  assert.equal(far.state, 'closed');
  assert.equal(near.state, 'open');
  assert.deepEqual(drain(a).map((e) => [e.type, e.channel.label]), [['closed', 'far'], ['open', 'near']]);
});

/** A registry with an in-band and a negotiated channel, whose association is starting (COOKIE-ECHOED). */
function starting(role: 'client' | 'server') {
  const r = new ChannelRegistry();
  r.setRole(role);
  const ch = r.create(0, { label: 'early', ordered: true });
  const neg = r.create(0, { label: 'neg', ordered: true, negotiated: true, id: 4 });
  const s = new FakeSctp();
  r.transportStarting(0, s, 1024);
  return { r, ch, neg, s };
}

test('transportStarting queues the OPENs (they ride with the COOKIE-ECHO); channels open at transportReady without a second OPEN', () => {
  const { r, ch, neg, s } = starting('server');
  assert.deepEqual(s.sent.map((x) => [x.streamId, x.ppid]), [[1, Ppid.Dcep]], 'OPEN of the in-band channel only');
  assert.equal(ch.state, 'connecting', 'not open before the association is up');
  assert.throws(() => r.send(0, ch, Uint8Array.of(1), false), (e) => isUsageError(e) && e.code === 'dcep.not-open');
  const late = r.create(0, { label: 'late', ordered: true });
  assert.equal(s.sent.length, 2, 'a channel made now queues its OPEN too');
  assert.deepEqual(drain(r), []);
  r.transportReady(0, s, 1024);
  assert.equal(s.sent.length, 2, 'no second OPEN');
  assert.deepEqual([ch.state, neg.state, late.state], ['open', 'open', 'open']);
  assert.deepEqual(drain(r).map((e) => e.type), ['open', 'open', 'open']);
});

test('a channel closed while its early OPEN waits is reset once the association is up', () => {
  const { r, ch, neg: never, s } = starting('client');
  r.close(0, ch);
  r.close(0, never);
  assert.equal(ch.state, 'closing', 'the peer gets its OPEN: the stream must be reset');
  assert.equal(never.state, 'closed', 'nothing was sent for it');
  assert.deepEqual(s.resets, []);
  r.transportReady(0, s, 1024);
  assert.deepEqual(s.resets, [0]);
  assert.equal(ch.state, 'closing');
  r.handleStreamReset([0]);
  assert.equal(ch.state, 'closed');
});
