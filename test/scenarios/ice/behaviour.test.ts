/**
 * ICE behaviour on the simulator (issue 2, "How it is shown"): loss, role conflicts, re-nomination,
 * consent loss and recovery at the RFC 7675 times, ICE restart, and candidates arriving before and
 * after the remote credentials. Every scenario is seeded; a failure prints the seed and the trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCandidate } from '../../../src/ice/candidate-grammar.js';
import { forSeeds, withSeed } from '../../sim/index.js';
import { connectedPeers, icePeer, isUp, signalTo, stunServer, wire } from './harness.js';
import { RenominatingPeer } from './renominating-peer.js';

test('20% loss on both access links (behind NATs) still connects', () => {
  forSeeds([1, 2, 3, 4, 5, 6], (sim) => {
    const stun = stunServer(sim);
    const A = icePeer(sim, 'a', 'port-restricted', { controlling: true, stun });
    const B = icePeer(sim, 'b', 'full-cone', { controlling: false, stun });
    A.host.link.set({ loss: 0.2, delayMs: 20 });
    B.host.link.set({ loss: 0.2, delayMs: 20 });
    wire(sim, A, B);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 15_000 });
    sim.runFor(60_000);
    assert.ok(A.agent.state !== 'failed' && B.agent.state !== 'failed', 'consent survives 20% loss');
  });
});

for (const controlling of [true, false]) {
  test(`role conflict: both ${controlling ? 'controlling' : 'controlled'} -> 487 / switch, then connected`, () => {
    withSeed(controlling ? 31 : 32, (sim) => {
      const stun = stunServer(sim);
      const A = icePeer(sim, 'a', 'public', { controlling, stun, tieBreaker: 10n });
      const B = icePeer(sim, 'b', 'address-restricted', { controlling, stun, tieBreaker: 20n });
      wire(sim, A, B);
      sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 10_000 });
      assert.equal(A.agent.role, 'controlled');
      assert.equal(B.agent.role, 'controlling');
      assert.equal(A.agent.selectedPair?.remote.port, B.agent.selectedPair?.local.port);
    });
  });
}

test('controlled agent follows a later re-nomination and stays connected on the new pair', () => {
  withSeed(41, (sim) => {
    const B = icePeer(sim, 'b', 'public', { controlling: false });
    const chromeHost = sim.host({ name: 'chrome', addresses: ['198.18.0.200', '198.18.0.201'] });
    const first = { address: '198.18.0.200', port: 6000 };
    const second = { address: '198.18.0.201', port: 6000 };
    const chrome = new RenominatingPeer(first, second, 20_000);
    sim.attach(chromeHost, chrome);
    chrome.remote = { ufrag: B.agent.localUfrag, pwd: B.agent.localPwd, addr: { address: B.host.address(), port: 5000 } };
    B.agent.setRemoteCredentials(sim.now, chrome.ufrag, chrome.pwd);
    B.agent.gather(sim.now);
    sim.runUntil(() => B.agent.selectedPair?.remote.address === first.address, { maxMs: 5000 });
    sim.runUntil(() => B.agent.selectedPair?.remote.address === second.address, { maxMs: 30_000 });
    sim.runFor(60_000);
    assert.equal(B.agent.selectedPair?.remote.address, second.address);
    assert.ok(!B.states().includes('disconnected') && !B.states().includes('failed'), B.states().join(','));
  });
});

test('consent: link cut -> disconnected at 8 s -> recovers; cut again -> failed at 30 s (RFC 7675)', () => {
  withSeed(51, (sim) => {
    const [A, B] = connectedPeers(sim, 'public', 'port-restricted');
    sim.runFor(3000);
    B.host.link.cut();
    const cutAt = sim.now;
    sim.runUntil(() => A.agent.state === 'disconnected', { maxMs: 20_000 });
    const disc = sim.now - cutAt;
    assert.ok(disc > 2000 && disc <= 8000, `disconnected ${disc} ms after the cut`);
    B.host.link.restore();
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 7000 });
    B.host.link.cut();
    const cut2 = sim.now;
    sim.runUntil(() => A.agent.state === 'failed', { maxMs: 40_000 });
    const fail = sim.now - cut2;
    assert.ok(fail > 24_000 && fail <= 30_000, `failed ${fail} ms after the cut (30 s after the last response)`);
    const states = A.states();
    const tail = states.slice(states.indexOf('disconnected')).join(',');
    assert.match(tail, /^disconnected,(connected,)?completed,disconnected,failed$/);
    assert.equal(A.agent.send(sim.now, Uint8Array.of(23)), false);
  });
});

test('ICE restart behind NATs: old pair carries data until the new generation is selected', () => {
  withSeed(61, (sim) => {
    const [A, B] = connectedPeers(sim, 'address-restricted', 'port-restricted');
    const selectedBefore = A.att.ofType('selected-pair').length;
    const ufragA = A.agent.localUfrag;
    A.agent.restart(sim.now);
    B.agent.restart(sim.now);
    assert.notEqual(A.agent.localUfrag, ufragA);
    // Re-signal the new credentials (candidates keep trickling through the existing listeners).
    A.agent.setRemoteCredentials(sim.now, B.agent.localUfrag, B.agent.localPwd);
    B.agent.setRemoteCredentials(sim.now, A.agent.localUfrag, A.agent.localPwd);
    assert.ok(A.agent.send(sim.now, Uint8Array.of(23, 7)), 'the old pair still sends');
    sim.runUntil(() => B.att.ofType('data').length === 1, { maxMs: 1000 });
    sim.runUntil(() => A.att.ofType('selected-pair').length > selectedBefore, { maxMs: 10_000 });
    sim.runFor(40_000);
    assert.ok(isUp(A) && isUp(B), `A=${A.agent.state} B=${B.agent.state}`);
    assert.ok(!A.states().includes('failed'));
  });
});

test('candidates arriving before and after the remote credentials (trickle races)', () => {
  forSeeds([71, 72], (sim) => {
    const stun = stunServer(sim);
    const A = icePeer(sim, 'a', 'full-cone', { controlling: true, stun });
    const B = icePeer(sim, 'b', 'address-restricted', { controlling: false, stun });
    A.agent.gather(sim.now);
    B.agent.gather(sim.now);
    sim.runFor(300);
    // B's candidates reach A before B's credentials; A's credentials reach B late and its candidates later still.
    for (const ev of B.att.ofType('candidate')) A.agent.addRemoteCandidate(sim.now, formatCandidate(ev.candidate));
    sim.runFor(200);
    signalTo(sim, B, A);
    sim.runFor(500);
    B.agent.setRemoteCredentials(sim.now, A.agent.localUfrag, A.agent.localPwd);
    sim.runFor(500);
    signalTo(sim, A, B);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 10_000 });
  });
});

test('mDNS-hidden host candidates (interop bug 5): unresolvable .local names, peer-reflexive discovery connects', () => {
  withSeed(81, (sim) => {
    const A = icePeer(sim, 'a', 'public', { controlling: true });
    const B = icePeer(sim, 'b', 'public', { controlling: false });
    // B publishes its host candidate as a browser does with mDNS on; A cannot resolve it.
    A.agent.setRemoteCredentials(sim.now, B.agent.localUfrag, B.agent.localPwd);
    B.listeners.push((ev) => {
      if (ev.type !== 'candidate') return;
      const hidden = formatCandidate({ ...ev.candidate, address: '87605dc3-1ac3-4e63-9cac-3de5099c580d.local' });
      assert.equal(A.agent.addRemoteCandidate(sim.now, hidden), 'unresolved');
    });
    signalTo(sim, A, B);
    A.agent.gather(sim.now);
    B.agent.gather(sim.now);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 10_000 });
    assert.equal(A.agent.selectedPair?.remote.type, 'prflx');
    assert.equal(A.agent.selectedPair?.remote.address, B.host.address());
  });
});

test('consent checks keep short-lived NAT mappings (10 s) open for minutes', () => {
  withSeed(91, (sim) => {
    const stun = stunServer(sim);
    const A = icePeer(sim, 'a', 'address-restricted', { controlling: true, stun, natTimeoutMs: 10_000 });
    const B = icePeer(sim, 'b', 'symmetric', { controlling: false, stun, natTimeoutMs: 10_000 });
    wire(sim, A, B);
    sim.runUntil(() => isUp(A) && isUp(B), { maxMs: 10_000 });
    sim.runFor(180_000);
    assert.ok(isUp(A) && isUp(B), `A=${A.agent.state} B=${B.agent.state}`);
    assert.ok(B.agent.send(sim.now, Uint8Array.of(23, 5)));
    sim.runUntil(() => A.att.ofType('data').length === 1, { maxMs: 1000 });
    assert.equal(sim.dropped('nat-filtered') + sim.dropped('nat-no-mapping') < 20, true, 'no steady loss at the NATs');
  });
});
