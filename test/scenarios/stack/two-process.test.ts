// webrtc_minimal across two processes on loopback UDP: this process offers, a child (peer-child.ts,
// run through tsx) answers; signaling is JSON lines over stdio. The child is stopped by PID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { WebRTCDataChannel, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { childEnv } from './process-env.js';
import { pollUntil } from './minimal.js';

test('two processes: negotiated id 1 and an in-band channel echo through the child', async () => {
  const childPath = fileURLToPath(new URL('./peer-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', childPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const pc = new WebRTCPeerConnection({ env: childEnv() });
  try {
    const send = (m: unknown): void => void child.stdin.write(`${JSON.stringify(m)}\n`);
    pc.connect('session_description_created', (type, sdp) => send({ sdp: { type, sdp } }));
    pc.connect('ice_candidate_created', (media, index, name) => send({ ice: { media, index, name } }));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as { sdp?: { type: string; sdp: string }; ice?: { media: string; index: number; name: string } };
      if (m.sdp) pc.setRemoteDescription(m.sdp.type, m.sdp.sdp);
      if (m.ice) pc.addIceCandidate(m.ice.media, m.ice.index, m.ice.name);
    });
    const chat = pc.createDataChannel('chat', { negotiated: true, id: 1 });
    const events = pc.createDataChannel('events');
    assert.ok(chat && events);
    pc.createOffer();
    const open = await pollUntil(() => chat.getReadyState() === WebRTCDataChannel.STATE_OPEN && events.getReadyState() === WebRTCDataChannel.STATE_OPEN, [pc], 20_000);
    assert.ok(open, `connection state ${pc.getConnectionState()}`);
    chat.writeMode = WebRTCDataChannel.WRITE_MODE_TEXT;
    chat.putPacket(new TextEncoder().encode('ping'));
    events.putPacket(Uint8Array.of(1, 2, 3));
    assert.ok(await pollUntil(() => chat.getAvailablePacketCount() > 0 && events.getAvailablePacketCount() > 0, [pc], 20_000), 'echoes came back');
    assert.equal(new TextDecoder().decode(chat.getPacket()), 'ping');
    assert.equal(chat.wasStringPacket(), true);
    assert.deepEqual(Array.from(events.getPacket()), [1, 2, 3]);
    send({ quit: true });
    const [code] = (await Promise.race([once(child, 'exit'), delay(5000).then(() => [undefined])])) as [number | undefined];
    assert.equal(code, 0, 'child exited cleanly on its own');
  } finally {
    pc.close();
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  }
});
