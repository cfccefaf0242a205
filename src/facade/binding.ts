/**
 * How a `WebRTCPeerConnection` gets its network: a `StackBinding` builds the PeerStack (choosing the
 * ICE/DTLS/SCTP layers and the randomness) and moves its datagrams and time. The Node binding uses
 * UDP sockets from src/io; `createPeerConnection({ env })` binds to the simulator or any other
 * sans-IO environment. Everything is synchronous: the facade calls `pump()` after every user call
 * (`pumpSoon()`, when the binding has it, after `putPacket`, so that the messages sent in one job
 * share packets); the binding pumps after every datagram or timer.
 */
import type { Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import type { PeerStack, StackEvent } from '../stack/peer-stack.js';
import type { IceStatsReport } from './ice-stats.js';

/** One `iceServers` entry (W3C RTCIceServer; Godot's key is `credential`, singular). */
export interface IceServerConfig {
  readonly urls: readonly string[];
  readonly username?: string;
  readonly credential?: string;
  /** rtcpeer extension for `turns:` URLs: extra trusted CA or self-signed certificate(s), PEM. */
  readonly tlsCa?: string | readonly string[];
  /** rtcpeer extension for `turns:` URLs: the name the TLS certificate must carry (SNI too), for
   * IP-literal URLs or a certificate issued for another name (default: the URL host). */
  readonly tlsServerName?: string;
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
  /** Optional: `pump()` once at the end of the current job (queueMicrotask); calls before that are free. */
  pumpSoon?(): void;
  /**
   * Optional: drain what the stack has queued now (transmits, events) and run the full `pump()` in the
   * check phase (Driver.pumpQueuedFirst). Used after calls that make a description.
   */
  pumpQueuedFirst?(): void;
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
   * `onActivity` (optional to honour) is called after each such pump the binding ran on its own
   * (a datagram, a timer, a `pumpSoon` flush): the facade's wake-up hook for users without a frame loop.
   */
  attach(stack: PeerStack, onEvent: (ev: StackEvent) => void, onActivity?: () => void): StackTransport;
  /** What ICE selected and each TURN server's status (`WebRTCPeerConnection.getIceStats()`);
   * undefined before the stack has an ICE agent. Optional: bindings without it report null. */
  iceStats?(stack: PeerStack): IceStatsReport | undefined;
}
