import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../core/rng.js';
import type { Addr, Datagram } from '../core/types.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { getAttr, hasAttr } from '../stun/helpers.js';
import { attr } from '../stun/attributes.js';
import { decodeStun, encodeStun } from '../stun/message.js';
import { buildCheck } from './binding.js';
import { formatCandidate } from './candidate-grammar.js';
import type { IceEvent } from './context.js';
import { IceAgent } from './ice-agent.js';
import { TestWire } from '../../test/scenarios/ice/test-wire.js';

const mkAgent = (seed: number, controlling = true, extra: object = {}): IceAgent =>
  new IceAgent({ rng: new SeededRng(seed), crypto: nodeCrypto, controlling, ...extra });

function drain(a: IceAgent): { out: Datagram[]; events: IceEvent[] } {
  const out: Datagram[] = [];
  const events: IceEvent[] = [];
  for (let d = a.pollTransmit(); d; d = a.pollTransmit()) out.push(d);
  for (let e = a.pollEvent(); e; e = a.pollEvent()) events.push(e);
  return { out, events };
}

test('remote candidates: tcp, .local, other components and other-generation ufrags are ignored', () => {
  const a = mkAgent(1);
  a.addLocalAddress(0, { address: '198.18.0.1', port: 1 });
  a.setRemoteCredentials(0, 'rUfr', 'remotePasswordRemotePass');
  assert.equal(a.addRemoteCandidate(0, 'candidate:1 1 TCP 2105524479 198.18.0.2 9 typ host tcptype active'), 'tcp');
  assert.equal(a.addRemoteCandidate(0, 'candidate:2 1 udp 2113937151 87605dc3-1ac3-4e63-9cac-3de5099c580d.local 58000 typ host'), 'unresolved');
  assert.equal(a.addRemoteCandidate(0, 'candidate:3 2 udp 2113937150 198.18.0.2 5001 typ host'), 'component');
  assert.equal(a.addRemoteCandidate(0, 'candidate:4 1 udp 2113937151 198.18.0.2 5000 typ host generation 0 ufrag OLDX'), 'ufrag');
  assert.equal(a.addRemoteCandidate(0, 'candidate:4 1 udp 2113937151 198.18.0.2 5000 typ host generation 0 ufrag rUfr'), 'added');
  assert.equal(a.addRemoteCandidate(0, 'candidate:5 1 udp 2113937151 198.18.0.2 5000 typ host'), 'known');
  assert.equal(a.addRemoteCandidateLine(0, 'candidate:garbage'), false);
  assert.throws(() => a.addRemoteCandidate(0, 'nonsense'));
  assert.equal(a.remoteCandidates.length, 1);
  // The signalling answer (addIceCandidate) accepts well-formed candidates it ignores, as browsers
  // do: Chromium trickles .local and tcp candidates and Godot code checks the returned Error.
  assert.equal(a.addRemoteCandidateLine(0, 'candidate:6 1 udp 2113937151 1943e154-142e-45b4-8159-e19204832a4f.local 55623 typ host generation 0 ufrag rUfr network-cost 999'), true);
  assert.equal(a.addRemoteCandidateLine(0, 'candidate:7 1 tcp 1518280447 198.18.0.2 9 typ host tcptype active'), true);
  assert.equal(a.remoteCandidates.length, 1, 'ignored candidates are not paired');
  a.close(0);
  assert.equal(a.addRemoteCandidateLine(0, 'candidate:8 1 udp 2113937151 198.18.0.3 5000 typ host'), false, 'closed');
});

test('loopback host addresses only with includeLoopback; IPv6 host candidates rank above IPv4', () => {
  const a = mkAgent(2);
  assert.equal(a.addLocalAddress(0, { address: '127.0.0.1', port: 1 }), false);
  const b = mkAgent(3, true, { includeLoopback: true });
  assert.equal(b.addLocalAddress(0, { address: '127.0.0.1', port: 1 }), true);
  assert.equal(b.addLocalAddress(0, { address: '::1', port: 1 }), true);
  assert.equal(b.addLocalAddress(0, { address: '::1', port: 1 }), false, 'duplicate');
  const [v4, v6] = b.localCandidates;
  assert.ok(v4 && v6 && v6.priority > v4.priority);
});

