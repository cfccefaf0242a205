// A description made before the shell's sockets are bound (PeerStack awaitLocalAddresses, as the node
// binding does) is signalled once they are, carrying the host candidates: the peer starts its checks
// on the description instead of waiting a trickle trip (issue 6 setup time). The candidates are still
// trickled after it (never before: a peer needs the description first), and trickling them again is
// harmless. Real ICE, DTLS and SCTP cores on TestNet's virtual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../../src/core/rng.js';
import type { Rng } from '../../../src/core/rng.js';
import type { Addr } from '../../../src/core/types.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { realLayers } from '../../../src/stack/layers.js';
import { dtlsFactory } from '../../../src/stack/dtls-binding.js';
import { PeerStack } from '../../../src/stack/peer-stack.js';
import type { StackEvent } from '../../../src/stack/peer-stack.js';
import { TestNet } from './test-net.js';

const A: Addr = { address: '127.0.0.1', port: 42001 };
const B: Addr = { address: '127.0.0.1', port: 42002 };

function stack(rng: Rng, awaitLocalAddresses: boolean): PeerStack {
  const r = new SeededRng(rng.u32());
  const layers = realLayers({ rng: r, crypto: nodeCrypto, dtls: dtlsFactory({ rng: r, crypto: nodeDtlsCrypto }), includeLoopback: true });
  return new PeerStack(layers, { rng: r, awaitLocalAddresses });
}

function drain(s: PeerStack): StackEvent[] {
  const out: StackEvent[] = [];
  for (let e = s.pollEvent(); e; e = s.pollEvent()) out.push(e);
  return out;
}

const sdpCandidates = (sdp: string): string[] => sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
const described = (evs: StackEvent[]): string | undefined => evs.find((e) => e.type === 'local-description')?.sdp;
const kinds = (evs: StackEvent[]): string[] => evs.filter((e) => e.type !== 'connection-state').map((e) => e.type);

/** The shell's sockets bound: what the node binding does once its bind resolved. */
function bound(s: PeerStack, addr: Addr, now = 0): StackEvent[] {
  s.addLocalAddress(now, addr);
  s.localAddressesReady(now);
  return drain(s);
}

test('an offer made before the sockets are bound is signalled once they are, with the host candidate, then the candidate is trickled', () => {
  const a = stack(new SeededRng(3), true);
  a.createDataChannel(0, { label: 'x', ordered: true });
  const applied = a.createOffer(0);
  assert.equal(a.signalingState, 'have-local-offer', 'applied at once');
  assert.deepEqual(kinds(drain(a)), [], 'nothing signalled before the sockets are bound');
  assert.deepEqual(sdpCandidates(applied), []);
  const evs = bound(a, A);
  assert.deepEqual(kinds(evs), ['local-description', 'ice-candidate'], 'the description goes first');
  const offer = described(evs) as string;
  assert.deepEqual(sdpCandidates(offer), [`a=${(evs[1] as Extract<StackEvent, { type: 'ice-candidate' }>).candidate}`]);
  assert.ok(!offer.includes('a=end-of-candidates'), 'no end-of-candidates before a trickled candidate (RFC 8838)');
  const strip = (sdp: string): string => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n');
  assert.equal(strip(offer), strip(applied), 'the same description (o= version, ufrag, fingerprint, setup) but for the candidate');
});

test('a description made after the sockets are bound carries their candidates at once', () => {
  const a = stack(new SeededRng(4), true);
  assert.equal(bound(a, A).length, 0);
  const offer = a.createOffer(0);
  const evs = drain(a);
  assert.deepEqual(kinds(evs), ['local-description', 'ice-candidate']);
  assert.equal(described(evs), offer);
  assert.equal(sdpCandidates(offer).length, 1);
});

test('offer and answer held for the sockets connect; trickling their SDP candidates again is harmless', () => {
  const net = new TestNet();
  const a = stack(net.rng, true);
  const b = stack(net.rng, true);
  const ta = net.attachAt(a, A); // addLocalAddress only: the sockets are not reported ready yet
  const tb = net.attachAt(b, B);
  const ch = a.createDataChannel(0, { label: 'x', ordered: true });
  a.createOffer(0);
  net.flush();
  assert.equal(described(ta.events), undefined);
  a.localAddressesReady(net.now);
  net.flush();
  const offer = described(ta.events) as string;
  assert.equal(sdpCandidates(offer).length, 1);
  b.setRemoteDescription(net.now, 'offer', offer);
  net.flush();
  assert.equal(described(tb.events), undefined, 'the answer waits for the sockets too');
  b.localAddressesReady(net.now);
  net.flush(); // b's first check leaves with its answer, before a has it
  const answer = described(tb.events) as string;
  assert.equal(sdpCandidates(answer).length, 1);
  a.setRemoteDescription(net.now, 'answer', answer);
  const trickled = (evs: StackEvent[]): string[] => evs.flatMap((e) => (e.type === 'ice-candidate' ? [e.candidate] : []));
  for (const c of trickled(ta.events)) assert.equal(b.addIceCandidate(net.now, c), true, 'a duplicate of an SDP candidate is accepted');
  for (const c of trickled(tb.events)) assert.equal(a.addIceCandidate(net.now, c), true);
  const open = net.run(() => ch.state === 'open' && tb.events.some((e) => e.type === 'channel' && e.event.type === 'incoming'), 5000);
  assert.ok(open, `channel ${ch.state}`);
});

test('offer and answer held for the sockets: connected with the SDP candidates alone', () => {
  const net = new TestNet();
  const a = stack(net.rng, true);
  const b = stack(net.rng, true);
  const ta = net.attachAt(a, A);
  const tb = net.attachAt(b, B);
  const ch = a.createDataChannel(0, { label: 'x', ordered: true });
  a.createOffer(0);
  a.localAddressesReady(net.now);
  net.flush();
  b.setRemoteDescription(net.now, 'offer', described(ta.events) as string);
  b.localAddressesReady(net.now);
  net.flush();
  a.setRemoteDescription(net.now, 'answer', described(tb.events) as string);
  const open = net.run(() => ch.state === 'open', 5000);
  assert.ok(open, `channel ${ch.state}: nothing but the descriptions was signalled`);
  assert.ok(net.now < 50, `open after ${net.now} ms of virtual time: no check pacing or retransmission waited`);
});
