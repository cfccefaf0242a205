// PeerStack composition over the layer doubles (doubles.ts): negotiation, roles, ordering of
// ICE → DTLS → SCTP → DCEP, trickle, early DTLS, channels both ways, close, ICE restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../../src/core/rng.js';
import { isParseError, isUsageError } from '../../../src/core/errors.js';
import { PeerStack } from '../../../src/stack/index.js';
import type { StackEvent } from '../../../src/stack/index.js';
import { parseSdp } from '../../../src/sdp/index.js';
import { fakeLayers } from './doubles.js';
import { Wire } from './wire.js';

const A = { address: '127.0.0.1', port: 40001 };
const B = { address: '127.0.0.1', port: 40002 };

function setup(seed = 1) {
  const rng = new SeededRng(seed);
  const la = fakeLayers(rng, 'alice');
  const lb = fakeLayers(rng, 'bob');
  const a = new PeerStack(la, { rng });
  const b = new PeerStack(lb, { rng });
  const wire = new Wire();
  wire.attach(a, A);
  wire.attach(b, B);
  a.addLocalAddress(0, A);
  b.addLocalAddress(0, B);
  return { a, b, la, lb, wire };
}

function drain(s: PeerStack): StackEvent[] {
  const out: StackEvent[] = [];
  for (let e = s.pollEvent(); e; e = s.pollEvent()) out.push(e);
  return out;
}

function candidates(evs: StackEvent[]): string[] {
  return evs.flatMap((e) => (e.type === 'ice-candidate' ? [e.candidate] : []));
}

function connect(s: ReturnType<typeof setup>, trickleFirst = false): { ea: StackEvent[]; eb: StackEvent[] } {
  const { a, b, wire } = s;
  const offer = a.createOffer(0);
  const ea = drain(a);
  b.setRemoteDescription(0, 'offer', offer);
  const eb = drain(b);
  const answer = eb.find((e) => e.type === 'local-description');
  assert.ok(answer?.type === 'local-description' && answer.descriptionType === 'answer');
  for (const c of candidates(ea)) b.addIceCandidate(0, c);
  if (trickleFirst) wire.flush(); // b reaches a (and sends its ClientHello) before a has the answer
  a.setRemoteDescription(0, 'answer', answer.sdp);
  for (const c of candidates(eb)) a.addIceCandidate(0, c);
  wire.flush();
  return { ea: [...ea, ...drain(a)], eb: [...eb, ...drain(b)] };
}

test('offer/answer: roles from a=setup, signaling states, trickle, both connected', () => {
  const s = setup();
  const ch = s.a.createDataChannel(0, { label: 'chat', ordered: true });
  assert.equal(s.a.signalingState, 'stable');
  const { ea, eb } = connect(s);
  assert.equal(s.a.signalingState, 'stable');
  assert.equal(s.b.signalingState, 'stable');
  assert.equal(s.la.made.ice?.controlling, true);
  assert.equal(s.lb.made.ice?.controlling, false);
  assert.equal(s.lb.made.dtls?.role, 'client', 'answerer says a=setup:active');
  assert.equal(s.la.made.dtls?.role, 'server');
  assert.equal(s.a.connectionState, 'connected');
  assert.equal(s.b.connectionState, 'connected');
  assert.deepEqual(ea.filter((e) => e.type === 'connection-state').map((e) => e.type === 'connection-state' && e.state), ['connecting', 'connected']);
  assert.equal(ch.id, 1, 'offerer is DTLS server: odd ids');
  const incoming = eb.find((e) => e.type === 'channel' && e.event.type === 'incoming');
  assert.ok(incoming?.type === 'channel' && incoming.event.channel.label === 'chat' && incoming.event.channel.id === 1);
  const ice = eb.find((e) => e.type === 'ice-candidate');
  assert.ok(ice?.type === 'ice-candidate' && ice.mid === '0' && ice.index === 0);
});

test('the answer mirrors the offer and carries our fingerprint; max-message-size both ways', () => {
  const s = setup();
  s.a.createDataChannel(0, { label: 'x', ordered: true });
  const offer = parseSdp(s.a.createOffer(0));
  assert.ok(offer.ok);
  assert.equal(offer.value.dataChannel.setup, 'actpass');
  assert.deepEqual(offer.value.dataChannel.fingerprints, [s.la.dtls.fingerprint]);
  assert.equal(offer.value.dataChannel.maxMessageSize, 262144);
  assert.equal(offer.value.dataChannel.endOfCandidates, false, 'trickle: gathering not finished when the offer was made');
  connect(s);
  assert.equal(s.lb.made.sctp?.remoteMaxMessageSize, 262144);
  assert.equal(s.a.remoteMaxMessageSize, 262144);
});