test('dual-stack peers select the IPv6 pair; pairs never mix families', () => {
  const wire = new TestWire<IceEvent>(4);
  const A = mkAgent(5, true);
  const B = mkAgent(6, false);
  const na = wire.add(A);
  const nb = wire.add(B);
  const addrs: Array<[typeof na, IceAgent, Addr[]]> = [
    [na, A, [{ address: '198.18.0.1', port: 1 }, { address: '2001:db8::1', port: 1 }]],
    [nb, B, [{ address: '198.18.0.2', port: 2 }, { address: '2001:db8::2', port: 2 }]],
  ];
  for (const [n, ag, list] of addrs) {
    for (const x of list) {
      wire.own(n, x);
      ag.addLocalAddress(0, x);
    }
    ag.gather(0);
  }
  A.setRemoteCredentials(0, B.localUfrag, B.localPwd);
  B.setRemoteCredentials(0, A.localUfrag, A.localPwd);
  for (const c of B.localCandidates) A.addRemoteCandidate(0, formatCandidate(c));
  for (const c of A.localCandidates) B.addRemoteCandidate(0, formatCandidate(c));
  assert.ok(wire.run(5000, () => A.selectedPair !== undefined && B.selectedPair !== undefined));
  assert.equal(A.selectedPair?.remote.address, '2001:db8::2');
  assert.equal(A.stats.checksSent <= 6, true, `only same-family pairs checked: ${A.stats.checksSent}`);
});

test('controlling consent checks carry USE-CANDIDATE; checks are paced Ta = 50 ms apart', () => {
  const a = mkAgent(7, true);
  a.addLocalAddress(0, { address: '198.18.0.1', port: 1 });
  a.setRemoteCredentials(0, 'rUfr', 'remotePasswordRemotePass');
  for (let p = 1; p <= 5; p++) a.addRemoteCandidate(0, `candidate:${p} 1 udp ${2113937151 - p} 198.18.0.2 ${5000 + p} typ host`);
  const sendTimes: number[] = [];
  for (let now = 0; now <= 400; now += 1) {
    const t = a.pollTimeout();
    if (t !== undefined && t <= now) a.handleTimeout(now);
    for (const d of drain(a).out) if (decodeStun(d.data).cls === 'request' && !sendTimes.includes(now)) sendTimes.push(now);
  }
  assert.deepEqual(sendTimes.slice(0, 5), [0, 50, 100, 150, 200]);
  // Consent checks of a controlling agent: seen on the wire after selection.
  const wire = new TestWire<IceEvent>(8);
  const A = mkAgent(81, true);
  const B = mkAgent(82, false);
  const [pa, pb] = [{ address: '198.18.0.1', port: 1 }, { address: '198.18.0.2', port: 2 }];
  wire.own(wire.add(A), pa);
  wire.own(wire.add(B), pb);
  A.addLocalAddress(0, pa);
  B.addLocalAddress(0, pb);
  A.setRemoteCredentials(0, B.localUfrag, B.localPwd);
  B.setRemoteCredentials(0, A.localUfrag, A.localPwd);
  A.addRemoteCandidate(0, formatCandidate(B.localCandidates[0] as NonNullable<(typeof B.localCandidates)[0]>));
  assert.ok(wire.run(2000, () => A.selectedPair !== undefined && B.selectedPair !== undefined));
  const consent: boolean[] = [];
  wire.drop = (dg) => {
    const m = decodeStun(dg.data);
    if (m.cls === 'request' && dg.from.port === 1) consent.push(hasAttr(m, 'useCandidate'));
    return false;
  };
  wire.run(wire.now + 30_000);
  assert.ok(consent.length >= 5 && consent.every(Boolean), `consent checks with USE-CANDIDATE: ${consent.join(',')}`);
});

