/**
 * SPED (sped.ts): DTLS packets ride in checks and their responses while no pair is valid, are
 * acknowledged, and are not sent again plainly once acknowledged; a peer without it gets the plain
 * path; malformed attributes are ignored without failing the check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32 } from '../core/bytes/crc32.js';
import { SeededRng } from '../core/rng.js';
import type { Addr, Datagram } from '../core/types.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { attr } from '../stun/attributes.js';
import { getAttr } from '../stun/helpers.js';
import { decodeStun } from '../stun/message.js';
import { buildCheck } from './binding.js';
import { MAX_HELD_REPLIES } from './embedded.js';
import type { IceEvent } from './context.js';
import { formatCandidate } from './candidate-grammar.js';
import { IceAgent } from './ice-agent.js';
import { DtlsInStun, type SpedMode } from './sped.js';
import { silentLogger } from '../core/logger.js';

const O_ADDR: Addr = { address: '198.18.0.1', port: 1000 };
const A_ADDR: Addr = { address: '198.18.0.2', port: 2000 };
/** Stand-ins for DTLS datagrams (content type 22 = handshake). */
const CH = Uint8Array.from([22, 0xfe, 0xfd, 0, 0, 1, 2, 3]);
const FLIGHT2 = Uint8Array.from([22, 0xfe, 0xfd, 0, 0, 4, 5, 6, 7]);
const FLIGHT5 = Uint8Array.from([22, 0xfe, 0xfd, 0, 1, 8, 9]);

interface Side {
  readonly agent: IceAgent;
  readonly addr: Addr;
  readonly events: IceEvent[];
  readonly sent: Datagram[];
}

function side(seed: number, controlling: boolean, addr: Addr, mode: SpedMode): Side {
  const agent = new IceAgent({ rng: new SeededRng(seed), crypto: nodeCrypto, controlling, tieBreaker: BigInt(seed) });
  agent.setDtlsInStun(mode);
  agent.addLocalAddress(0, addr);
  agent.gather(0);
  return { agent, addr, events: [], sent: [] };
}

function candidateOf(s: Side): string {
  return formatCandidate(s.agent.localCandidates[0]!);
}

/** Moves datagrams between the two until both are quiet; `onData` answers data events (a DTLS stand-in). */
function exchange(now: number, a: Side, b: Side, onData: (s: Side, data: Uint8Array) => void = () => undefined): void {
  for (let moved = true; moved; ) {
    moved = false;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      for (let ev = from.agent.pollEvent(); ev; ev = from.agent.pollEvent()) {
        from.events.push(ev);
        if (ev.type === 'data') onData(from, ev.data);
      }
      for (let dg = from.agent.pollTransmit(); dg; dg = from.agent.pollTransmit()) {
        from.sent.push(dg);
        to.agent.handleDatagram(now, dg);
        moved = true;
      }
    }
  }
}

const dataEvents = (s: Side): Uint8Array[] => s.events.flatMap((e) => (e.type === 'data' ? [e.data] : []));
const plain = (s: Side, packet: Uint8Array): number => s.sent.filter((d) => d.data[0] === 22 && Buffer.compare(d.data, packet) === 0).length;
const embeddedIn = (d: Datagram): Uint8Array | undefined => (d.data[0]! < 2 ? getAttr(decodeStun(d.data), 'metaDtlsInStun') : undefined);

/** Offerer `o` (controlling, SPED offered) and answerer `a` (controlled) as far as the answerer's first check. */
function start(answererMode: SpedMode, offererMode: SpedMode = 'offered') {
  const o = side(1, true, O_ADDR, offererMode);
  const a = side(2, false, A_ADDR, answererMode);
  // The answerer has the offer: the DTLS client's ClientHello waits for a valid pair.
  a.agent.setRemoteCredentials(0, o.agent.localUfrag, o.agent.localPwd);
  assert.equal(a.agent.send(0, CH), true);
  a.agent.addRemoteCandidateLine(0, candidateOf(o));
  return { o, a };
}

