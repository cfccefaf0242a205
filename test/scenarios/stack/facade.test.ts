// The Godot facade over PeerStack with the layer doubles: Godot's webrtc_minimal flow (signals wired
// straight across, a negotiated channel id 1 and an in-band channel), error codes, and §6.3 choices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createLogger } from '../../../src/core/logger.js';
import type { LogRecord } from '../../../src/core/logger.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { fakeLayers } from './doubles.js';
import { wireMinimal } from './minimal.js';
import { TestNet } from './test-net.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

function minimal() {
  const net = new TestNet();
  const logs: LogRecord[] = [];
  const logger = createLogger((r) => logs.push(r), 'debug');
  const p1 = new WebRTCPeerConnection({ env: net.binding('p1', fakeLayers), logger });
  const p2 = new WebRTCPeerConnection({ env: net.binding('p2', fakeLayers), logger });
  // webrtc_minimal/minimal.gd wiring
  wireMinimal(p1, p2);
  const step = (): void => {
    p1.poll();
    p2.poll();
    net.flush();
  };
  return { net, p1, p2, step, logs };
}

test('webrtc_minimal flow: negotiated id 1 + in-band channel, text both ways', () => {
  const { p1, p2, step } = minimal();
  assert.equal(p1.getConnectionState(), WebRTCPeerConnection.STATE_NEW);
  const ch1 = p1.createDataChannel('chat', { id: 1, negotiated: true });
  const ch2 = p2.createDataChannel('chat', { id: 1, negotiated: true });
  const inband = p1.createDataChannel('inband', { ordered: false, maxPacketLifetime: 500, protocol: 'p' });
  assert.ok(ch1 && ch2 && inband);
  assert.equal(inband.getId(), 65535, 'no id before the DTLS role is known');
  const received: WebRTCDataChannel[] = [];
  p2.connect('data_channel_received', (c) => received.push(c));
  assert.equal(p1.createOffer(), GodotError.OK);
  assert.equal(p1.getSignalingState(), WebRTCPeerConnection.SIGNALING_STATE_HAVE_LOCAL_OFFER);
  for (let i = 0; i < 5; i++) step();
  assert.equal(p1.getConnectionState(), WebRTCPeerConnection.STATE_CONNECTED);
  assert.equal(p2.getConnectionState(), WebRTCPeerConnection.STATE_CONNECTED);
  assert.equal(p1.getSignalingState(), WebRTCPeerConnection.SIGNALING_STATE_STABLE);
  assert.equal(ch1.getReadyState(), WebRTCDataChannel.STATE_OPEN);
  assert.equal(ch2.getReadyState(), WebRTCDataChannel.STATE_OPEN);
  ch1.writeMode = WebRTCDataChannel.WRITE_MODE_TEXT;
  assert.equal(ch1.putPacket(utf8('Hi from P1')), GodotError.OK);
  assert.equal(ch2.putPacket(utf8('Hi from P2')), GodotError.OK);
  step();
  assert.equal(ch2.getAvailablePacketCount(), 1);
  assert.equal(str(ch2.getPacket()), 'Hi from P1');
  assert.equal(ch2.wasStringPacket(), true);
  assert.equal(str(ch1.getPacket()), 'Hi from P2');
  assert.equal(ch1.wasStringPacket(), false);
  assert.equal(received.length, 1);
  const r = received[0] as WebRTCDataChannel;
  assert.deepEqual([r.getLabel(), r.getProtocol(), r.isOrdered(), r.getMaxPacketLifeTime(), r.getMaxRetransmits(), r.isNegotiated(), r.getId()], ['inband', 'p', false, 500, 65535, false, inband.getId()]);
  assert.equal(inband.getId() % 2, 1, 'offerer = DTLS server = odd ids');
  assert.equal(p1.getGatheringState(), WebRTCPeerConnection.GATHERING_STATE_COMPLETE);
});

