/**
 * Remote `.local` host candidates through the agent's resolveMdns hook (protocol.md §4.7): a
 * resolved name becomes a host candidate; an unresolved one is dropped and peer-reflexive discovery
 * still connects (the remote then stays prflx).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Millis } from '../../../src/core/types.js';
import type { IceEvent } from '../../../src/ice/index.js';
import { formatCandidate } from '../../../src/ice/index.js';
import { withSeed, type Sim } from '../../sim/index.js';
import { icePeer, isUp, type IcePeer } from '../ice/harness.js';

type Deliver = (now: Millis, addresses: readonly string[] | undefined) => void;

/** B signals its host candidate as `<name>.local`; A signals plainly. */
function wireHidden(sim: Sim, a: IcePeer, b: IcePeer, name: string): void {
  b.agent.setRemoteCredentials(sim.now, a.agent.localUfrag, a.agent.localPwd);
  a.agent.setRemoteCredentials(sim.now, b.agent.localUfrag, b.agent.localPwd);
  a.listeners.push((ev: IceEvent) => {
    if (ev.type === 'candidate') b.agent.addRemoteCandidate(sim.now, formatCandidate(ev.candidate));
  });
  b.listeners.push((ev: IceEvent) => {
    if (ev.type === 'candidate') a.agent.addRemoteCandidate(sim.now, formatCandidate({ ...ev.candidate, address: name }));
    else if (ev.type === 'gathering-complete') a.agent.endOfRemoteCandidates(sim.now);
  });
  a.agent.gather(sim.now);
  b.agent.gather(sim.now);
}

function run(answer: 'resolve' | 'unresolved'): { A: IcePeer; B: IcePeer; asked: string[] } {
  let out: { A: IcePeer; B: IcePeer; asked: string[] } | undefined;
  withSeed(21, (sim) => {
    const asked: string[] = [];
    const pending: Array<[string, Deliver]> = [];
    const A = icePeer(sim, 'a', 'public', { controlling: true, resolveMdns: (name, deliver) => (asked.push(name), pending.push([name, deliver])) });
    const B = icePeer(sim, 'b', 'public', { controlling: false });
    wireHidden(sim, A, B, '0b9c5f3e-1111-4222-8333-444455556666.local');
    sim.runFor(30); // the lookup takes a while, as a multicast query does
    for (const [, deliver] of pending.splice(0)) deliver(sim.now, answer === 'resolve' ? [B.host.address()] : undefined);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 15_000 });
    out = { A, B, asked };
  });
  if (!out) throw new Error('no run');
  return out;
}

test('a resolved .local candidate is added as a host candidate of the resolved address', () => {
  const { A, B, asked } = run('resolve');
  assert.deepEqual(asked, ['0b9c5f3e-1111-4222-8333-444455556666.local']);
  const remote = A.agent.remoteCandidates.find((c) => c.address === B.host.address());
  assert.equal(remote?.type, 'host');
  assert.equal(A.agent.mdnsStats.resolved, 1);
});

test('an unresolved .local candidate is dropped; peer-reflexive discovery still connects', () => {
  const { A, B } = run('unresolved');
  assert.equal(A.agent.mdnsStats.unresolved, 1);
  assert.equal(A.agent.remoteCandidates.find((c) => c.address === B.host.address())?.type, 'prflx');
});
