import { UsageError } from '../../core/errors.js';
import type { Millis, SansIoLayer } from '../../core/types.js';
import { CAUSE } from '../chunks/index.js';
import { AssocCore, type TimerKey } from './core.js';
import type { SctpEvent } from './events.js';
import { newSnapInit } from './handshake.js';
import { handleInput } from './input.js';
import { resolveSctpOptions, type SctpOptions } from './options.js';
import { buildPacket } from './output.js';
import { buildProbe } from './probe.js';
import { onT2, startShutdown } from './shutdown.js';

/** Per-message options of `send()` (RFC 3758 policies, RFC 8831 §6.1 channel types). */
export interface SendOptions {
  /** Deliver out of order (U flag). */
  readonly unordered?: boolean;
  /** Partial reliability: abandon after this many retransmissions (0 = send once). */
  readonly maxRetransmits?: number;
  /** Partial reliability: abandon this many ms after send(). */
  readonly maxPacketLifeTime?: number;
}

/**
 * An SCTP association over DTLS (RFC 9260, RFC 8261), sans-IO. See src/sctp/index.ts for the API
 * contract.
 */
export class SctpAssociation implements SansIoLayer<SctpEvent> {
  private readonly core: AssocCore;

  constructor(options: SctpOptions) {
    this.core = new AssocCore(resolveSctpOptions(options));
  }

  /**
   * A new INIT chunk for `a=sctp-init` (SNAP, draft-hancke-tsvwg-snap): pass it, with the peer's, as
   * `snap` to the association made with the same options. Draws the tag and TSN from `options.rng`.
   */
  static snapInit(options: SctpOptions): Uint8Array {
    const opts = resolveSctpOptions(options);
    return newSnapInit(opts, opts.rng);
  }

  /** Set up by SNAP: `connect()` establishes at once, no handshake chunks are sent. */
  get snap(): boolean {
    return this.core.handshake.snap;
  }

  /** Starts the association. Both ends may call it (INIT collision is handled). With SNAP it is established on return. */
  connect(now: Millis): void {
    this.core.now = now;
    if (this.core.terminated) throw new UsageError('sctp.closed', 'the association is closed');
    this.core.handshake.connect(now);
  }

  /**
   * Our INIT again now, while in COOKIE-WAIT without an INIT from the peer (else nothing). For a DTLS
   * client that sent its INIT with its Finished (false start): the server's Finished came back without
   * the INIT-ACK, which was lost with the first copy of it; T1 would wait a whole RTO.
   */
  retryInit(now: Millis): void {
    this.core.now = now;
    if (!this.core.terminated) this.core.handshake.retryInit(now);
  }

  handleInput(now: Millis, data: Uint8Array): void {
    handleInput(this.core, now, data);
  }

  handleTimeout(now: Millis): void {
    const core = this.core;
    core.now = now;
    const due = core.timers.takeDue(now);
    for (let i = 0; i < due.length; i++) this.fire(due[i] as TimerKey, now);
  }

  private fire(key: TimerKey, now: Millis): void {
    const core = this.core;
    const est = core.est;
    switch (key) {
      case 't1': core.handshake.onT1(now); break;
      case 't2': onT2(core, now); break;
      case 'sack': if (est) est.recv.sackNow = est.recv.sackPending; break;
      case 'heartbeat': this.heartbeat(now); break;
      case 'pmtu':
        core.pmtu.onTimeout(now);
        core.pmtuChanged();
        break;
      case 'reconfig':
        core.reconfigBackoff++;
        est?.reset.onTimeout();
        break;
      case 'reset-grace': {
        est?.reset.onGraceTimeout(now);
        const next = est?.reset.graceDeadline;
        if (next !== undefined) core.timers.arm('reset-grace', next);
        break;
      }
      case 't3': this.onT3(now); break;
    }
  }

  /** T3-rtx expiry (RFC 9260 §6.3.3). */
  private onT3(now: Millis): void {
    const core = this.core;
    const est = core.est;
    if (!est) return;
    core.t3Backoff++;
    // RFC 8899 §4.3: a second expiry in a row at a raised packet size is taken as a black hole; the
    // retransmissions then go in base-size packets (every DATA chunk was cut to fit one)
    if (core.t3Backoff >= 2 && core.pmtu.size > core.opts.mtu) {
      core.pmtu.onBlackHole(now);
      core.pmtuChanged();
    }
    est.send.onT3(now);
    if (est.send.needsT3) core.timers.arm('t3', now + core.rto.timer(core.t3Backoff));
  }

  /** HEARTBEAT on an idle association (RFC 9260 §8.3); never a reason to abort (protocol.md 2.3). */
  private heartbeat(now: Millis): void {
    const core = this.core;
    const iv = core.opts.heartbeatInterval;
    if (!core.est || iv <= 0) return;
    if (now - core.lastSend >= iv) {
      const info = new Uint8Array(8);
      new DataView(info.buffer).setFloat64(0, now);
      core.sendChunk({ kind: 'heartbeat', info });
      core.lastSend = now;
    }
    core.timers.arm('heartbeat', core.lastSend + iv);
  }

