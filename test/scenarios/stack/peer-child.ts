// Child process for the two-process test: an answering WebRTCPeerConnection on loopback that talks
// signaling as JSON lines over stdio and echoes every packet it receives on any channel.
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { WebRTCPeerConnection } from '../../../src/facade/index.js';
import type { WebRTCDataChannel } from '../../../src/facade/index.js';
import { childEnv } from './process-env.js';

const pc = new WebRTCPeerConnection({ env: childEnv() });
const channels: WebRTCDataChannel[] = [];
const negotiated = pc.createDataChannel('chat', { negotiated: true, id: 1 });
if (negotiated) channels.push(negotiated);
const out = (msg: unknown): void => void process.stdout.write(`${JSON.stringify(msg)}\n`);
pc.connect('session_description_created', (type, sdp) => out({ sdp: { type, sdp } }));
pc.connect('ice_candidate_created', (media, index, name) => out({ ice: { media, index, name } }));
pc.connect('data_channel_received', (ch) => channels.push(ch));

let running = true;
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line) as { sdp?: { type: string; sdp: string }; ice?: { media: string; index: number; name: string }; quit?: true };
  if (m.sdp) pc.setRemoteDescription(m.sdp.type, m.sdp.sdp);
  if (m.ice) pc.addIceCandidate(m.ice.media, m.ice.index, m.ice.name);
  if (m.quit) running = false;
});

while (running) {
  pc.poll();
  for (const ch of channels) {
    while (ch.getAvailablePacketCount() > 0) {
      const p = ch.getPacket();
      ch.writeMode = ch.wasStringPacket() ? 0 : 1;
      ch.putPacket(p);
    }
  }
  await delay(1);
}
pc.close();
process.stdin.destroy();
