/**
 * The agent against a scripted peer built from the STUN codec: Chrome-style re-nomination (interop
 * bug 3), aggressive nomination, a peer that stops answering but keeps checking (str0m PR#848),
 * 487 answers, and random/mutated datagrams.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SeededRng } from '../core/rng.js';
import type { Addr, Datagram } from '../core/types.js';
import { addrKey } from '../core/types.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { getAttr } from '../stun/helpers.js';
import { decodeStun } from '../stun/message.js';
import { buildCheck, buildSuccess } from './binding.js';
import type { IceEvent } from './context.js';
import { IceAgent } from './ice-agent.js';

const US: Addr = { address: '198.18.0.2', port: 2000 };
const P1: Addr = { address: '198.18.0.1', port: 1001 };
const P2: Addr = { address: '198.18.0.1', port: 1002 };
const PEER = { ufrag: 'peerUfrag', pwd: 'peerPasswordPeerPassword' };

/** A controlled IceAgent and helpers to play a controlling peer by hand. */
function harness(seed: number) {
  const rng = new SeededRng(seed);
  const agent = new IceAgent({ rng: rng.fork(), crypto: nodeCrypto, controlling: false, tieBreaker: 1n });
  agent.addLocalAddress(0, US);
  agent.gather(0);
  agent.setRemoteCredentials(0, PEER.ufrag, PEER.pwd);
  const events: IceEvent[] = [];
  /** Peer -> agent: a check from `from`; then answer every request the agent sends while `answer(to)`. */
  const check = (now: number, from: Addr, useCandidate: boolean): void => {
    const { bytes } = buildCheck(
      { localUfrag: PEER.ufrag, remoteUfrag: agent.localUfrag, remotePwd: agent.localPwd, priority: 1853824767, controlling: true, tieBreaker: 99n, useCandidate },
      rng,
      nodeCrypto,
    );
    agent.handleDatagram(now, { from, to: US, data: bytes });
  };
  const drain = (now: number, answer: (to: Addr) => boolean): Datagram[] => {
    const out: Datagram[] = [];
    for (let dg = agent.pollTransmit(); dg; dg = agent.pollTransmit()) {
      out.push(dg);
      const m = decodeStun(dg.data);
      if (m.cls === 'request' && answer(dg.to)) agent.handleDatagram(now, { from: dg.to, to: dg.from, data: buildSuccess(m, dg.from, PEER.pwd, nodeCrypto) });
    }
    for (let ev = agent.pollEvent(); ev; ev = agent.pollEvent()) events.push(ev);
    return out;
  };
  /** Runs the agent's timers from `from` to `to` ms, answering per `answer`, with peer checks every 2.5 s from `checksFrom`. */
  const run = (from: number, to: number, answer: (to: Addr) => boolean, checksFrom?: Addr, useCandidate = false): void => {
    let nextPeerCheck = from;
    for (let now = from; now <= to; now += 10) {
      if (checksFrom && now >= nextPeerCheck) {
        check(now, checksFrom, useCandidate);
        nextPeerCheck = now + 2500;
      }
      const t = agent.pollTimeout();
      if (t !== undefined && t <= now) agent.handleTimeout(now);
      drain(now, answer);
    }
  };
  return { agent, events, check, drain, run };
}

const selectedPort = (a: IceAgent): number | undefined => a.selectedPair?.remote.port;

test('controlled side follows a later re-nomination to another pair and stays up on it', () => {
  const h = harness(21);
  h.run(0, 1000, () => true, P1, true);
  assert.equal(selectedPort(h.agent), 1001);
  // Chrome nominates P2 later, then only checks (and answers) on P2.
  h.run(1000, 60_000, (to) => addrKey(to) === addrKey(P2), P2, true);
  assert.equal(selectedPort(h.agent), 1002, 'switched to the re-nominated pair');
  assert.equal(h.agent.state, 'connected');
  assert.equal(h.events.filter((e) => e.type === 'selected-pair').length, 2);
  assert.ok(!h.events.some((e) => e.type === 'state' && e.state === 'disconnected'), 'never disconnected');
});

test('aggressive nomination: USE-CANDIDATE on the first checks selects at once', () => {
  const h = harness(22);
  h.check(0, P1, true);
  h.run(0, 200, () => true);
  assert.equal(selectedPort(h.agent), 1001);
});

test('peer stops answering but keeps sending authenticated checks: consent holds (requests count)', () => {
  const h = harness(23);
  h.run(0, 1000, () => true, P1, true);
  h.run(1000, 90_000, () => false, P1, false);
  assert.equal(h.agent.state, 'connected');
  h.run(90_000, 130_000, () => false);
  assert.equal(h.agent.state, 'failed', 'silence both ways: consent expires');
});

test('our consent checks keep going after lost responses (interop bug 2)', () => {
  const h = harness(24);
  h.run(0, 1000, () => true, P1, true);
  let requests = 0;
  // Answer nothing for 20 s: the loop must keep sending, and recover when answers resume.
  h.run(1000, 21_000, () => (requests++, false));
  assert.ok(requests >= 3 * 4, `consent checks (with retransmits) kept going: ${requests}`);
  assert.equal(h.agent.state, 'disconnected');
  h.run(21_000, 30_000, () => true);
  assert.equal(h.agent.state, 'connected');
});

test('unauthenticated or malformed checks get 400/401 and change nothing', () => {
  const h = harness(25);
  const bad = buildCheck({ localUfrag: PEER.ufrag, remoteUfrag: h.agent.localUfrag, remotePwd: 'wrongPasswordWrongPassword', priority: 1, controlling: true, tieBreaker: 1n, useCandidate: true }, new SeededRng(1), nodeCrypto);
  h.agent.handleDatagram(0, { from: P1, to: US, data: bad.bytes });
  const [resp] = h.drain(0, () => false);
  assert.ok(resp);
  assert.equal(getAttr(decodeStun(resp.data), 'errorCode')?.code, 401);
  assert.equal(h.agent.remoteCandidates.length, 0);
  assert.equal(h.agent.stats.unauthenticated, 1);
});

test('random and mutated datagrams never throw and never grow state beyond the caps (property)', () => {
  const h = harness(26);
  const { bytes } = buildCheck({ localUfrag: PEER.ufrag, remoteUfrag: h.agent.localUfrag, remotePwd: h.agent.localPwd, priority: 5, controlling: true, tieBreaker: 2n, useCandidate: false }, new SeededRng(2), nodeCrypto);
  const mutated = fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
    const b = bytes.slice();
    b[i] = v;
    return b;
  });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), fc.integer({ min: 1, max: 65535 }), (data, port) => {
      h.agent.handleDatagram(0, { from: { address: '198.18.9.9', port }, to: US, data });
      h.drain(0, () => false);
    }),
    { numRuns: 3000 },
  );
  // Valid checks from many sources: remote prflx candidates are capped.
  for (let port = 1; port <= 500; port++) h.agent.handleDatagram(0, { from: { address: '198.18.7.7', port }, to: US, data: bytes });
  h.drain(0, () => false);
  assert.ok(h.agent.remoteCandidates.length <= 64, `${h.agent.remoteCandidates.length} remote candidates`);
  assert.ok(h.agent.stats.remoteCandidatesDropped > 0);
});
