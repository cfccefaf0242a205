/**
 * TURN relays inside the ICE agent, on the simulator with the relaying server model (turn-relay.ts):
 * symmetric NATs on both sides, long runs with allocation/permission/channel refresh, stale nonces,
 * wrong credentials, an unreachable server, and relay-only policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Datagram } from '../../../src/core/types.js';
import type { IceAgentOptions } from '../../../src/ice/index.js';
import type { TurnServerConfig } from '../../../src/ice/relay.js';
import { withSeed, type Sim } from '../../sim/index.js';
import { icePeer, isUp, stunServer, wire, type IcePeer, type Placement } from '../ice/harness.js';
import { TurnRelayServer } from './turn-relay.js';

function turnServer(sim: Sim): { server: TurnRelayServer; config: (password?: string) => TurnServerConfig } {
  const h = sim.host({ name: 'turn' });
  const server = new TurnRelayServer(h.address(), 'user', 'secret');
  sim.attach(h, server);
  return { server, config: (password = 'secret') => ({ server: { address: h.address(), port: 3478 }, username: 'user', credential: password, url: `turn:${h.address()}:3478` }) };
}

function peers(sim: Sim, a: Placement, b: Placement, oa: Partial<IceAgentOptions>, ob: Partial<IceAgentOptions>): [IcePeer, IcePeer] {
  const stun = stunServer(sim);
  const A = icePeer(sim, 'a', a, { controlling: true, stun, ...oa });
  const B = icePeer(sim, 'b', b, { controlling: false, stun, ...ob });
  wire(sim, A, B);
  return [A, B];
}

test('both peers behind symmetric NATs connect through the relay (ChannelData once bound)', () => {
  withSeed(11, (sim) => {
    const turn = turnServer(sim);
    const [A, B] = peers(sim, 'symmetric', 'symmetric', { turnServers: [turn.config()] }, { turnServers: [turn.config()] });
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 20_000 });
    const types = [A.agent.selectedPair?.local.type, B.agent.selectedPair?.local.type];
    assert.ok(types.includes('relay'), `selected local types ${types.join(',')}`);
    assert.ok(A.att.ofType('candidate').some((e) => e.candidate.type === 'relay'));
    assert.equal(turn.server.allocations, 2);
    assert.ok(turn.server.log.includes('ChannelBind+auth') && turn.server.log.includes('CreatePermission+auth'), turn.server.log.join(' '));
    assert.ok(turn.server.relayedPackets > 0);
    assert.deepEqual(A.agent.relayStatus.map((s) => [s.state, s.error]), [['allocated', undefined]]);
  });
});

test('a 40-minute run keeps the allocation, permissions and channels alive by refreshing them', () => {
  withSeed(12, (sim) => {
    const turn = turnServer(sim);
    const [A, B] = peers(sim, 'symmetric', 'symmetric', { turnServers: [turn.config()] }, { turnServers: [turn.config()] });
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 20_000 });
    const count = (what: string): number => turn.server.log.filter((l) => l === what).length;
    const before = { refresh: count('Refresh+auth'), perm: count('CreatePermission+auth'), chan: count('ChannelBind+auth') };
    sim.runFor(40 * 60_000);
    assert.ok(isUp(A) && isUp(B), `states ${A.agent.state} ${B.agent.state}`);
    // 600 s allocations refreshed 60 s early (>= 4 in 40 min per client); permissions every 240 s; channels every 540 s.
    const after = { refresh: count('Refresh+auth'), perm: count('CreatePermission+auth'), chan: count('ChannelBind+auth') };
    assert.ok(after.refresh - before.refresh >= 8, JSON.stringify({ before, after }));
    assert.ok(count('CreatePermission+auth') - before.perm >= 16);
    assert.ok(count('ChannelBind+auth') - before.chan >= 8);
    assert.equal(turn.server.allocations, 2);
    assert.ok(!turn.server.log.includes('error 437'));
  });
});

test('stale nonces (438) are retried with the fresh nonce and the relay still connects', () => {
  withSeed(13, (sim) => {
    const turn = turnServer(sim);
    turn.server.staleEvery = 3;
    const [A, B] = peers(sim, 'symmetric', 'symmetric', { turnServers: [turn.config()] }, { turnServers: [turn.config()] });
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 20_000 });
    sim.runFor(15 * 60_000);
    assert.ok(isUp(A) && isUp(B));
    assert.ok(turn.server.log.filter((l) => l === 'error 438').length >= 3, turn.server.log.join(' '));
  });
});

test('wrong password: the failure names the server and the reason; gathering completes; ICE fails cleanly', () => {
  withSeed(14, (sim) => {
    const turn = turnServer(sim);
    const [A, B] = peers(sim, 'symmetric', 'symmetric', { turnServers: [turn.config('wrong')] }, { turnServers: [turn.config('wrong')] });
    sim.runUntil(() => A.agent.state === 'failed' && B.agent.state === 'failed', { maxMs: 60_000 });
    const [st] = A.agent.relayStatus;
    assert.equal(st?.state, 'failed');
    assert.equal(st?.error?.code, 401);
    assert.match(st?.error?.reason ?? '', /wrong username or credential/);
    assert.equal(A.att.ofType('gathering-complete').length, 1);
  });
});

test('an unreachable TURN server does not hold gathering past relayGatherTimeoutMs, and is reported', () => {
  withSeed(15, (sim) => {
    const dead = { server: { address: '198.18.200.1', port: 3478 }, username: 'u', credential: 'p', url: 'turn:198.18.200.1:3478' };
    const [A, B] = peers(sim, 'public', 'public', { turnServers: [dead], relayGatherTimeoutMs: 3000 }, {});
    sim.runUntil(() => A.att.ofType('gathering-complete').length > 0, { maxMs: 60_000 });
    assert.ok(sim.now <= 3_100, `gathering done at ${sim.now}`);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 10_000 });
    sim.runFor(60_000);
    const [st] = A.agent.relayStatus;
    assert.equal(st?.error?.code, undefined);
    assert.match(st?.error?.reason ?? '', /no answer: server unreachable/);
  });
});

test("relay-only policy: every packet A sends goes to the TURN server, and A's selected pair is relay", () => {
  withSeed(16, (sim) => {
    const turn = turnServer(sim);
    const [A, B] = peers(sim, 'public', 'public', { turnServers: [turn.config()], iceTransportPolicy: 'relay' }, {});
    const sent: Datagram[] = [];
    A.host.link.up.tap((dg) => sent.push(dg));
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 20_000 });
    sim.runFor(30_000);
    assert.ok(sent.length > 10);
    assert.deepEqual([...new Set(sent.map((d) => `${d.to.address}:${d.to.port}`))], [`${turn.config().server?.address}:3478`]);
    assert.equal(A.agent.selectedPair?.local.type, 'relay');
    assert.deepEqual(A.att.ofType('candidate').map((e) => e.candidate.type), ['relay']);
  });
});
