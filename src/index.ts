/**
 * rtcpeer: the public surface. Everything a user imports comes from here.
 */
export type { Addr, Datagram, Millis, SansIo, SansIoLayer } from './core/types.js';
export { RtcError, UsageError, ProtocolError, ParseError, InternalError, isRtcError } from './core/errors.js';
export { createLogger, silentLogger, formatLogRecord } from './core/logger.js';
export type { Logger, LogLevel, LogRecord, LogFields } from './core/logger.js';
export { SeededRng } from './core/rng.js';
export type { Rng } from './core/rng.js';
export { consoleLogger } from './io/console-log.js';

// The Godot WebRTC API (src/facade; README "Godot API mapping").
export {
  WebRTCPeerConnection,
  WebRTCDataChannel,
  createPeerConnection,
  ConnectionState,
  GatheringState,
  SignalingState,
  WriteMode,
  ChannelState,
  GodotError,
  godotErrorName,
  DEFAULT_CHANNEL_LIMITS,
} from './facade/index.js';
export type {
  PeerConnectionOptions,
  PeerConnectionSignals,
  ChannelLimits,
  GodotErrorCode,
  GodotErrorName,
  StackBinding,
  StackTransport,
  PeerConfig,
  IceServerConfig,
  IceStatsReport,
  IceCandidateInfo,
  IceRelayInfo,
} from './facade/index.js';
export { nodeBinding } from './facade/node-binding.js';
import './facade/default-env.js';
export type { NodeBindingOptions } from './facade/node-binding.js';

// Godot multiplayer and Variant encoding (src/godot), Godot demo signaling (src/signaling).
export * from './godot/multiplayer/index.js';
export * from './godot/variant/index.js';
export * from './signaling/index.js';