test('a ClientHello arriving before the answer is kept and answered', () => {
  const s = setup();
  const ch = s.a.createDataChannel(0, { label: 'early', ordered: true });
  connect(s, true);
  assert.equal(s.a.connectionState, 'connected');
  assert.equal(ch.state, 'open');
});

test('the checks an answer starts leave before its DTLS work (the endpoint and the early ClientHello it answers)', () => {
  const s = setup();
  const { a, b, la, wire } = s;
  a.createDataChannel(0, { label: 'x', ordered: true });
  const offer = a.createOffer(0);
  const ea = drain(a);
  b.setRemoteDescription(0, 'offer', offer);
  const answer = drain(b).find((e) => e.type === 'local-description');
  assert.ok(answer?.type === 'local-description');
  for (const c of candidates(ea)) b.addIceCandidate(0, c);
  wire.flush(); // b's check and ClientHello reach a before its answer
  a.setRemoteDescription(0, 'answer', answer.sdp);
  assert.equal(la.made.dtls, undefined, 'no DTLS endpoint made inside setRemoteDescription');
  assert.deepEqual(a.pollTransmit()?.data, Uint8Array.of(0), 'the first datagram out is a connectivity check');
  assert.equal(la.made.dtls, undefined, 'the DTLS work waits until ICE has nothing queued');
  const rest: number[] = [];
  for (let dg = a.pollTransmit(); dg; dg = a.pollTransmit()) rest.push(dg.data.length);
  assert.ok(la.made.dtls, 'then the endpoint is made and answers the early ClientHello');
  assert.ok(rest.length > 0, 'with its flight');
  wire.flush();
  assert.equal(a.connectionState, 'connected');
});

test('prepare(): the SCTP association is made while the peer answers the first DTLS flight, and is the one that connects', () => {
  const s = setup();
  const ch = s.a.createDataChannel(0, { label: 'ahead', ordered: true });
  const made: boolean[] = [];
  const make = s.lb.createSctp;
  s.lb.createSctp = (o) => {
    made.push(s.lb.made.dtls?.isUp ?? false);
    return make(o);
  };
  connect(s);
  assert.deepEqual(made, [false], 'made once, before the client DTLS was up');
  assert.equal(s.b.connectionState, 'connected');
  assert.equal(ch.state, 'open');
});

test('messages both ways, in-band and negotiated channels, close with reciprocal reset', () => {
  const s = setup();
  const neg = s.a.createDataChannel(0, { label: 'n', ordered: true, negotiated: true, id: 1 });
  const negB = s.b.createDataChannel(0, { label: 'n', ordered: true, negotiated: true, id: 1 });
  const ch = s.a.createDataChannel(0, { label: 'c', ordered: false, maxRetransmits: 0 });
  const { eb } = connect(s);
  assert.equal(ch.id, 3, 'id 1 is taken by the negotiated channel');
  assert.equal(neg.state, 'open');
  assert.equal(negB.state, 'open');
  s.a.send(0, neg, new TextEncoder().encode('hi'), true);
  s.b.send(0, negB, Uint8Array.of(1, 2, 3), false);
  s.wire.flush();
  const mb = drain(s.b).find((e) => e.type === 'channel' && e.event.type === 'message');
  assert.ok(mb?.type === 'channel' && mb.event.type === 'message' && mb.event.isString && mb.event.channel === negB);
  const ma = drain(s.a).find((e) => e.type === 'channel' && e.event.type === 'message');
  assert.ok(ma?.type === 'channel' && ma.event.type === 'message' && ma.event.data.length === 3);
  const remote = eb.find((e) => e.type === 'channel' && e.event.type === 'incoming');
  assert.ok(remote?.type === 'channel');
  s.b.closeChannel(0, remote.event.channel);
  s.wire.flush();
  assert.equal(ch.state, 'closed');
  assert.equal(remote.event.channel.state, 'closed');
  assert.throws(() => s.a.send(0, neg, new Uint8Array(262145), false), (e: unknown) => isUsageError(e) && e.code === 'stack.too-large');
});

