import { setTimeout as delay } from 'node:timers/promises';
import type { WebRTCPeerConnection } from '../../../src/facade/index.js';

/** Wires two peers as godot-demo-projects networking/webrtc_minimal/minimal.gd does. */
export function wireMinimal(p1: WebRTCPeerConnection, p2: WebRTCPeerConnection, edit: (sdp: string) => string = (s) => s): void {
  p1.connect('session_description_created', (t, s) => p1.setLocalDescription(t, s));
  p1.connect('session_description_created', (t, s) => p2.setRemoteDescription(t, edit(s)));
  p1.connect('ice_candidate_created', (m, i, n) => p2.addIceCandidate(m, i, n));
  p2.connect('session_description_created', (t, s) => p2.setLocalDescription(t, s));
  p2.connect('session_description_created', (t, s) => p1.setRemoteDescription(t, edit(s)));
  p2.connect('ice_candidate_created', (m, i, n) => p1.addIceCandidate(m, i, n));
}

/**
 * For tests on REAL sockets: polls the peers (as a game's _process would) every 2 ms until `done`
 * or `ms` of wall time. Simulator tests use the virtual clock instead.
 */
export async function pollUntil(done: () => boolean, peers: readonly WebRTCPeerConnection[], ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const p of peers) p.poll();
    if (done()) return true;
    await delay(2);
  }
  return done();
}
