import type { CryptoProvider } from '../../core/crypto.js';
import { UsageError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Rng } from '../../core/rng.js';
import { isSnapInit } from './snap.js';

/**
 * Options of an SCTP association. Every size a peer can make us hold is bounded by one of these:
 * - `receiveWindow` bounds what we buffer for reassembly and ordering (our a_rwnd; DATA beyond it is
 *   dropped, RFC 9260 §6.2);
 * - `maxMessageSize` is what we reassemble and advertise in SDP (a=max-message-size);
 * - `sendBufferLimit` bounds the bytes queued by `send()` and not yet handed to the network; in-flight
 *   bytes are bounded by cwnd and the peer's window.
 */
export interface SctpOptions {
  /** Our SCTP port (a=sctp-port). Default 5000. */
  readonly localPort?: number;
  /** The peer's SCTP port. Default 5000. */
  readonly remotePort?: number;
  /**
   * The base SCTP packet size, common header included (RFC 8899 BASE_PLPMTU): used from the start,
   * after a black hole, and always when `plpmtud` is false. DATA is fragmented into chunks that fit a
   * packet of this size, so a size learnt later can always fall back to it. Default 1200 (fits every
   * WebRTC path).
   */
  readonly mtu?: number;
  /**
   * Largest SCTP packet PLPMTUD may raise the size to (RFC 8899). Default 16384: the largest plaintext
   * of one DTLS record (the datagram adds the 13-byte record header and the AEAD overhead). The
   * binding lowers it per path with `setPathMaxPacketSize` (src/stack/layers.ts: large only on a
   * loopback pair, Ethernet size otherwise). Never below `mtu`.
   */
  readonly maxPacketSize?: number;
  /** Packetization-layer PMTU discovery with HEARTBEAT + PAD probes (RFC 8899 §6.2.1). Default true;
   * false keeps every packet at `mtu`. */
  readonly plpmtud?: boolean;
  /** PLPMTUD: wait this long for a probe's answer (PROBE_TIMER). Default 1000 ms. */
  readonly probeTimeout?: number;
  /** PLPMTUD: search again this long after a search completed (PMTU_RAISE_TIMER). Default 600000 ms. */
  readonly pmtuRaiseInterval?: number;
  /** Largest message we reassemble (advertise it as a=max-message-size). Default 262144. */
  readonly maxMessageSize?: number;
  /** The peer's a=max-message-size: absent 65536, 0 unlimited (RFC 8841 §6.1). */
  readonly remoteMaxMessageSize?: number;
  /** Our receive window (a_rwnd) in bytes. Default 1 MiB, at least 65536 and maxMessageSize. */
  readonly receiveWindow?: number;
  /** Bytes `send()` may queue in total before throwing UsageError 'sctp.send.buffer-full'. Default 16 MiB. */
  readonly sendBufferLimit?: number;
  /** Streams we offer each way (OS = MIS). Default 65535. */
  readonly maxStreams?: number;
  /** Announce Zero Checksum Acceptable with EDMID DTLS (RFC 9653). Default true. */
  readonly zeroChecksum?: boolean;
  /** RTO initial / min / max in ms (RFC 6298). Defaults 500 / 400 / 60000 (see rto.ts). */
  readonly rtoInitial?: number;
  readonly rtoMin?: number;
  readonly rtoMax?: number;
  /** Cap on a backed-off timer (Chrome caps its backoff at 3 s). Default 3000 ms. */
  readonly maxTimerBackoff?: number;
  /** Delayed SACK timer. Default 20 ms (libdatachannel); every 2nd packet is acked at once anyway. */
  readonly sackDelay?: number;
  /** Idle time before a HEARTBEAT. Default 30000 ms; 0 disables. */
  readonly heartbeatInterval?: number;
  /** Max.Burst: packets of new DATA sent per SACK (RFC 9260 §6.1 D; Chrome 4). Default 4; 0 = off. */
  readonly maxBurst?: number;
  /** Initial congestion window in MTUs. Default 10 (Chrome, libdatachannel). */
  readonly initialCwndMtus?: number;
  /**
   * True (default): `pollTransmit()` hands out packets the caller owns. False: DATA/SACK packets are a
   * view of the association's reused buffer, valid only until the next call into the association; for
   * a consumer that seals or copies each packet at once (src/stack's DTLS does), it saves a copy and an
   * ArrayBuffer per packet.
   */
  readonly ownedTransmits?: boolean;
  /** Give up the handshake after this many INIT/COOKIE-ECHO retransmissions. Default: never (Chrome). */
  readonly maxInitRetransmits?: number;
  /**
   * SNAP (draft-hancke-tsvwg-snap, ./snap.ts): our INIT chunk as signalled (`SctpAssociation.snapInit`)
   * and the peer's, from `a=sctp-init`. `connect()` then establishes the association at once, with no
   * handshake chunks. Both must decode as INIT chunks (UsageError `sctp.options.snap` otherwise).
   */
  readonly snap?: { readonly local: Uint8Array; readonly remote: Uint8Array } | undefined;
  /** State cookie lifetime. Default 60000 ms (RFC 9260 §15). */
  readonly cookieLifetime?: number;
  readonly rng: Rng;
  /** HMAC-SHA256 signs the state cookie. */
  readonly crypto: CryptoProvider;
  readonly logger?: Logger;
}

export type ResolvedSctpOptions = Required<Omit<SctpOptions, 'maxInitRetransmits' | 'snap'>> & { readonly maxInitRetransmits: number; readonly snap: SctpOptions['snap'] };