test('signals are delivered only inside poll()', () => {
  const { p1, net } = minimal();
  let offers = 0;
  p1.connect('session_description_created', () => offers++);
  p1.createOffer();
  net.flush();
  assert.equal(offers, 0);
  p1.poll();
  assert.equal(offers, 1);
});

test('error codes instead of exceptions, with a logged message', () => {
  const { p1, p2, logs } = minimal();
  assert.equal(p1.createDataChannel('x', { negotiated: true }), null);
  assert.equal(p1.createDataChannel('x', { id: 3 }), null);
  assert.equal(p1.createDataChannel('x', { maxRetransmits: 1, maxPacketLifeTime: 2 }), null);
  assert.equal(p1.createDataChannel('x', { ordered: 'yes' }), null);
  assert.ok(logs.some((l) => l.level === 'error' && /negotiated/.test(l.msg)));
  assert.equal(p2.setRemoteDescription('offer', 'v=0\r\ngarbage'), GodotError.FAILED);
  assert.ok(logs.some((l) => /sdp\./.test(l.msg)));
  assert.equal(p2.setRemoteDescription('answer', 'v=0'), GodotError.FAILED);
  assert.equal(p1.setLocalDescription('offer', 'anything'), GodotError.OK);
  const ch = p1.createDataChannel('c');
  assert.ok(ch);
  assert.equal(ch.putPacket(Uint8Array.of(1)), GodotError.ERR_UNCONFIGURED, 'not open yet');
  assert.equal(ch.putPacket(new Uint8Array(0)), GodotError.OK, 'empty buffer: OK, nothing sent');
  assert.equal(ch.getPacket().length, 0);
  assert.equal(ch.getPacketError(), GodotError.ERR_UNAVAILABLE);
  assert.equal(p1.initialize({ iceServers: [42] }), GodotError.ERR_INVALID_PARAMETER);
  assert.equal(p1.initialize({ iceServers: [{ username: 'u' }] }), GodotError.FAILED);
  assert.equal(p1.initialize({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }] }), GodotError.OK);
  assert.equal(p1.createOffer(), GodotError.OK);
  assert.equal(p1.createOffer(), GodotError.FAILED, 'not STATE_NEW any more');
  const noEnv = new WebRTCPeerConnection({ logger: createLogger(() => undefined) });
  assert.equal(noEnv.createOffer(), GodotError.ERR_UNCONFIGURED);
  assert.equal(noEnv.poll(), GodotError.ERR_UNCONFIGURED);
});

test('close: states closed, queued signals dropped, packets still readable after close', () => {
  const { p1, p2, step } = minimal();
  const ch1 = p1.createDataChannel('a', { id: 1, negotiated: true });
  const ch2 = p2.createDataChannel('a', { id: 1, negotiated: true });
  assert.ok(ch1 && ch2);
  p1.createOffer();
  for (let i = 0; i < 5; i++) step();
  ch1.putPacket(Uint8Array.of(1, 2, 3));
  step();
  p2.close();
  step();
  assert.equal(p2.getConnectionState(), WebRTCPeerConnection.STATE_CLOSED);
  assert.equal(p2.getSignalingState(), WebRTCPeerConnection.SIGNALING_STATE_CLOSED);
  assert.equal(ch2.getReadyState(), WebRTCDataChannel.STATE_CLOSED);
  assert.equal(ch1.getReadyState(), WebRTCDataChannel.STATE_CLOSED, 'the ABORT reached p1');
  assert.deepEqual(Array.from(ch2.getPacket()), [1, 2, 3]);
  assert.equal(ch2.putPacket(Uint8Array.of(1)), GodotError.ERR_UNCONFIGURED);
});

