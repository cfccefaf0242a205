// PeerStack and the facade over the real ICE, DTLS and SCTP cores on a virtual clock (TestNet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../../src/core/rng.js';
import { createLogger, formatLogRecord } from '../../../src/core/logger.js';
import type { Rng } from '../../../src/core/rng.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { realLayers } from '../../../src/stack/layers.js';
import { dtlsFactory } from '../../../src/stack/dtls-binding.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { wireMinimal } from './minimal.js';
import { TestNet } from './test-net.js';
import fc from 'fast-check';
import { PeerStack } from '../../../src/stack/peer-stack.js';

function layers(rng: Rng) {
  const r = new SeededRng(rng.u32());
  return realLayers({ rng: r, crypto: nodeCrypto, dtls: dtlsFactory({ rng: r, crypto: nodeDtlsCrypto }), includeLoopback: true });
}

function pairUp(net: TestNet) {
  const logger = createLogger((r) => console.log(formatLogRecord(r)), 'error');
  const p1 = new WebRTCPeerConnection({ env: net.binding('p1', layers), logger });
  const p2 = new WebRTCPeerConnection({ env: net.binding('p2', layers), logger });
  wireMinimal(p1, p2);
  const poll = (): void => {
    p1.poll();
    p2.poll();
  };
  return { p1, p2, poll };
}

test('real ICE + DTLS + SCTP: connect, negotiated and in-band channels, 1 MiB each way, close', () => {
  const net = new TestNet();
  const { p1, p2, poll } = pairUp(net);
  const n1 = p1.createDataChannel('chat', { negotiated: true, id: 1 });
  const n2 = p2.createDataChannel('chat', { negotiated: true, id: 1 });
  const inband = p1.createDataChannel('bulk');
  assert.ok(n1 && n2 && inband);
  let remote: WebRTCDataChannel | undefined;
  p2.connect('data_channel_received', (c) => (remote = c));
  assert.equal(p1.createOffer(), GodotError.OK);
  const up = net.run(() => remote !== undefined && n1.getReadyState() === WebRTCDataChannel.STATE_OPEN && n2.getReadyState() === WebRTCDataChannel.STATE_OPEN, 10_000, 1, poll);
  assert.ok(up, `connection states ${p1.getConnectionState()} ${p2.getConnectionState()}`);
  assert.equal(p1.getConnectionState(), WebRTCPeerConnection.STATE_CONNECTED);
  const r = remote as WebRTCDataChannel;
  const chunk = new Uint8Array(16384);
  let sent = 0;
  let got = 0;
  let bytes = 0;
  const ok = net.run(() => {
    while (sent < 64 && inband.getBufferedAmount() < 256 * 1024) {
      chunk.fill(sent & 255);
      assert.equal(inband.putPacket(chunk), GodotError.OK);
      sent++;
    }
    while (r.getAvailablePacketCount() > 0) {
      const p = r.getPacket();
      assert.equal(p[0], got & 255, 'in order');
      bytes += p.length;
      got++;
    }
    return got === 64;
  }, 60_000, 1, poll);
  assert.ok(ok, `received ${got} of 64, sent ${sent}, buffered ${inband.getBufferedAmount()}`);
  assert.equal(bytes, 64 * 16384);
  n2.putPacket(Uint8Array.of(42));
  assert.ok(net.run(() => n1.getAvailablePacketCount() === 1, 1000, 1, poll), 'small message back');
  assert.deepEqual(Array.from(n1.getPacket()), [42]);
  r.close();
  const closed = net.run(() => inband.getReadyState() === WebRTCDataChannel.STATE_CLOSED && r.getReadyState() === WebRTCDataChannel.STATE_CLOSED, 5000, 1, poll);
  assert.ok(closed, `channel states after close: ${inband.getReadyState()} ${r.getReadyState()}`);
  p1.close();
  assert.ok(net.run(() => n2.getReadyState() === WebRTCDataChannel.STATE_CLOSED, 5000, 1, poll), `n2 ${n2.getReadyState()}`);
});

test('property: random datagrams from the peer address never throw and never break the connection', () => {
  const net = new TestNet();
  const s1 = new PeerStack(layers(net.rng), { rng: net.rng });
  const s2 = new PeerStack(layers(net.rng), { rng: net.rng });
  const a1 = { address: '127.0.0.1', port: 41001 };
  const a2 = { address: '127.0.0.1', port: 41002 };
  const t1 = net.attachAt(s1, a1);
  const t2 = net.attachAt(s2, a2);
  const ch = s1.createDataChannel(0, { label: 'f', ordered: true });
  const offer = s1.createOffer(0);
  s2.setRemoteDescription(0, 'offer', offer);
  net.flush();
  const answer = t2.events.find((e) => e.type === 'local-description');
  assert.ok(answer?.type === 'local-description');
  s1.setRemoteDescription(0, 'answer', answer.sdp);
  net.flush();
  for (const e of t1.events) if (e.type === 'ice-candidate') s2.addIceCandidate(0, e.candidate);
  for (const e of t2.events) if (e.type === 'ice-candidate') s1.addIceCandidate(0, e.candidate);
  assert.ok(net.run(() => ch.state === 'open' && t2.events.some((e) => e.type === 'channel' && e.event.type === 'incoming'), 10_000));
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.integer({ min: 0, max: 255 }), (bytes, first) => {
      const data = bytes.length > 0 ? Uint8Array.of(first, ...bytes.subarray(1)) : bytes;
      s2.handleDatagram(net.now, { from: a1, to: a2, data });
      s1.handleDatagram(net.now, { from: a2, to: a1, data });
    }),
    { numRuns: 500 },
  );
  s1.send(net.now, ch, Uint8Array.of(1, 2, 3), false);
  assert.ok(net.run(() => t2.events.some((e) => e.type === 'channel' && e.event.type === 'message' && e.event.data.length === 3), 5000), 'still connected');
});