test('SPED: the ClientHello rides in the first check, the server flight in its response, nothing is sent twice', () => {
  const { o, a } = start('on');
  // The offerer's DTLS server answers the ClientHello it is handed with its flight.
  exchange(0, o, a, (s, data) => {
    if (s === o && Buffer.compare(data, CH) === 0) s.agent.send(0, FLIGHT2);
  });
  const firstCheck = a.sent.find((d) => d.data[0]! < 2 && decodeStun(d.data).cls === 'request');
  assert.deepEqual(embeddedIn(firstCheck!), CH, 'the first check carries the ClientHello');
  assert.deepEqual(dataEvents(o), [CH], 'the offerer got it before its answer');
  const response = o.sent.find((d) => decodeStun(d.data).cls === 'success');
  assert.deepEqual(embeddedIn(response!), FLIGHT2, 'the response carries the flight');
  assert.deepEqual(getAttr(decodeStun(response!.data), 'metaDtlsInStunAck'), Uint8Array.from([crc32(CH) >>> 24, (crc32(CH) >>> 16) & 255, (crc32(CH) >>> 8) & 255, crc32(CH) & 255]));
  assert.deepEqual(dataEvents(a), [FLIGHT2]);
  assert.equal(plain(a, CH), 0, 'the ClientHello, acknowledged by the response, is not sent plainly');
  // The pair is valid for the answerer now: its next flight goes plainly.
  assert.equal(a.agent.send(1, FLIGHT5), true);
  exchange(1, o, a);
  assert.equal(plain(a, FLIGHT5), 1);
  // The answer reaches the offerer: its checks carry its flight (not acknowledged yet) until the
  // answerer's success acknowledges it, and it is never sent plainly nor surfaced twice.
  o.agent.setDtlsInStun('on');
  o.agent.setRemoteCredentials(2, a.agent.localUfrag, a.agent.localPwd);
  o.agent.addRemoteCandidateLine(2, candidateOf(a));
  exchange(2, o, a);
  assert.equal(plain(o, FLIGHT2), 0);
  assert.deepEqual(dataEvents(a), [FLIGHT2], 'no duplicate');
  assert.equal(a.agent.dtlsInStun.stats.duplicates, 1);
  assert.equal(o.agent.selectedPair !== undefined || o.agent.state === 'checking' || o.agent.state === 'connected', true);
  // Our handshake is over: no more attributes.
  a.agent.setDtlsInStun('done');
  o.agent.setDtlsInStun('done');
  o.sent.length = 0;
  a.sent.length = 0;
  for (let t = 3; t < 30_000; t += 500) {
    for (const s of [o, a]) if ((s.agent.pollTimeout() ?? Infinity) <= t) s.agent.handleTimeout(t);
    exchange(t, o, a);
  }
  const stun = [...o.sent, ...a.sent].filter((d) => d.data[0]! < 2).map((d) => decodeStun(d.data));
  assert.ok(stun.length > 0, 'consent checks ran');
  assert.ok(stun.every((m) => getAttr(m, 'metaDtlsInStun') === undefined && getAttr(m, 'metaDtlsInStunAck') === undefined));
});

test('SPED: a peer that does not take part gets the plain handshake', () => {
  const { o, a } = start('on', 'off');
  exchange(0, o, a);
  assert.deepEqual(dataEvents(o), [CH], 'once: the plain copy');
  assert.ok(o.events.every((e) => e.type !== 'data' || !e.embedded), 'the embedded copy is not surfaced');
  const response = o.sent.find((d) => decodeStun(d.data).cls === 'success');
  assert.equal(getAttr(decodeStun(response!.data), 'metaDtlsInStun'), undefined);
  assert.equal(a.agent.dtlsInStun.mode, 'off');
  assert.equal(plain(a, CH), 1, 'the ClientHello leaves plainly once the pair is valid');
});

test('SPED: without it on our side the checks carry nothing and embedded DTLS is not surfaced', () => {
  const { o, a } = start('off');
  exchange(0, o, a);
  assert.ok(a.sent.every((d) => d.data[0]! >= 2 || embeddedIn(d) === undefined));
  assert.equal(plain(a, CH), 1);
});

test('SPED: malformed attributes are ignored and the check is still answered', () => {
  const o = side(1, true, O_ADDR, 'offered');
  const rng = new SeededRng(9);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (data, ack) => {
      const before = o.agent.stats.checksReceived;
      const { bytes } = buildCheck(
        { localUfrag: 'peer', remoteUfrag: o.agent.localUfrag, remotePwd: o.agent.localPwd, priority: 1, controlling: false, tieBreaker: 5n, useCandidate: false, extra: [attr('metaDtlsInStunAck', ack), attr('metaDtlsInStun', data)] },
        rng,
        nodeCrypto,
      );
      o.agent.handleDatagram(0, { from: A_ADDR, to: O_ADDR, data: bytes });
      const events: IceEvent[] = [];
      for (let ev = o.agent.pollEvent(); ev; ev = o.agent.pollEvent()) events.push(ev);
      const out: Datagram[] = [];
      for (let dg = o.agent.pollTransmit(); dg; dg = o.agent.pollTransmit()) out.push(dg);
      assert.equal(o.agent.stats.checksReceived, before + 1);
      assert.ok(out.some((d) => decodeStun(d.data).cls === 'success'), 'answered');
      const surfaced = events.filter((e) => e.type === 'data');
      const dtlsLike = data.length > 0 && data[0]! >= 20 && data[0]! <= 63;
      assert.ok(surfaced.length <= (dtlsLike ? 1 : 0));
    }),
    { numRuns: 200 },
  );
});