test('bad remote SDP and wrong states are typed errors and change nothing', () => {
  const s = setup();
  assert.throws(() => s.b.setRemoteDescription(0, 'offer', 'v=0\r\nbogus'), isParseError);
  assert.equal(s.b.signalingState, 'stable');
  const offer = s.a.createOffer(0);
  assert.throws(() => s.b.setRemoteDescription(0, 'answer', offer), (e: unknown) => isUsageError(e) && e.code === 'jsep.state');
  assert.throws(() => s.b.setRemoteDescription(0, 'nonsense', ''), (e: unknown) => isUsageError(e) && e.code === 'jsep.type');
  assert.equal(s.b.signalingState, 'stable');
  s.a.createOffer(0); // a re-offer in have-local-offer is legal (RFC 8829 §3.2)
  s.b.setRemoteDescription(0, 'offer', offer);
  drain(s.b);
  assert.throws(() => s.b.setRemoteDescription(0, 'answer', offer), (e: unknown) => isUsageError(e) && e.code === 'jsep.state');
});

test('rollback of a local offer returns to stable', () => {
  const s = setup();
  s.a.createOffer(0);
  assert.equal(s.a.signalingState, 'have-local-offer');
  s.a.setRemoteDescription(0, 'rollback', '');
  assert.equal(s.a.signalingState, 'stable');
});

test('ICE restart from a re-offer keeps DTLS and SCTP; channels stay open', () => {
  const s = setup();
  const ch = s.a.createDataChannel(0, { label: 'r', ordered: true });
  connect(s);
  const dtlsBefore = s.lb.made.dtls;
  const sctpBefore = s.lb.made.sctp;
  s.la.made.ice?.restart();
  const offer2 = s.a.createOffer(0);
  drain(s.a);
  s.b.setRemoteDescription(0, 'offer', offer2);
  assert.equal(s.lb.made.ice?.restarts, 1);
  assert.equal(s.lb.made.dtls, dtlsBefore);
  assert.equal(s.lb.made.sctp, sctpBefore);
  const answer = drain(s.b).find((e) => e.type === 'local-description');
  assert.ok(answer?.type === 'local-description');
  const parsed = parseSdp(answer.sdp);
  assert.ok(parsed.ok && parsed.value.dataChannel.setup === 'active', 'role kept on renegotiation');
  s.a.setRemoteDescription(0, 'answer', answer.sdp);
  assert.equal(s.a.signalingState, 'stable');
  assert.equal(ch.state, 'open');
});

test('close: ABORT reaches the peer, channels closed, state closed', () => {
  const s = setup();
  const ch = s.a.createDataChannel(0, { label: 'z', ordered: true });
  const { eb } = connect(s);
  const remote = eb.find((e) => e.type === 'channel' && e.event.type === 'incoming');
  s.a.close(0);
  s.wire.flush();
  assert.equal(s.a.connectionState, 'closed');
  assert.equal(s.a.signalingState, 'closed');
  assert.equal(ch.state, 'closed');
  assert.ok(remote?.type === 'channel' && remote.event.channel.state === 'closed');
  assert.throws(() => s.a.createOffer(0), isUsageError);
  assert.equal(s.a.addIceCandidate(0, 'candidate:1 1 udp 1 127.0.0.1 1 typ host'), false);
});

test('candidates that arrive before the remote description are kept and used', () => {
  const s = setup();
  const ch = s.a.createDataChannel(0, { label: 'early-cands', ordered: true });
  const offer = s.a.createOffer(0);
  const ea = drain(s.a);
  for (const c of candidates(ea)) assert.equal(s.b.addIceCandidate(0, `a=${c}`), true);
  assert.equal(s.b.addIceCandidate(0, ''), true, 'end-of-candidates before the description is fine');
  s.b.setRemoteDescription(0, 'offer', offer);
  const eb = drain(s.b);
  const answer = eb.find((e) => e.type === 'local-description');
  assert.ok(answer?.type === 'local-description');
  s.a.setRemoteDescription(0, 'answer', answer.sdp);
  s.wire.flush();
  assert.equal(ch.state, 'open');
  assert.equal(s.b.connectionState, 'connected');
});
