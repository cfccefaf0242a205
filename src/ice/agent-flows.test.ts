import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../core/rng.js';
import type { Addr } from '../core/types.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { formatCandidate } from './candidate-grammar.js';
import type { IceEvent } from './context.js';
import { IceAgent } from './ice-agent.js';
import type { IceAgentOptions } from './options.js';
import type { WireNode } from '../../test/scenarios/ice/test-wire.js';
import { TestWire } from '../../test/scenarios/ice/test-wire.js';

type Node = WireNode<IceEvent> & { agent: IceAgent };

function pair(seed: number, a: Partial<IceAgentOptions> = {}, b: Partial<IceAgentOptions> = {}) {
  const wire = new TestWire<IceEvent>(seed);
  const rng = new SeededRng(seed);
  const mk = (addrs: Addr[], o: Partial<IceAgentOptions>, controlling: boolean): Node => {
    const agent = new IceAgent({ rng: rng.fork(), crypto: nodeCrypto, controlling, ...o });
    const n = wire.add(agent);
    for (const addr of addrs) {
      wire.own(n, addr);
      agent.addLocalAddress(0, addr);
    }
    agent.gather(0);
    return Object.assign(n, { agent });
  };
  const A = mk([{ address: '198.18.0.1', port: 1000 }], a, true);
  const B = mk([{ address: '198.18.0.2', port: 2000 }], b, false);
  wire.pump();
  return { wire, A, B };
}

const lines = (n: Node): string[] => n.events.flatMap((e) => (e.type === 'candidate' ? [formatCandidate(e.candidate)] : []));
const selections = (n: Node): number => n.events.filter((e) => e.type === 'selected-pair').length;
const up = (n: Node): boolean => ['connected', 'completed'].includes(n.agent.state);

test('checks arriving before the remote credentials are answered, kept and replayed; prflx learnt', () => {
  const { wire, A, B } = pair(11);
  // B knows everything about A; A learns B's credentials only 400 ms later and never its candidates.
  B.agent.setRemoteCredentials(0, A.agent.localUfrag, A.agent.localPwd);
  for (const l of lines(A)) B.agent.addRemoteCandidate(0, l);
  wire.run(400);
  assert.equal(A.agent.state, 'new', 'A cannot check without credentials');
  assert.ok(A.agent.stats.checksReceived > 0, 'B checked A early');
  A.agent.setRemoteCredentials(wire.now, B.agent.localUfrag, B.agent.localPwd);
  assert.ok(wire.run(5000, () => up(A) && up(B)), `A=${A.agent.state} B=${B.agent.state}`);
  assert.equal(A.agent.selectedPair?.remote.type, 'prflx', 'B reached A only as a peer-reflexive candidate');
});

test('candidates arriving before the credentials wait for them', () => {
  const { wire, A, B } = pair(12);
  for (const l of lines(B)) A.agent.addRemoteCandidate(0, l);
  for (const l of lines(A)) B.agent.addRemoteCandidate(0, l);
  wire.run(300);
  assert.equal(A.agent.stats.checksSent + B.agent.stats.checksSent, 0, 'no check without credentials');
  A.agent.setRemoteCredentials(wire.now, B.agent.localUfrag, B.agent.localPwd);
  B.agent.setRemoteCredentials(wire.now, A.agent.localUfrag, A.agent.localPwd);
  assert.ok(wire.run(5000, () => up(A) && up(B)));
  assert.equal(A.agent.selectedPair?.remote.type, 'host');
});

function connect(seed: number, loss = 0) {
  const s = pair(seed);
  if (loss > 0) s.wire.drop = (_dg, rng) => rng.u32() / 2 ** 32 < loss;
  s.A.agent.setRemoteCredentials(0, s.B.agent.localUfrag, s.B.agent.localPwd);
  s.B.agent.setRemoteCredentials(0, s.A.agent.localUfrag, s.A.agent.localPwd);
  for (const l of lines(s.B)) s.A.agent.addRemoteCandidate(0, l);
  for (const l of lines(s.A)) s.B.agent.addRemoteCandidate(0, l);
  const ok = s.wire.run(30_000, () => s.A.agent.selectedPair !== undefined && s.B.agent.selectedPair !== undefined);
  return { ...s, ok };
}

test('20% loss each way still connects, for several seeds', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const { ok, wire } = connect(100 + seed, 0.2);
    assert.ok(ok, `seed ${100 + seed}`);
    assert.ok(wire.now < 10_000, `seed ${100 + seed}: ${wire.now} ms`);
  }
});