  pollTransmit(): Uint8Array | undefined {
    const core = this.core;
    // each source asked only when it may have something (no call for the usual empty ones, issue 6)
    const p = (core.packets.length > 0 ? core.packets.shift() : undefined) ?? (core.handshake.echoDue ? core.handshake.takeCookieEcho() : undefined) ?? (core.pmtu.due ? buildProbe(core) : undefined) ?? buildPacket(core);
    if (core.queue.lowEvents.length > 0) this.flushLowEvents();
    return p;
  }

  private flushLowEvents(): void {
    const low = this.core.queue.lowEvents;
    if (low.length === 0) return;
    for (let i = 0; i < low.length; i++) this.core.events.push({ type: 'buffered-amount-low', streamId: low[i] as number });
    low.length = 0;
  }

  pollEvent(): SctpEvent | undefined {
    const q = this.core.events;
    return q.length > 0 ? q.shift() : undefined; // no call for the usual empty poll (issue 6)
  }

  pollTimeout(): Millis | undefined {
    const core = this.core;
    // something to send right away: ask to be called now (ctrl chunks only go out once a peer tag exists)
    if (core.packets.length > 0 || core.handshake.cookieEchoDue || core.est?.recv.sackNow || (core.pmtu.probeDue && core.est && core.state === 'established') || (core.ctrl.length > 0 && core.tcb && !core.terminated)) return core.now;
    return core.timers.earliest();
  }

  /**
   * Queues one message. `data` is NOT copied: do not modify it afterwards. Throws UsageError when
   * closed, the stream is closing or out of range, the message is empty (send PPID 56/57 with one byte,
   * RFC 8831 §6.6) or larger than the peer's max message size, or the send buffer is full.
   */
  send(now: Millis, streamId: number, ppid: number, data: Uint8Array, opts: SendOptions = {}): void {
    const core = this.core;
    core.now = now;
    this.checkSend(streamId, data, opts);
    const life = opts.maxPacketLifeTime;
    core.queue.push({
      streamId, ppid: ppid >>> 0, data, unordered: opts.unordered === true, maxRetransmits: opts.maxRetransmits,
      expiresAt: life === undefined ? undefined : now + life, queuedEpoch: core.est?.send.blockedEpoch ?? -1, ssn: -1, offset: 0, abandoned: false,
    });
    core.est?.send.onQueued();
  }

  private checkSend(streamId: number, data: Uint8Array, o: SendOptions): void {
    const core = this.core;
    const open = core.state === 'closed' || core.state === 'cookie-wait' || core.state === 'cookie-echoed' || core.state === 'established';
    if (core.terminated || !open) sendError('closed', 'the association is closed or shutting down');
    if (!Number.isInteger(streamId) || streamId < 0 || streamId >= this.maxStreams) sendError('stream', `stream id ${streamId} out of range 0..${this.maxStreams - 1}`);
    if (core.est?.reset.isClosing(streamId)) sendError('stream-closing', `stream ${streamId} is being reset`);
    if (data.length === 0) sendError('empty', 'SCTP cannot carry an empty message: send one byte with PPID 56/57 (RFC 8831 6.6)');
    const max = core.opts.remoteMaxMessageSize;
    if (max > 0 && data.length > max) sendError('too-large', `message of ${data.length} bytes exceeds the peer's max-message-size ${max}`);
    checkPolicy(o);
  }

  /** Closes our direction of a stream (RFC 6525 outgoing reset) after its queued data; the peer resets its own. */
  resetStream(now: Millis, streamId: number): void {
    this.core.now = now;
    const est = this.core.est;
    if (!est || this.core.state !== 'established') throw new UsageError('sctp.reset.state', 'stream reset needs an established association');
    if (!Number.isInteger(streamId) || streamId < 0 || streamId >= this.maxStreams) throw new UsageError('sctp.reset.stream', `stream id ${streamId} out of range`);
    est.reset.reset(streamId);
  }

  /** Bytes queued on the stream and not yet handed to the network. */
  bufferedAmount(streamId: number): number {
    return this.core.queue.buffered(streamId);
  }

  /** 'buffered-amount-low' fires when bufferedAmount(streamId) falls from above `bytes` to `bytes` or less. */
  setBufferedAmountLowThreshold(streamId: number, bytes: number): void {
    if (!(Number.isInteger(bytes) && bytes >= 0)) throw new UsageError('sctp.threshold', 'threshold must be an integer >= 0');
    this.core.queue.setLowThreshold(streamId, bytes);
  }