const DEFAULTS = {
  localPort: 5000, remotePort: 5000, mtu: 1200, maxPacketSize: 16384, plpmtud: true, probeTimeout: 1000,
  pmtuRaiseInterval: 600_000, ownedTransmits: true, maxMessageSize: 262144, remoteMaxMessageSize: 65536,
  receiveWindow: 1024 * 1024, sendBufferLimit: 16 * 1024 * 1024, maxStreams: 65535, zeroChecksum: true,
  rtoInitial: 500, rtoMin: 400, rtoMax: 60000, maxTimerBackoff: 3000, sackDelay: 20, heartbeatInterval: 30000,
  initialCwndMtus: 10, maxBurst: 4, maxInitRetransmits: Infinity, cookieLifetime: 60000,
} as const;

function check(ok: boolean, field: string, why: string): void {
  if (!ok) throw new UsageError(`sctp.options.${field}`, `SctpOptions.${field}: ${why}`);
}

const int = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;

/** Applies defaults and validates; throws UsageError on bad values. */
// eslint-disable-next-line complexity -- a flat literal of 24 defaults: ESLint counts each `??` as a branch
export function resolveSctpOptions(o: SctpOptions): ResolvedSctpOptions {
  // One object literal with every field, not Object.assign({}, DEFAULTS, o): V8 turns an object given
  // this many properties one by one into a dictionary-mode object, and every `opts.x` the association
  // reads per packet (zeroChecksum, sackDelay, mtu...) became a hash lookup (issue 6).
  const d = DEFAULTS;
  const r: ResolvedSctpOptions = {
    localPort: o.localPort ?? d.localPort, remotePort: o.remotePort ?? d.remotePort, mtu: o.mtu ?? d.mtu,
    maxPacketSize: o.maxPacketSize ?? d.maxPacketSize, plpmtud: o.plpmtud ?? d.plpmtud, probeTimeout: o.probeTimeout ?? d.probeTimeout,
    pmtuRaiseInterval: o.pmtuRaiseInterval ?? d.pmtuRaiseInterval, ownedTransmits: o.ownedTransmits ?? d.ownedTransmits,
    maxMessageSize: o.maxMessageSize ?? d.maxMessageSize, remoteMaxMessageSize: o.remoteMaxMessageSize ?? d.remoteMaxMessageSize,
    receiveWindow: o.receiveWindow ?? d.receiveWindow, sendBufferLimit: o.sendBufferLimit ?? d.sendBufferLimit,
    maxStreams: o.maxStreams ?? d.maxStreams, zeroChecksum: o.zeroChecksum ?? d.zeroChecksum, rtoInitial: o.rtoInitial ?? d.rtoInitial,
    rtoMin: o.rtoMin ?? d.rtoMin, rtoMax: o.rtoMax ?? d.rtoMax, maxTimerBackoff: o.maxTimerBackoff ?? d.maxTimerBackoff,
    sackDelay: o.sackDelay ?? d.sackDelay, heartbeatInterval: o.heartbeatInterval ?? d.heartbeatInterval,
    initialCwndMtus: o.initialCwndMtus ?? d.initialCwndMtus, maxBurst: o.maxBurst ?? d.maxBurst,
    maxInitRetransmits: o.maxInitRetransmits ?? d.maxInitRetransmits, cookieLifetime: o.cookieLifetime ?? d.cookieLifetime,
    snap: o.snap, rng: o.rng, crypto: o.crypto, logger: o.logger ?? silentLogger,
  };
  check(int(r.localPort, 1, 65535) && int(r.remotePort, 1, 65535), 'localPort', 'ports are 1..65535');
  check(int(r.mtu, 300, 65535), 'mtu', 'must be an integer in 300..65535');
  check(int(r.maxPacketSize, 300, 65535), 'maxPacketSize', 'must be an integer in 300..65535');
  check(r.probeTimeout > 0 && r.pmtuRaiseInterval > 0, 'probeTimeout', 'probeTimeout and pmtuRaiseInterval must be > 0');
  check(int(r.maxMessageSize, 1, 0x7fffffff), 'maxMessageSize', 'must be a positive integer');
  check(int(r.remoteMaxMessageSize, 0, Number.MAX_SAFE_INTEGER), 'remoteMaxMessageSize', 'must be >= 0 (0 = unlimited)');
  check(int(r.receiveWindow, 65536, 0x7fffffff) && r.receiveWindow >= r.maxMessageSize, 'receiveWindow', 'must be >= 65536 and >= maxMessageSize');
  check(int(r.sendBufferLimit, 1, Number.MAX_SAFE_INTEGER), 'sendBufferLimit', 'must be a positive integer');
  check(int(r.maxStreams, 1, 65535), 'maxStreams', 'must be 1..65535');
  check(r.rtoMin > 0 && r.rtoMin <= r.rtoInitial && r.rtoInitial <= r.rtoMax, 'rtoInitial', 'needs 0 < rtoMin <= rtoInitial <= rtoMax');
  check(r.maxTimerBackoff > 0 && r.sackDelay >= 0 && r.sackDelay <= 500, 'sackDelay', 'must be 0..500 ms');
  check(r.heartbeatInterval >= 0 && r.cookieLifetime > 0, 'heartbeatInterval', 'must be >= 0');
  check(int(r.initialCwndMtus, 1, 1000) && int(r.maxBurst, 0, 1000), 'initialCwndMtus', 'initialCwndMtus must be 1..1000, maxBurst 0..1000');
  check(r.maxInitRetransmits >= 0, 'maxInitRetransmits', 'must be >= 0');
  if (r.snap) check(isSnapInit(r.snap.local) && isSnapInit(r.snap.remote), 'snap', 'local and remote must each be one SCTP INIT chunk');
  return r;
}
