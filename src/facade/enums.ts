/**
 * Godot's WebRTC enums with their exact numeric values (godot-api.md §2.1, §3.1; Godot 4
 * modules/webrtc/webrtc_peer_connection.h and webrtc_data_channel.h). Names keep Godot's spelling so
 * `WebRTCPeerConnection.STATE_CONNECTED` reads as in GDScript.
 */

/** `WebRTCPeerConnection.ConnectionState` (mirrors W3C RTCPeerConnectionState). */
export const ConnectionState = {
  STATE_NEW: 0,
  STATE_CONNECTING: 1,
  STATE_CONNECTED: 2,
  STATE_DISCONNECTED: 3,
  STATE_FAILED: 4,
  STATE_CLOSED: 5,
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** `WebRTCPeerConnection.GatheringState`. */
export const GatheringState = {
  GATHERING_STATE_NEW: 0,
  GATHERING_STATE_GATHERING: 1,
  GATHERING_STATE_COMPLETE: 2,
} as const;
export type GatheringState = (typeof GatheringState)[keyof typeof GatheringState];

/** `WebRTCPeerConnection.SignalingState`. */
export const SignalingState = {
  SIGNALING_STATE_STABLE: 0,
  SIGNALING_STATE_HAVE_LOCAL_OFFER: 1,
  SIGNALING_STATE_HAVE_REMOTE_OFFER: 2,
  SIGNALING_STATE_HAVE_LOCAL_PRANSWER: 3,
  SIGNALING_STATE_HAVE_REMOTE_PRANSWER: 4,
  SIGNALING_STATE_CLOSED: 5,
} as const;
export type SignalingState = (typeof SignalingState)[keyof typeof SignalingState];

/** `WebRTCDataChannel.WriteMode`: how `putPacket` sends (text = string message, PPID 51). */
export const WriteMode = {
  WRITE_MODE_TEXT: 0,
  WRITE_MODE_BINARY: 1,
} as const;
export type WriteMode = (typeof WriteMode)[keyof typeof WriteMode];

/** `WebRTCDataChannel.ChannelState`. */
export const ChannelState = {
  STATE_CONNECTING: 0,
  STATE_OPEN: 1,
  STATE_CLOSING: 2,
  STATE_CLOSED: 3,
} as const;
export type ChannelState = (typeof ChannelState)[keyof typeof ChannelState];

const SIGNALING: Readonly<Record<string, SignalingState>> = {
  stable: SignalingState.SIGNALING_STATE_STABLE,
  'have-local-offer': SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER,
  'have-remote-offer': SignalingState.SIGNALING_STATE_HAVE_REMOTE_OFFER,
  'have-local-pranswer': SignalingState.SIGNALING_STATE_HAVE_LOCAL_PRANSWER,
  'have-remote-pranswer': SignalingState.SIGNALING_STATE_HAVE_REMOTE_PRANSWER,
  closed: SignalingState.SIGNALING_STATE_CLOSED,
};

/** Godot value of a JSEP signaling state name (src/sdp `SignalingState`). */
export function godotSignalingState(s: string): SignalingState {
  return SIGNALING[s] ?? SignalingState.SIGNALING_STATE_CLOSED;
}

const CHANNEL: Readonly<Record<string, ChannelState>> = {
  connecting: ChannelState.STATE_CONNECTING,
  open: ChannelState.STATE_OPEN,
  closing: ChannelState.STATE_CLOSING,
  closed: ChannelState.STATE_CLOSED,
};

/** Godot value of a registry channel state (src/dcep `ChannelReadyState`). */
export function godotChannelState(s: string): ChannelState {
  return CHANNEL[s] ?? ChannelState.STATE_CLOSED;
}