  /** Graceful close (RFC 9260 §9.2) once queued data is delivered. */
  shutdown(now: Millis): void {
    this.core.now = now;
    if (this.core.state === 'established') startShutdown(this.core, now);
    else if (!this.core.est) this.abort(now);
  }

  /** Immediate close: ABORT with "User-Initiated Abort" (RFC 9260 §9.1). */
  abort(now: Millis, reason = 'closed by user'): void {
    const core = this.core;
    core.now = now;
    if (core.terminated) return;
    if (core.tcb) core.sendPacket(core.tcb.peerTag, [{ kind: 'abort', reflectedTag: false, causes: [{ code: CAUSE.userInitiatedAbort, info: new TextEncoder().encode(reason) }] }]);
    core.closeWith(`aborted locally: ${reason}`, false);
  }

  /** Streams usable each way: the negotiated minimum once connected, our offer before. */
  get maxStreams(): number {
    const t = this.core.tcb;
    return t ? Math.min(t.outStreams, t.inStreams) : this.core.opts.maxStreams;
  }

  /** 'closed' | 'cookie-wait' | ... | 'established' | 'shutdown-*' (RFC 9260 §4). */
  get state(): string {
    return this.core.state;
  }

  /**
   * The largest SCTP packet the current path may carry, from the binding (src/stack/layers.ts); PLPMTUD
   * searches up to min(maxPacketSize, this). A lower value applies at once, a higher one starts a new
   * search. Call it again when the path changes (new selected ICE pair). `stable`: the path's MTU
   * cannot shrink (loopback), so new DATA may be cut into fragments as large as the PLPMTU instead of
   * the base size (SCTP cannot re-fragment a chunk after a black hole).
   */
  setPathMaxPacketSize(bytes: number, stable = false): void {
    if (!(Number.isInteger(bytes) && bytes > 0)) throw new UsageError('sctp.path-max', 'path max packet size must be a positive integer');
    this.core.pmtu.setCap(this.core.now, bytes, stable);
    this.core.pmtuChanged();
  }

  /**
   * Caps the receive window our SACKs advertise (undefined: the whole `receiveWindow`), from the
   * binding (src/stack/layers.ts): on a loopback path a sender's whole window arrives at once, so it
   * must fit the receiving socket's buffer, or datagrams are dropped whenever this process pauses
   * (GC) and each drop costs a retransmission. What we accept is unchanged.
   */
  setAdvertisedWindow(bytes: number | undefined): void {
    if (bytes !== undefined && !(Number.isInteger(bytes) && bytes > 0)) throw new UsageError('sctp.advertised-window', 'advertised window must be a positive integer');
    this.core.advertisedWindow = bytes;
    this.core.est?.recv.setAdvertisedWindow(bytes);
  }

  /** The SCTP packet size in use (PLPMTU): `mtu` until a probe confirmed more. */
  get packetSize(): number {
    return this.core.pmtu.size;
  }

  /** True when the peer accepts zero checksums (we then send 0 instead of the CRC32c). */
  get zeroChecksumToPeer(): boolean {
    return this.core.tcb?.peerZeroChecksum ?? false;
  }

  /** Counters and sizes for tests, logs and leak checks. */
  get stats(): Readonly<Record<string, number>> {
    const c = this.core;
    const e = c.est;
    const p = c.pmtu;
    const base = {
      ...c.stats, rto: c.rto.value, sendBuffered: c.queue.total, sendStreams: c.queue.streamCount,
      packetSize: p.size, pmtuProbes: p.probesSent, pmtuBlackHoles: p.blackHoles,
    };
    if (!e) return base;
    return {
      ...base, cwnd: e.cc.cwnd, flight: e.send.flight, outstanding: e.send.outstanding,
      retransmissions: e.send.retransmissions, abandonedMessages: e.send.abandonedMessages,
      recvBytes: e.recv.reassembly.bytes, recvStreams: e.recv.reassembly.streamCount,
      recvFragments: e.recv.reassembly.fragmentCount, resetState: e.reset.stateSize, resetInProgress: e.reset.inProgressAnswers,
      dropped: e.recv.dropped, duplicates: e.recv.duplicates,
    };
  }
}

function sendError(code: string, msg: string): never {
  throw new UsageError(`sctp.send.${code}`, msg);
}

/** RFC 8831 §6.1: one PR policy per channel; values are integers >= 0. */
function checkPolicy(o: SendOptions): void {
  if (o.maxRetransmits !== undefined && o.maxPacketLifeTime !== undefined) sendError('options', 'maxRetransmits and maxPacketLifeTime are exclusive');
  const limits = [o.maxRetransmits, o.maxPacketLifeTime];
  for (let i = 0; i < limits.length; i++) {
    const v = limits[i];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) sendError('options', 'maxRetransmits/maxPacketLifeTime must be integers >= 0');
  }
}
