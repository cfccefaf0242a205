// Nomination latency (issue 6: setup time): the prflx delay only applies to real peer-reflexive
// remotes, and the USE-CANDIDATE check does not wait for the next pacing tick.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../core/rng.js';
import type { Addr } from '../core/types.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { formatCandidate } from './candidate-grammar.js';
import type { IceEvent } from './context.js';
import { IceAgent } from './ice-agent.js';
import type { WireNode } from '../../test/scenarios/ice/test-wire.js';
import { TestWire } from '../../test/scenarios/ice/test-wire.js';
import { getAttr } from '../stun/helpers.js';
import { decodeStun } from '../stun/message.js';

type Node = WireNode<IceEvent> & { agent: IceAgent };

function pair(seed: number) {
  const wire = new TestWire<IceEvent>(seed);
  const rng = new SeededRng(seed);
  const mk = (addr: Addr, controlling: boolean): Node => {
    const agent = new IceAgent({ rng: rng.fork(), crypto: nodeCrypto, controlling });
    const n = wire.add(agent);
    wire.own(n, addr);
    agent.addLocalAddress(0, addr);
    agent.gather(0);
    return Object.assign(n, { agent });
  };
  const A = mk({ address: '198.18.0.1', port: 1000 }, true);
  const B = mk({ address: '198.18.0.2', port: 2000 }, false);
  wire.pump();
  return { wire, A, B };
}

const lines = (n: Node): string[] => n.events.flatMap((e) => (e.type === 'candidate' ? [formatCandidate(e.candidate)] : []));
const selectedAt = (n: Node): boolean => n.events.some((e) => e.type === 'selected-pair');

/**
 * The answerer's checks reach the offerer before the answer (the usual trickle race): the offerer
 * replays them as soon as it has the credentials, learning the answerer as peer-reflexive, and only
 * then reads the answerer's host candidate from the same answer.
 */
function raceToPrflx(seed: number, signalHost: boolean) {
  const s = pair(seed);
  const { wire, A, B } = s;
  B.agent.setRemoteCredentials(0, A.agent.localUfrag, A.agent.localPwd);
  for (const l of lines(A)) B.agent.addRemoteCandidate(0, l);
  wire.run(30);
  assert.ok(A.agent.stats.checksReceived > 0, 'B checked A before A had the answer');
  A.agent.setRemoteCredentials(wire.now, B.agent.localUfrag, B.agent.localPwd);
  if (signalHost) for (const l of lines(B)) assert.equal(A.agent.addRemoteCandidate(wire.now, l), 'known', 'B was already known (prflx)');
  const t0 = wire.now;
  assert.ok(wire.run(5000, () => selectedAt(A) && selectedAt(B)), `A=${A.agent.state} B=${B.agent.state}`);
  return wire.now - t0;
}

test('a peer-reflexive remote later signalled as host is nominated without the prflx delay', () => {
  for (const seed of [1, 2, 3]) {
    const ms = raceToPrflx(seed, true);
    // wire delay 10 ms: check 20 ms + USE-CANDIDATE check 20 ms, nothing waits 1000 ms (prflx) or Ta
    assert.ok(ms <= 45, `seed ${seed}: selected ${ms} ms after the answer`);
  }
});

test('a remote that stays peer-reflexive still waits the prflx nomination delay', () => {
  const ms = raceToPrflx(4, false);
  assert.ok(ms >= 1000, `selected after ${ms} ms`);
});

test('the USE-CANDIDATE check leaves at once, not at the next pacing tick', () => {
  const { wire, A, B } = pair(5);
  wire.delayMs = 1;
  A.agent.setRemoteCredentials(0, B.agent.localUfrag, B.agent.localPwd);
  B.agent.setRemoteCredentials(0, A.agent.localUfrag, A.agent.localPwd);
  for (const l of lines(B)) A.agent.addRemoteCandidate(0, l);
  for (const l of lines(A)) B.agent.addRemoteCandidate(0, l);
  assert.ok(wire.run(5000, () => selectedAt(A) && selectedAt(B)));
  // first check at 0, valid at 2 ms, USE-CANDIDATE at once: selected at 4 ms (paced: 50 ms)
  assert.ok(wire.now < 10, `selected at ${wire.now} ms`);
});

test('the USE-CANDIDATE check goes out with the success that validated a host pair, not from a later timer', () => {
  const rng = new SeededRng(6);
  const a1 = { address: '198.18.0.1', port: 1000 };
  const a2 = { address: '198.18.0.2', port: 2000 };
  const A = new IceAgent({ rng: rng.fork(), crypto: nodeCrypto, controlling: true });
  const B = new IceAgent({ rng: rng.fork(), crypto: nodeCrypto, controlling: false });
  A.addLocalAddress(0, a1);
  B.addLocalAddress(0, a2);
  A.gather(0);
  B.gather(0);
  const candidates = (x: IceAgent): string[] => {
    const out: string[] = [];
    for (let e = x.pollEvent(); e; e = x.pollEvent()) if (e.type === 'candidate') out.push(formatCandidate(e.candidate));
    return out;
  };
  const ca = candidates(A);
  const cb = candidates(B);
  A.setRemoteCredentials(0, B.localUfrag, B.localPwd);
  B.setRemoteCredentials(0, A.localUfrag, A.localPwd);
  for (const l of cb) A.addRemoteCandidate(0, l);
  for (const l of ca) B.addRemoteCandidate(0, l);
  let now = 0;
  let nominatedAfter: 'datagram' | 'timer' | undefined;
  for (let round = 0; round < 200 && nominatedAfter === undefined; round++) {
    let moved = false;
    for (const [from, to] of [[A, B], [B, A]] as const) {
      for (let dg = from.pollTransmit(); dg; dg = from.pollTransmit()) {
        moved = true;
        to.handleDatagram(now, dg);
        if (to === A) for (let out = A.pollTransmit(); out && nominatedAfter === undefined; out = A.pollTransmit()) {
          if (getAttr(decodeStun(out.data), 'useCandidate')) nominatedAfter = 'datagram';
          B.handleDatagram(now, out);
        }
      }
    }
    if (moved) continue;
    const t = [A.pollTimeout(), B.pollTimeout()].filter((x): x is number => x !== undefined);
    now = Math.max(now, Math.min(...t));
    A.handleTimeout(now);
    B.handleTimeout(now);
    for (let out = A.pollTransmit(); out && nominatedAfter === undefined; out = A.pollTransmit()) {
      if (getAttr(decodeStun(out.data), 'useCandidate')) nominatedAfter = 'timer';
      B.handleDatagram(now, out);
    }
  }
  assert.equal(nominatedAfter, 'datagram');
});
