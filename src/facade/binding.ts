/**
 * How a `WebRTCPeerConnection` gets its network: a `StackBinding` builds the PeerStack (choosing the
 * ICE/DTLS/SCTP layers and the randomness) and moves its datagrams and time. The Node binding uses
 * UDP sockets from src/io; `createPeerConnection({ env })` binds to the simulator or any other
 * sans-IO environment. Everything is synchronous: the facade calls `pump()` after every user call;
 * the binding pumps after every datagram or timer.
 */
import type { Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import type { PeerStack, StackEvent } from '../stack/peer-stack.js';

/** One `iceServers` entry (W3C RTCIceServer; Godot's key is `credential`, singular). */
export interface IceServerConfig {
  readonly urls: readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/** What `initialize()` accepted. */
export interface PeerConfig {
  readonly iceServers: readonly IceServerConfig[];
  /** W3C `iceTransportPolicy`: 'relay' = TURN relays only (default 'all'). */
  readonly iceTransportPolicy?: 'all' | 'relay';
  /** Gather host candidates only on these interface names or address literals (rtcpeer key `interfaces`). */
  readonly interfaces?: readonly string[];
  /** UDP ports for host candidates: webrtc-native's `portRangeBegin` / `portRangeEnd`. */
  readonly portRange?: { readonly min: number; readonly max: number };
}

/** I/O for one attached stack (src/io Driver has this shape). */
export interface StackTransport {
  /** Drain transmits to the wire and events to `onEvent`, then re-arm the one timer. */
  pump(): void;
  /** Stop timers and release sockets. */
  close(): void;
}

export interface StackBinding {
  /** Monotonic milliseconds. */
  now(): Millis;
  /** A new PeerStack for `config`. */
  createStack(config: PeerConfig, logger: Logger): PeerStack;
  /**
   * Starts I/O for `stack`: tells it its local addresses (`addLocalAddress`), delivers datagrams and
   * timer expiries to it, and after each drains it: transmits to the wire, events to `onEvent`.
   */
  attach(stack: PeerStack, onEvent: (ev: StackEvent) => void): StackTransport;
}