test('channel close from either side; limits on incoming packets and outgoing size', () => {
  const net = new TestNet();
  const logs: LogRecord[] = [];
  const logger = createLogger((r) => logs.push(r), 'debug');
  const limits = { maxIncomingPackets: 2 };
  const p1 = new WebRTCPeerConnection({ env: net.binding('p1', fakeLayers), logger, channelLimits: limits });
  const p2 = new WebRTCPeerConnection({ env: net.binding('p2', fakeLayers), logger, channelLimits: limits });
  wireMinimal(p1, p2);
  let remote: WebRTCDataChannel | undefined;
  p2.connect('data_channel_received', (c) => (remote = c));
  const ch = p1.createDataChannel('x');
  assert.ok(ch);
  p1.createOffer();
  for (let i = 0; i < 5; i++) {
    p1.poll();
    p2.poll();
    net.flush();
  }
  assert.ok(remote);
  for (let i = 0; i < 3; i++) ch.putPacket(Uint8Array.of(i));
  net.flush();
  assert.equal(remote.getAvailablePacketCount(), 2);
  assert.equal(remote.droppedPackets, 1);
  assert.ok(logs.some((l) => l.msg === 'Buffer full! Dropping data.'));
  assert.equal(ch.putPacket(new Uint8Array(262145)), GodotError.ERR_INVALID_PARAMETER, 'over the peer max-message-size');
  assert.equal(ch.getMaxPacketSize(), 16384);
  remote.close();
  net.flush();
  assert.equal(ch.getReadyState(), WebRTCDataChannel.STATE_CLOSED);
  assert.equal(remote.getReadyState(), WebRTCDataChannel.STATE_CLOSED);
});

test('§6.3 choices: channels created after connecting open too; lifetime spellings', () => {
  const { p1, p2, step } = minimal();
  const got: WebRTCDataChannel[] = [];
  p2.connect('data_channel_received', (c) => got.push(c));
  assert.ok(p1.createDataChannel('first'));
  p1.createOffer();
  for (let i = 0; i < 5; i++) step();
  assert.equal(p1.getConnectionState(), WebRTCPeerConnection.STATE_CONNECTED);
  const late = p1.createDataChannel('late', { maxPacketLifeTime: 100, maxPacketLifetime: 100 });
  assert.ok(late);
  assert.equal(late.getReadyState(), WebRTCDataChannel.STATE_OPEN);
  step();
  assert.deepEqual(got.map((c) => [c.getLabel(), c.getMaxPacketLifeTime()]), [['first', 65535], ['late', 100]]);
  assert.equal(p1.createDataChannel('x', { maxPacketLifeTime: 100, maxPacketLifetime: 200 }), null);
  p1.close();
  assert.equal(p1.createDataChannel('after-close'), null);
});

test('close() from a signal handler discards the signals still queued', () => {
  const { p1, net } = minimal();
  p1.createDataChannel('x');
  p1.createOffer();
  net.flush();
  let seen = 0;
  p1.connect('session_description_created', () => {
    seen++;
    p1.close();
  });
  p1.connect('ice_candidate_created', () => seen++);
  p1.poll();
  assert.equal(seen, 1, 'the candidates queued after the offer were dropped by close()');
  assert.equal(p1.poll(), GodotError.OK);
  assert.equal(seen, 1);
});

test('property: API misuse returns codes or null, never throws', () => {
  const { p1 } = minimal();
  const anyValue = fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.boolean(), fc.string({ maxLength: 5 }), fc.constant(null), fc.constant(undefined), fc.double());
  const key = fc.constantFrom('id', 'negotiated', 'ordered', 'protocol', 'maxRetransmits', 'maxPacketLifeTime', 'maxPacketLifetime', 'other');
  fc.assert(
    fc.property(fc.dictionary(key, anyValue), anyValue, (options, label) => {
      const ch = p1.createDataChannel(label as string, options);
      assert.ok(ch === null || ch instanceof WebRTCDataChannel);
      if (ch) {
        assert.equal(typeof ch.putPacket(label as unknown as Uint8Array), 'number');
        ch.setWriteMode(label as unknown as 0);
        ch.close();
      }
      assert.equal(typeof p1.addIceCandidate(label as string, label as number, label as string), 'number');
      assert.equal(typeof p1.setRemoteDescription(label as string, label as string), 'number');
      assert.equal(typeof p1.initialize(options), 'number');
    }),
    { numRuns: 300 },
  );
});
