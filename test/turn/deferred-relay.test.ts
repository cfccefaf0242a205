/**
 * Deferred TURN servers (`TurnServerConfig.connect`, what the Node shell uses for host names and
 * TCP/TLS streams) on the simulator: the address arrives later and the relay works; a failure is
 * reported with the reason and does not hold gathering until the relay timeout; a stream lost after
 * allocation marks the relay failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Millis } from '../../src/core/types.js';
import type { TurnServerConfig, TurnServerReady } from '../../src/ice/relay.js';
import { withSeed, type Sim } from '../sim/index.js';
import { icePeer, isUp, wire } from '../scenarios/ice/harness.js';
import { TurnRelayServer } from '../scenarios/turn/turn-relay.js';

type Deliver = (now: Millis, r: TurnServerReady) => void;

function deferredTurn(sim: Sim): { server: TurnRelayServer; address: string; config: TurnServerConfig; deliver: () => Deliver | undefined } {
  const h = sim.host({ name: 'turn' });
  const server = new TurnRelayServer(h.address(), 'user', 'secret');
  sim.attach(h, server);
  let deliver: Deliver | undefined;
  const config: TurnServerConfig = { username: 'user', credential: 'secret', url: 'turn:turn.test', connect: (d) => void (deliver = d) };
  return { server, address: h.address(), config, deliver: () => deliver };
}

test('deferred TURN server: address delivered 300 ms later, relay-only connects through it', () => {
  withSeed(31, (sim) => {
    const turn = deferredTurn(sim);
    const A = icePeer(sim, 'a', 'symmetric', { controlling: true, turnServers: [turn.config], iceTransportPolicy: 'relay' });
    const B = icePeer(sim, 'b', 'public', { controlling: false });
    assert.deepEqual(A.agent.relayStatus.map((s) => s.state), ['connecting']);
    sim.scheduler.at(sim.now + 300, () => {
      turn.deliver()?.(sim.now, { server: { address: turn.address, port: 3478 } });
      A.att.drain(sim.now);
    });
    wire(sim, A, B);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 20_000 });
    assert.equal(A.agent.selectedPair?.local.type, 'relay');
    assert.deepEqual(A.agent.relayStatus.map((s) => [s.url, s.state]), [['turn:turn.test', 'allocated']]);
    assert.equal(turn.server.allocations, 1);
  });
});

test('deferred TURN server that fails: status failed with the reason, gathering completes at once, not after the relay timeout', () => {
  withSeed(32, (sim) => {
    const turn = deferredTurn(sim);
    const A = icePeer(sim, 'a', 'public', { controlling: true, turnServers: [turn.config] });
    const B = icePeer(sim, 'b', 'public', { controlling: false });
    sim.scheduler.at(sim.now + 200, () => {
      turn.deliver()?.(sim.now, { error: 'connection refused (nothing listens for TURN over TCP there)' });
      A.att.drain(sim.now);
    });
    const t0 = sim.now;
    wire(sim, A, B);
    sim.runUntil(() => A.att.ofType('gathering-complete').length > 0, { maxMs: 20_000 });
    assert.ok(sim.now - t0 < 1000, `gathering completed after ${sim.now - t0} ms`);
    assert.deepEqual(A.agent.relayStatus, [{ url: 'turn:turn.test', transport: 'udp', state: 'failed', error: { code: undefined, reason: 'connection refused (nothing listens for TURN over TCP there)' } }]);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 20_000 });
    assert.equal(A.agent.selectedPair?.local.type, 'host');
    assert.equal(turn.server.allocations, 0);
  });
});

test('deferred TURN server lost after allocation: status failed with the reason', () => {
  withSeed(33, (sim) => {
    const turn = deferredTurn(sim);
    const A = icePeer(sim, 'a', 'public', { controlling: true, turnServers: [turn.config] });
    const B = icePeer(sim, 'b', 'public', { controlling: false });
    sim.scheduler.at(sim.now + 10, () => {
      turn.deliver()?.(sim.now, { server: { address: turn.address, port: 3478 } });
      A.att.drain(sim.now);
    });
    wire(sim, A, B);
    sim.runUntil(() => A.agent.relayStatus[0]?.state === 'allocated', { maxMs: 20_000 });
    turn.deliver()?.(sim.now, { error: 'stream lost: closed by the server' });
    A.att.drain(sim.now);
    const s = A.agent.relayStatus[0];
    assert.equal(s?.state, 'failed');
    assert.equal(s?.error?.reason, 'stream lost: closed by the server');
  });
});