const msg = (attributes: ReturnType<typeof attr>[]) => ({ method: 1, cls: 'request' as const, transactionId: new Uint8Array(12), attributes });

test('DtlsInStun: silence after the peer took part means its handshake is over, silence from the start means it does not take part', () => {
  const packet = Uint8Array.from([22, 1, 2, 3]);
  const took = new DtlsInStun([packet], silentLogger);
  took.setMode('on');
  assert.ok(took.forRequest()?.crc !== undefined, 'our packet embedded');
  took.receiveRequest(msg([attr('metaDtlsInStunAck', new Uint8Array(0)), attr('metaDtlsInStun', new Uint8Array(0))]));
  took.receiveRequest(msg([]));
  assert.equal(took.mode, 'done');
  assert.equal(took.wasEmbedded(packet), true, 'not sent again plainly');
  const never = new DtlsInStun([packet], silentLogger);
  never.setMode('on');
  never.forRequest();
  never.receiveRequest(msg([]));
  assert.equal(never.mode, 'off');
  assert.equal(never.wasEmbedded(packet), false, 'the peer ignored the copy: sent plainly');
});

test('SPED: held responses are bounded; the excess is answered at once', () => {
  const o = side(1, true, O_ADDR, 'offered');
  const rng = new SeededRng(11);
  for (let i = 0; i < 40; i++) {
    const data = Uint8Array.from([22, 0xfe, 0xfd, 0, 0, i, 1, 2]); // distinct packets: each is surfaced
    const { bytes } = buildCheck(
      { localUfrag: 'peer', remoteUfrag: o.agent.localUfrag, remotePwd: o.agent.localPwd, priority: 1, controlling: false, tieBreaker: 5n, useCandidate: false, extra: [attr('metaDtlsInStunAck', new Uint8Array(0)), attr('metaDtlsInStun', data)] },
      rng,
      nodeCrypto,
    );
    o.agent.handleDatagram(0, { from: A_ADDR, to: O_ADDR, data: bytes });
  }
  // Nothing has taken the embedded DTLS yet: only the responses beyond the bound leave.
  const early: Datagram[] = [];
  for (let dg = o.agent.pollTransmit(); dg; dg = o.agent.pollTransmit()) early.push(dg);
  assert.equal(early.length, 40 - MAX_HELD_REPLIES);
  for (let ev = o.agent.pollEvent(); ev; ev = o.agent.pollEvent());
  let late = 0;
  for (let dg = o.agent.pollTransmit(); dg; dg = o.agent.pollTransmit()) late++;
  assert.equal(late, MAX_HELD_REPLIES, 'the held ones leave once the DTLS was taken');
});

test("DtlsInStun: a DTLS server's `pending` embeds its last flight first, until the peer acknowledges it or stops taking part", () => {
  const ccsFinished = Uint8Array.from([20, 0xfe, 0xfd, 0, 0, 9, 9]);
  const data = Uint8Array.from([23, 0xfe, 0xfd, 0, 1, 7, 7]);
  const ack = (p: Uint8Array): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, crc32(p));
    return b;
  };
  const s = new DtlsInStun([ccsFinished, data], silentLogger);
  s.setMode('on');
  s.setMode('pending');
  assert.equal(s.mode, 'pending');
  const first = getAttr(msg(s.forRequest()!.attrs), 'metaDtlsInStun');
  assert.deepEqual(first, ccsFinished, 'the flight, queued first, before the data after it');
  assert.deepEqual(getAttr(msg(s.forResponse(true)!.attrs), 'metaDtlsInStun'), data);
  s.receiveRequest(msg([attr('metaDtlsInStunAck', ack(ccsFinished)), attr('metaDtlsInStun', new Uint8Array(0))]));
  assert.equal(s.mode, 'pending', 'the data is still waiting');
  s.receiveRequest(msg([attr('metaDtlsInStunAck', ack(data)), attr('metaDtlsInStun', new Uint8Array(0))]));
  assert.equal(s.mode, 'done', 'everything acknowledged');

  const quiet = new DtlsInStun([ccsFinished], silentLogger);
  quiet.setMode('on');
  quiet.receiveRequest(msg([attr('metaDtlsInStunAck', new Uint8Array(0)), attr('metaDtlsInStun', new Uint8Array(0))]));
  quiet.setMode('pending');
  quiet.receiveRequest(msg([]));
  assert.equal(quiet.mode, 'done', 'its handshake is over');

  for (const before of ['off', 'offered'] as const) {
    const other = new DtlsInStun([ccsFinished], silentLogger);
    other.setMode(before);
    other.setMode('pending');
    assert.equal(other.mode, 'done', `pending only follows on, not ${before}`);
  }
});
