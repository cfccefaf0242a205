/**
 * The Godot-shaped public API (godot-api.md §1-3): `WebRTCPeerConnection`, `WebRTCDataChannel`,
 * Godot's enums and `Error` codes. Signals: `pc.connect('session_description_created', fn)` with
 * Godot's snake_case names and argument order, emitted only inside `pc.poll()`.
 * `createPeerConnection({ env })` binds a connection to any `StackBinding` (e.g. the simulator).
 */
export { WebRTCPeerConnection } from './peer-connection.js';
export type { PeerConnectionOptions, PeerConnectionSignals } from './peer-connection.js';
export { WebRTCDataChannel, DEFAULT_CHANNEL_LIMITS } from './data-channel.js';
export type { ChannelLimits } from './data-channel.js';
export { ConnectionState, GatheringState, SignalingState, WriteMode, ChannelState } from './enums.js';
export { GodotError, godotErrorName } from './godot-errors.js';
export type { GodotErrorCode, GodotErrorName } from './godot-errors.js';
export type { StackBinding, StackTransport, PeerConfig, IceServerConfig } from './binding.js';
export type { IceStatsReport, IceCandidateInfo, IceRelayInfo } from './ice-stats.js';
export { createPeerConnection } from './create.js';
