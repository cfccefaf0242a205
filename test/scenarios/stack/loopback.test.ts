// Godot's webrtc_minimal flow over REAL loopback UDP in one process through the Node binding
// (src/io sockets, Driver, system clock) with the whole real stack: ICE, DTLS, SCTP, DCEP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, formatLogRecord } from '../../../src/core/logger.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { nodeBinding } from '../../../src/facade/node-binding.js';
import { pollUntil, wireMinimal } from './minimal.js';

const env = nodeBinding({ addresses: ['127.0.0.1'] });
const logger = createLogger((r) => console.log(formatLogRecord(r)), 'error');

test('webrtc_minimal over loopback UDP: negotiated id 1 + in-band channel', async () => {
  const p1 = new WebRTCPeerConnection({ env, logger });
  const p2 = new WebRTCPeerConnection({ env, logger });
  try {
    const ch1 = p1.createDataChannel('chat', { id: 1, negotiated: true });
    const ch2 = p2.createDataChannel('chat', { id: 1, negotiated: true });
    const inband = p1.createDataChannel('events', { ordered: true });
    assert.ok(ch1 && ch2 && inband);
    wireMinimal(p1, p2);
    let received: WebRTCDataChannel | undefined;
    p2.connect('data_channel_received', (c) => (received = c));
    assert.equal(p1.createOffer(), GodotError.OK);
    // With SPED the offerer's DTLS (and so its channels) can be up a round trip before its own ICE check
    // succeeded: the connection state says connecting until then.
    const connected = (): boolean => p1.getConnectionState() === WebRTCPeerConnection.STATE_CONNECTED && p2.getConnectionState() === WebRTCPeerConnection.STATE_CONNECTED;
    const open = await pollUntil(() => ch1.getReadyState() === WebRTCDataChannel.STATE_OPEN && ch2.getReadyState() === WebRTCDataChannel.STATE_OPEN && received !== undefined && connected(), [p1, p2]);
    assert.ok(open, `states ${p1.getConnectionState()} ${p2.getConnectionState()}`);
    assert.equal(p1.getConnectionState(), WebRTCPeerConnection.STATE_CONNECTED);
    ch1.putPacket(new TextEncoder().encode('Hi from P1'));
    ch2.putPacket(new TextEncoder().encode('Hi from P2'));
    inband.putPacket(Uint8Array.of(7));
    assert.ok(await pollUntil(() => ch1.getAvailablePacketCount() > 0 && ch2.getAvailablePacketCount() > 0 && (received?.getAvailablePacketCount() ?? 0) > 0, [p1, p2]));
    assert.equal(new TextDecoder().decode(ch2.getPacket()), 'Hi from P1');
    assert.equal(new TextDecoder().decode(ch1.getPacket()), 'Hi from P2');
    assert.deepEqual(Array.from(received?.getPacket() ?? []), [7]);
    assert.equal(received?.getLabel(), 'events');
  } finally {
    p1.close();
    p2.close();
  }
});
