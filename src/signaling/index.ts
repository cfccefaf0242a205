/** Godot demo signaling (godot-demo-projects networking/webrtc_signaling): server, client, driver. */
export { startSignalingServer } from './server.js';
export type { SignalingServerOptions, SignalingServerHandle } from './server.js';
export { SignalingServerCore, DEFAULT_LIMITS } from './server-core.js';
export type { SignalingLimits, SignalingAction } from './server-core.js';
export { SignalingClient } from './client.js';
export type { SignalingClientEvents, SignalingClientOptions } from './client.js';
export { MultiplayerClient } from './multiplayer-client.js';
export type { MultiplayerClientOptions, RtcMultiplayerPeer } from './multiplayer-client.js';
export {
  MessageType, CloseReason, CLOSE_PROTOCOL_ERROR, CLOSE_SEAL_COMPLETE, formatMessage, parseClientMessage,
  parseServerMessage, formatCandidate, parseCandidate,
} from './protocol.js';
export type { SignalMessage, RelayedCandidate } from './protocol.js';
