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

type Node = WireNode<IceEvent> & { agent: IceAgent; addr: Addr };

function setup(seed: number, a: Partial<IceAgentOptions> = {}, b: Partial<IceAgentOptions> = {}) {
  const wire = new TestWire<IceEvent>(seed);
  const rng = new SeededRng(seed);
  const mk = (addr: Addr, o: Partial<IceAgentOptions>, controlling: boolean): Node => {
    const agent = new IceAgent({ rng: rng.fork(), crypto: nodeCrypto, controlling, ...o });
    const n = wire.add(agent);
    wire.own(n, addr);
    agent.addLocalAddress(0, addr);
    return Object.assign(n, { agent, addr });
  };
  const A = mk({ address: '198.18.0.1', port: 1000 }, a, true);
  const B = mk({ address: '198.18.0.2', port: 2000 }, b, false);
  return { wire, A, B };
}

/** Signalling: credentials, then every candidate and end-of-candidates (trickled as they appear). */
function signal(from: Node, to: Node, now: number, sent: Set<string>): void {
  to.agent.setRemoteCredentials(now, from.agent.localUfrag, from.agent.localPwd);
  for (const ev of from.events) {
    if (ev.type === 'candidate') {
      const line = formatCandidate(ev.candidate);
      if (!sent.has(line)) {
        sent.add(line);
        to.agent.addRemoteCandidate(now, line);
      }
    } else if (ev.type === 'gathering-complete') to.agent.endOfRemoteCandidates(now);
  }
}

function states(n: Node): string[] {
  return n.events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
}

function connectBoth(seed: number, a: Partial<IceAgentOptions> = {}, b: Partial<IceAgentOptions> = {}) {
  const s = setup(seed, a, b);
  s.A.agent.gather(0);
  s.B.agent.gather(0);
  s.wire.pump();
  signal(s.A, s.B, 0, new Set());
  signal(s.B, s.A, 0, new Set());
  const ok = s.wire.run(20_000, () => s.A.agent.selectedPair !== undefined && s.B.agent.selectedPair !== undefined);
  return { ...s, ok };
}

test('two agents connect, select the same pair, exchange data both ways', () => {
  const { wire, A, B, ok } = connectBoth(1);
  assert.ok(ok, 'connected');
  assert.ok(['connected', 'completed'].includes(A.agent.state));
  assert.deepEqual(states(B).slice(0, 2), ['checking', 'connected']);
  assert.equal(A.agent.selectedPair?.remote.port, 2000);
  assert.equal(B.agent.selectedPair?.remote.port, 1000);
  assert.ok(wire.now < 500, `connected in ${wire.now} ms`);
  assert.ok(A.agent.send(wire.now, Uint8Array.of(22, 1, 2)));
  assert.ok(B.agent.send(wire.now, Uint8Array.of(23, 9)));
  wire.run(wire.now + 100);
  assert.deepEqual(B.events.filter((e) => e.type === 'data').map((e) => e.type === 'data' && [...e.data]), [[22, 1, 2]]);
  assert.deepEqual(A.events.filter((e) => e.type === 'data').map((e) => e.type === 'data' && [...e.data]), [[23, 9]]);
  // Both sides saw end-of-candidates and finished gathering: completed.
  wire.run(wire.now + 1000);
  assert.equal(A.agent.state, 'completed');
  assert.equal(B.agent.state, 'completed');
});

test('consent keeps a quiet connection up for minutes; checks stay within 4-6 s', () => {
  const { wire, A, B, ok } = connectBoth(2);
  assert.ok(ok);
  const sentBefore = A.agent.stats.checksSent;
  wire.run(wire.now + 120_000);
  assert.ok(['connected', 'completed'].includes(A.agent.state));
  assert.ok(['connected', 'completed'].includes(B.agent.state));
  const consent = A.agent.stats.checksSent - sentBefore;
  assert.ok(consent >= 20 && consent <= 30, `${consent} consent checks in 120 s`);
});

test('role conflict: both controlling, both controlled — one side switches and they connect', () => {
  for (const both of [true, false]) {
    const { A, B, ok } = connectBoth(3, { controlling: both, tieBreaker: 5n }, { controlling: both, tieBreaker: 9n });
    assert.ok(ok, `connect with both ${both ? 'controlling' : 'controlled'}`);
    assert.equal(A.agent.role, 'controlled', 'the smaller tie-breaker is controlled');
    assert.equal(B.agent.role, 'controlling');
    assert.ok(A.agent.stats.roleConflicts + B.agent.stats.roleConflicts >= 1);
  }
});

test('consent loss: disconnected after 8 s of silence, failed at 30 s; recovery before that', () => {
  const { wire, A, B, ok } = connectBoth(4);
  assert.ok(ok);
  wire.run(wire.now + 2000);
  let cut = true;
  wire.drop = () => cut;
  const t0 = wire.now;
  wire.run(t0 + 60_000, () => A.agent.state === 'disconnected');
  const tDisc = wire.now - t0;
  assert.ok(tDisc >= 6000 && tDisc <= 8100, `disconnected after ${tDisc} ms`);
  cut = false;
  wire.run(wire.now + 7000, () => A.agent.state !== 'disconnected');
  assert.ok(['connected', 'completed'].includes(A.agent.state), 'recovered');
  cut = true;
  const t1 = wire.now;
  wire.run(t1 + 60_000, () => A.agent.state === 'failed');
  const tFail = wire.now - t1;
  assert.ok(tFail >= 24_000 && tFail <= 30_100, `failed ${tFail} ms after the cut`);
  assert.equal(A.agent.send(wire.now, Uint8Array.of(23)), false);
  wire.run(t1 + 31_000);
  assert.equal(B.agent.state, 'failed');
  assert.deepEqual(states(A).slice(-2), ['disconnected', 'failed']);
});
