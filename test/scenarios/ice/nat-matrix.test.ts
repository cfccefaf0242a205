/**
 * Every pair of NAT placements (public, full cone, address-restricted, port-restricted, symmetric)
 * with a STUN server in the simulation. Pairs that need a relay (symmetric with symmetric or
 * port-restricted) must fail cleanly: state `failed` on both sides, nothing left armed after close.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSeed } from '../../sim/index.js';
import type { Placement } from './harness.js';
import { icePeer, isUp, stunServer, wire } from './harness.js';

const PLACEMENTS: readonly Placement[] = ['public', 'full-cone', 'address-restricted', 'port-restricted', 'symmetric'];

function needsRelay(a: Placement, b: Placement): boolean {
  const hard = new Set([a, b]);
  return a === 'symmetric' && b === 'symmetric' ? true : hard.has('symmetric') && hard.has('port-restricted');
}

for (const [i, a] of PLACEMENTS.entries()) {
  for (const b of PLACEMENTS.slice(i)) {
    const relay = needsRelay(a, b);
    test(`${a} (controlling) <-> ${b}: ${relay ? 'fails cleanly without a relay' : 'connects and carries data'}`, () => {
      withSeed(1000 + i * 10 + PLACEMENTS.indexOf(b), (sim) => {
        const stun = stunServer(sim);
        const A = icePeer(sim, 'a', a, { controlling: true, stun });
        const B = icePeer(sim, 'b', b, { controlling: false, stun });
        wire(sim, A, B);
        sim.runUntil(() => A.agent.gatheringState === 'complete' && B.agent.gatheringState === 'complete', { maxMs: 5000 });
        for (const [p, placement] of [[A, a], [B, b]] as const) {
          const srflx = p.agent.localCandidates.filter((c) => c.type === 'srflx');
          // Behind a NAT the STUN server reveals the public mapping; on the internet it equals the host.
          assert.equal(srflx.length, placement === 'public' ? 0 : 1, `${p.name} srflx`);
        }
        if (relay) {
          sim.runUntil(() => A.agent.state === 'failed' && B.agent.state === 'failed', { maxMs: 60_000 });
          assert.ok(!A.states().includes('connected') && !B.states().includes('connected'));
          assert.equal(A.agent.send(sim.now, Uint8Array.of(23)), false);
        } else {
          sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 10_000 });
          assert.ok(A.agent.send(sim.now, Uint8Array.of(23, 42)));
          sim.runUntil(() => B.att.ofType('data').length === 1, { maxMs: 1000 });
          assert.deepEqual([...(B.att.ofType('data')[0]?.data ?? [])], [23, 42]);
          sim.runFor(40_000);
          assert.ok(isUp(A) && isUp(B), 'consent keeps the NAT bindings and the pair alive');
        }
        A.agent.close(sim.now);
        B.agent.close(sim.now);
        assert.equal(A.agent.pollTimeout(), undefined);
      });
    });
  }
}