test('ICE restart: data keeps flowing on the old pair, a new pair is selected, credentials change', () => {
  const { wire, A, B, ok } = connect(13);
  assert.ok(ok);
  const oldA = A.agent.localUfrag;
  const oldB = B.agent.localUfrag;
  const selA = selections(A);
  const seenA = A.events.length;
  A.agent.restart(wire.now);
  assert.notEqual(A.agent.localUfrag, oldA);
  assert.ok(A.agent.send(wire.now, Uint8Array.of(23, 1)), 'old pair still usable during the restart');
  wire.run(wire.now + 50);
  // The peer sees new credentials (a restart offer), restarts too and answers with its own.
  B.agent.setRemoteCredentials(wire.now, A.agent.localUfrag, A.agent.localPwd);
  assert.notEqual(B.agent.localUfrag, oldB, 'B restarted itself');
  for (const l of lines({ ...A, events: A.events.slice(seenA) } as Node)) B.agent.addRemoteCandidate(wire.now, l);
  A.agent.setRemoteCredentials(wire.now, B.agent.localUfrag, B.agent.localPwd);
  for (const e of B.events.slice(-4)) if (e.type === 'candidate') A.agent.addRemoteCandidate(wire.now, formatCandidate(e.candidate));
  assert.ok(wire.run(wire.now + 5000, () => selections(A) > selA), 'A selected a new-generation pair');
  assert.ok(up(A) && up(B));
  assert.ok(!A.events.slice(seenA).some((e) => e.type === 'state' && e.state !== 'connected' && e.state !== 'completed'), 'no state dip');
  wire.run(wire.now + 40_000);
  assert.ok(up(A) && up(B), 'consent runs under the new credentials');
});

test('restart after failure: failed -> checking -> connected', () => {
  const { wire, A, B, ok } = connect(14);
  assert.ok(ok);
  let cut = true;
  wire.drop = () => cut;
  wire.run(wire.now + 40_000, () => A.agent.state === 'failed' && B.agent.state === 'failed');
  assert.equal(A.agent.state, 'failed');
  cut = false;
  A.agent.restart(wire.now);
  B.agent.restart(wire.now);
  A.agent.setRemoteCredentials(wire.now, B.agent.localUfrag, B.agent.localPwd);
  B.agent.setRemoteCredentials(wire.now, A.agent.localUfrag, A.agent.localPwd);
  A.agent.addRemoteCandidate(wire.now, lines(B)[0] ?? '');
  assert.ok(wire.run(wire.now + 5000, () => up(A) && up(B)));
  const states = A.events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
  assert.deepEqual(states.slice(-3), ['failed', 'checking', 'connected']);
});

test('no candidates at all from the peer and end-of-candidates: failed after the checklist empties', () => {
  const { wire, A, B } = pair(15);
  wire.drop = () => true;
  A.agent.setRemoteCredentials(0, B.agent.localUfrag, B.agent.localPwd);
  for (const l of lines(B)) A.agent.addRemoteCandidate(0, l);
  A.agent.endOfRemoteCandidates(0);
  wire.run(30_000, () => A.agent.state === 'failed');
  assert.equal(A.agent.state, 'failed');
  assert.ok(wire.now > 9000 && wire.now < 11_000, `pair gave up at ${wire.now} ms (7 requests, RTO 500..1600)`);
});

test('close stops everything: no deadline, no transmit, datagrams ignored', () => {
  const { wire, A, ok } = connect(16);
  assert.ok(ok);
  A.agent.close(wire.now);
  assert.equal(A.agent.pollTimeout(), undefined);
  assert.equal(A.agent.pollTransmit(), undefined);
  assert.equal(A.agent.state, 'closed');
  assert.equal(A.agent.send(wire.now, Uint8Array.of(23)), false);
  A.agent.handleDatagram(wire.now, { from: { address: '198.18.0.2', port: 2000 }, to: { address: '198.18.0.1', port: 1000 }, data: Uint8Array.of(0, 1, 0, 0) });
  assert.equal(A.agent.pollTransmit(), undefined);
});

test('a second restart() before the peer answered keeps the fresh credentials (our restart offer stays valid)', () => {
  const { wire, A, B, ok } = connect(17);
  assert.ok(ok);
  A.agent.restart(wire.now);
  const offered = A.agent.localUfrag;
  A.agent.restart(wire.now); // e.g. the stack applying the answer to our restart offer
  assert.equal(A.agent.localUfrag, offered);
  B.agent.setRemoteCredentials(wire.now, A.agent.localUfrag, A.agent.localPwd); // B restarts itself
  A.agent.setRemoteCredentials(wire.now, B.agent.localUfrag, B.agent.localPwd);
  A.agent.addRemoteCandidate(wire.now, lines(B)[0] ?? '');
  const before = selections(A);
  assert.ok(wire.run(wire.now + 5000, () => selections(A) > before));
  A.agent.restart(wire.now, 'explicitUfrag', 'explicitPasswordExplicitPw');
  assert.equal(A.agent.localUfrag, 'explicitUfrag', 'explicit credentials always apply');
});