test('every Binding request is answered, even after consent expired (failed)', () => {
  const a = mkAgent(9, false, { consentExpiryMs: 20_000 });
  const us = { address: '198.18.0.1', port: 1 };
  const peer = { address: '198.18.0.2', port: 2 };
  a.addLocalAddress(0, us);
  a.setRemoteCredentials(0, 'rUfr', 'remotePasswordRemotePass');
  const check = (now: number, useCandidate: boolean): Datagram[] => {
    const { bytes } = buildCheck({ localUfrag: 'rUfr', remoteUfrag: a.localUfrag, remotePwd: a.localPwd, priority: 9, controlling: true, tieBreaker: 9n, useCandidate }, new SeededRng(now), nodeCrypto);
    a.handleDatagram(now, { from: peer, to: us, data: bytes });
    const out = drain(a).out;
    a.handleTimeout(now); // the triggered check leaves at the pacing tick, due now
    return [...out, ...drain(a).out];
  };
  const first = check(0, true);
  const resp = first.find((d) => decodeStun(d.data).cls === 'success');
  assert.ok(resp, 'answered');
  assert.deepEqual(getAttr(decodeStun(resp.data), 'xorMappedAddress'), peer);
  const triggered = first.find((d) => decodeStun(d.data).cls === 'request');
  assert.ok(triggered && !hasAttr(decodeStun(triggered.data), 'useCandidate'), 'controlled checks never carry USE-CANDIDATE');
  for (let now = 0; now < 60_000; now += 100) {
    const t = a.pollTimeout();
    if (t !== undefined && t <= now) a.handleTimeout(now);
    drain(a);
  }
  assert.ok(['failed', 'checking'].includes(a.state), a.state);
  assert.ok(check(60_000, false).some((d) => decodeStun(d.data).cls === 'success'), 'still answered');
});

test('an unreachable STUN server: gathering completes after 23.5 s (6 requests)', () => {
  const a = mkAgent(10, true, { stunServers: [{ address: '198.18.0.99', port: 3478 }, { address: '2001:db8::99', port: 3478 }] });
  a.addLocalAddress(0, { address: '198.18.0.1', port: 1 });
  a.gather(0);
  let requests = 0;
  let doneAt: number | undefined;
  for (let now = 0; now <= 30_000 && doneAt === undefined; now += 10) {
    const t = a.pollTimeout();
    if (t !== undefined && t <= now) a.handleTimeout(now);
    const { out, events } = drain(a);
    requests += out.length;
    if (events.some((e) => e.type === 'gathering-complete')) doneAt = now;
    if (now === 0) assert.equal(out.length, 1, 'only the IPv4 server is asked from an IPv4 base');
  }
  assert.equal(doneAt, 23_500);
  assert.equal(requests, 6);
});

test('a STUN server answer gives a srflx candidate with raddr/rport; one equal to the host is redundant', () => {
  const a = mkAgent(12, true, { stunServers: [{ address: '198.18.0.99', port: 3478 }] });
  a.addLocalAddress(0, { address: '198.18.0.1', port: 1 });
  a.addLocalAddress(0, { address: '198.18.0.3', port: 1 });
  // A server that maps 198.18.0.1:1 to 203.0.113.1:4000 and 198.18.0.3 to itself (no NAT there).
  const server = { handled: 0 };
  const mapped = (from: Addr): Addr => (from.address === '198.18.0.1' ? { address: '203.0.113.1', port: 4000 } : from);
  a.gather(0);
  for (const d of drain(a).out) {
    server.handled++;
    a.handleDatagram(1, { from: d.to, to: d.from, data: encodeBinding(decodeStun(d.data).transactionId, mapped(d.from)) });
  }
  const { events } = drain(a);
  const srflx = events.flatMap((e) => (e.type === 'candidate' ? [e.candidate] : [])).filter((c) => c.type === 'srflx');
  assert.equal(server.handled, 2);
  assert.equal(srflx.length, 1);
  assert.match(formatCandidate(srflx[0] as NonNullable<(typeof srflx)[0]>), / 203\.0\.113\.1 4000 typ srflx raddr 198\.18\.0\.1 rport 1$/);
  assert.ok(events.some((e) => e.type === 'gathering-complete'));
});

function encodeBinding(transactionId: Uint8Array, mapped: Addr): Uint8Array {
  return encodeStun({ method: 1, cls: 'success', transactionId, attributes: [attr('xorMappedAddress', mapped)] }, { fingerprint: true });
}
