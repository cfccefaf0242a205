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
