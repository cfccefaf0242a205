import type { WebRTCPeerConnection } from '../../../src/facade/index.js';

/** Wires two peers as godot-demo-projects networking/webrtc_minimal/minimal.gd does. */
export function wireMinimal(p1: WebRTCPeerConnection, p2: WebRTCPeerConnection): void {
  p1.connect('session_description_created', (t, s) => p1.setLocalDescription(t, s));
  p1.connect('session_description_created', (t, s) => p2.setRemoteDescription(t, s));
  p1.connect('ice_candidate_created', (m, i, n) => p2.addIceCandidate(m, i, n));
  p2.connect('session_description_created', (t, s) => p2.setLocalDescription(t, s));
  p2.connect('session_description_created', (t, s) => p1.setRemoteDescription(t, s));
  p2.connect('ice_candidate_created', (m, i, n) => p1.addIceCandidate(m, i, n));
}
