/**
 * TurnClient options, events and its state table (RFC 8656 client side).
 */
import type { CryptoProvider } from '../core/crypto.js';
import { UsageError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import type { Addr } from '../core/types.js';
import type { RetransmitOptions } from '../stun/transaction.js';

export interface TurnClientOptions {
  /** The TURN server's resolved address. */
  readonly server: Addr;
  /** The local socket (or stream) the allocation lives on: transmits carry it as `from`. */
  readonly local: Addr;
  readonly username: string;
  readonly password: string;
  /** 'udp' (default) retransmits requests; 'tcp'/'tls' do not (RFC 8489 §6.2.2) and pad ChannelData. */
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** Requested allocation lifetime in seconds (default 600, RFC 8656 §3.2). */
  readonly lifetime?: number;
  /** Refresh this many seconds before the lifetime ends (default 60, as libjuice). */
  readonly refreshMarginS?: number;
  /** Re-send CreatePermission this often, ms (default 240000; permissions last 300 s, RFC 8656 §9). */
  readonly permissionRefreshMs?: number;
  /** Re-send ChannelBind this often, ms (default 540000; bindings last 600 s, RFC 8656 §12). */
  readonly channelRefreshMs?: number;
  /** 438 Stale Nonce retries per request (default 3). */
  readonly maxStaleNonceRetries?: number;
  /** Caps on peers (they come from remote candidates): default 64 permissions, 64 channels. */
  readonly maxPermissions?: number;
  readonly maxChannels?: number;
  /** UDP request retransmissions (RFC 8489 §6.2.1 defaults). */
  readonly retransmit?: RetransmitOptions;
  /** REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.8); absent = IPv4. */
  readonly family?: 'ipv4' | 'ipv6';
  readonly software?: string;
  readonly rng: Rng;
  readonly crypto: CryptoProvider;
  readonly logger?: Logger;
}

export type ResolvedTurnClientOptions = Required<Omit<TurnClientOptions, 'family' | 'software' | 'retransmit'>> &
  Pick<TurnClientOptions, 'family' | 'software'> & { readonly retransmit: RetransmitOptions };

/** Over streams a request is sent once and fails after Ti = 39.5 s (RFC 8489 §6.2.2). */
const STREAM_RETRANSMIT: RetransmitOptions = { rto: 500, maxRequests: 1, lastWaitMultiplier: 79 };

export function resolveTurnClientOptions(o: TurnClientOptions): ResolvedTurnClientOptions {
  const transport = o.transport ?? 'udp';
  const r: ResolvedTurnClientOptions = {
    ...o,
    transport,
    lifetime: o.lifetime ?? 600,
    refreshMarginS: o.refreshMarginS ?? 60,
    permissionRefreshMs: o.permissionRefreshMs ?? 240_000,
    channelRefreshMs: o.channelRefreshMs ?? 540_000,
    maxStaleNonceRetries: o.maxStaleNonceRetries ?? 3,
    maxPermissions: o.maxPermissions ?? 64,
    maxChannels: o.maxChannels ?? 64,
    retransmit: transport === 'udp' ? (o.retransmit ?? {}) : STREAM_RETRANSMIT,
    logger: o.logger ?? silentLogger,
  };
  validate(r);
  return r;
}

function validate(r: ResolvedTurnClientOptions): void {
  for (const k of ['lifetime', 'permissionRefreshMs', 'channelRefreshMs', 'maxPermissions', 'maxChannels'] as const) {
    if (!(r[k] > 0)) throw new UsageError('turn.options', `${k} must be > 0, got ${r[k]}`);
  }
  if (!(r.refreshMarginS >= 0) || !(r.maxStaleNonceRetries >= 0)) throw new UsageError('turn.options', 'refreshMarginS and maxStaleNonceRetries must be >= 0');
  if (r.permissionRefreshMs >= 300_000 || r.channelRefreshMs >= 600_000) throw new UsageError('turn.options', 'refresh intervals must be shorter than the RFC 8656 lifetimes (300 s / 600 s)');
}

export type TurnState = 'idle' | 'allocating' | 'allocated' | 'closing' | 'closed' | 'failed';

/** The one transition table (style-anchors §4.5). */
export const TURN_TRANSITIONS: Readonly<Record<TurnState, readonly TurnState[]>> = {
  idle: ['allocating', 'closed'],
  allocating: ['allocated', 'failed', 'closed'],
  allocated: ['closing', 'failed', 'closed'],
  closing: ['closed'],
  failed: ['closed'],
  closed: [],
};

export type TurnEvent =
  | { readonly type: 'state'; readonly state: TurnState }
  /** The relayed transport address (a relay candidate) and our server-reflexive one. */
  | { readonly type: 'allocated'; readonly relayed: Addr; readonly mapped: Addr | undefined; readonly lifetimeS: number }
  /** The allocation failed or was lost: `code` is the server's error code, undefined for a timeout. */
  | { readonly type: 'failed'; readonly code: number | undefined; readonly reason: string }
  /** A CreatePermission for `peerIp` succeeded (first time) or failed. */
  | { readonly type: 'permission'; readonly peerIp: string; readonly ok: boolean }
  /** A ChannelBind for `peer` succeeded (first time) or failed. */
  | { readonly type: 'channel'; readonly peer: Addr; readonly channel: number; readonly ok: boolean }
  /** Data relayed from `peer` (Data indication or ChannelData). */
  | { readonly type: 'data'; readonly peer: Addr; readonly data: Uint8Array };

/** Drop counters (bad remote input never throws). */
export interface TurnStats {
  malformed: number;
  notFromServer: number;
  badIntegrity: number;
  stray: number;
  unknownChannel: number;
}
