/**
 * Data-channel registry over an SCTP association (RFC 8831 §6, RFC 8832 §6): in-band channels
 * with DATA_CHANNEL_OPEN/ACK, negotiated channels without DCEP, stream-id parity from the DTLS role,
 * PPIDs for strings/binary/empty messages, and close through SCTP stream reset.
 *
 * Sans-IO: it drives the `SctpChannelTransport` it is given (which queues packets) and queues events.
 * Remote bad input (malformed DCEP, wrong parity, unknown stream) is dropped and counted; an OPEN
 * on a wrong-parity or used id is answered with a stream reset and no ACK (RFC 8832 §6).
 */
import { Queue } from '../core/event-queue.js';
import { UsageError, isParseError, isUsageError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import { DEFAULT_PRIORITY, MAX_STREAM_ID } from './channel.js';
import type { ChannelInit, DataChannelState } from './channel.js';
import { channelTypeFor, decodeDcep, encodeDcepAck, encodeDcepOpen, reliabilityOf } from './messages.js';
import type { DcepOpen, Reliability } from './messages.js';
import { Ppid, decodeUserMessage, encodeUserMessage } from './ppid.js';

/** The part of `SctpAssociation` the registry uses (src/sctp agreed API). */
export interface SctpChannelTransport {
  send(now: Millis, streamId: number, ppid: number, data: Uint8Array, opts: SctpSendOptions): void;
  resetStream(now: Millis, streamId: number): void;
  bufferedAmount(streamId: number): number;
}

export interface SctpSendOptions {
  readonly unordered?: boolean;
  readonly maxRetransmits?: number;
  readonly maxPacketLifeTime?: number;
}

export type ChannelEvent =
  | { readonly type: 'open'; readonly channel: DataChannelState }
  /** The peer opened an in-band channel (already open; surfaces as data_channel_received). */
  | { readonly type: 'incoming'; readonly channel: DataChannelState }
  | { readonly type: 'message'; readonly channel: DataChannelState; readonly data: Uint8Array; readonly isString: boolean }
  | { readonly type: 'closed'; readonly channel: DataChannelState };

export interface ChannelRegistryOptions {
  /** Streams usable (ids < maxStreams); default 1024, as libdatachannel. Set from SCTP's negotiated count. */
  readonly maxStreams?: number;
  readonly logger?: Logger;
}

/** Drop counters for remote input we refused. */
export interface ChannelRegistryStats {
  malformedDcep: number;
  refusedOpens: number;
  unknownStream: number;
}

export class ChannelRegistry {
  private readonly byId = new Map<number, DataChannelState>();
  /** In-band channels created before the DTLS role was known (no id yet). */
  private readonly pending: DataChannelState[] = [];
  private readonly events = new Queue<ChannelEvent>();
  private readonly logger: Logger;
  private maxStreams: number;
  private role: 'client' | 'server' | undefined;
  private transport: SctpChannelTransport | undefined;
  /** The association before it is up (transportStarting): it queues our OPENs until then. */
  private early: SctpChannelTransport | undefined;
  /** Channels whose OPEN was queued before the association was up (they open at transportReady). */
  private readonly openQueued = new Set<DataChannelState>();
  private nextHandle = 1;
  readonly stats: ChannelRegistryStats = { malformedDcep: 0, refusedOpens: 0, unknownStream: 0 };

  constructor(options: ChannelRegistryOptions = {}) {
    this.maxStreams = options.maxStreams ?? 1024;
    if (!Number.isInteger(this.maxStreams) || this.maxStreams < 1 || this.maxStreams > MAX_STREAM_ID + 1) {
      throw new UsageError('dcep.max-streams', `maxStreams must be an integer in 1..${MAX_STREAM_ID + 1}`);
    }
    this.logger = (options.logger ?? silentLogger).child({ layer: 'dcep' });
  }

  pollEvent(): ChannelEvent | undefined {
    return this.events.length > 0 ? this.events.shift() : undefined; // no call for an empty poll (issue 6)
  }

  /** Every channel with an id, plus those still waiting for one. */
  channels(): DataChannelState[] {
    const out: DataChannelState[] = [];
    // forEach: no iterator objects in cold code (issue 6)
    this.byId.forEach((ch) => {
      out.push(ch);
    });
    const pending = this.pending;
    for (let i = 0; i < pending.length; i++) out.push(pending[i] as DataChannelState);
    return out;
  }

  get dtlsRole(): 'client' | 'server' | undefined {
    return this.role;
  }

  /**
   * Creates a channel. UsageError when the options are invalid (both partial-reliability limits,
   * negotiated without id, id out of range or in use, label/protocol too long).
   */
  create(now: Millis, init: ChannelInit): DataChannelState {
    validateInit(init, this.maxStreams);
    const negotiated = init.negotiated === true;
    if (negotiated && this.byId.has(init.id as number)) throw new UsageError('dcep.id-in-use', `stream id ${String(init.id)} is in use`);
    encodeDcepOpen({ channelType: 0, priority: 0, reliabilityParameter: 0, label: init.label, protocol: init.protocol ?? '' }); // length check
    const ch: DataChannelState = {
      handle: this.nextHandle++,
      id: negotiated ? init.id : undefined,
      label: init.label,
      protocol: init.protocol ?? '',
      priority: init.priority ?? DEFAULT_PRIORITY,
      reliability: pickReliability(init),
      negotiated,
      remote: false,
      state: 'connecting',
      acked: negotiated,
    };
    if (ch.id !== undefined) this.byId.set(ch.id, ch);
    else if (this.role !== undefined) this.assignId(ch);
    else this.pending.push(ch);
    if (this.transport) this.announce(now, ch);
    else if (this.early) this.queueOpen(now, this.early, ch);
    return ch;
  }

  /** The DTLS role is settled (from a=setup): give pending in-band channels ids (RFC 8832 §6). */
  setRole(role: 'client' | 'server'): void {
    if (this.role === role) return;
    this.role = role;
    const waiting = this.pending.splice(0);
    for (let i = 0; i < waiting.length; i++) this.assignId(waiting[i] as DataChannelState);
  }

  /**
   * The SCTP association is not up yet, but what is sent now rides with its COOKIE-ECHO (RFC 9260
   * §5.1 C): our OPENs go now, so the peer opens its side one round trip earlier. Our channels still
   * open at `transportReady` (nothing else can leave before it).
   */
  transportStarting(now: Millis, transport: SctpChannelTransport, maxStreams?: number): void {
    this.early = transport;
    if (maxStreams !== undefined) this.maxStreams = Math.min(this.maxStreams, maxStreams);
    const all = this.channels();
    for (let i = 0; i < all.length; i++) this.queueOpen(now, transport, all[i] as DataChannelState);
  }

  /** SCTP is up: send OPENs (unless queued already) and mark channels open. `maxStreams` from the association, if known. */
  transportReady(now: Millis, transport: SctpChannelTransport, maxStreams?: number): void {
    this.transport = transport;
    this.early = undefined;
    if (maxStreams !== undefined) this.maxStreams = Math.min(this.maxStreams, maxStreams);
    const all = this.channels();
    for (let i = 0; i < all.length; i++) {
      const ch = all[i] as DataChannelState;
      if (ch.state === 'connecting') this.announce(now, ch);
      // closed by the user while its OPEN waited for the association: the peer has the OPEN now
      else if (ch.state === 'closing' && this.openQueued.has(ch)) this.resetEarlyClosed(now, transport, ch);
    }
    this.openQueued.clear();
  }

  /** A whole SCTP message arrived on `streamId`. */
  handleMessage(now: Millis, streamId: number, ppid: number, data: Uint8Array): void {
    if (ppid === Ppid.Dcep) {
      this.handleDcep(now, streamId, data);
      return;
    }
    const ch = this.byId.get(streamId);
    const msg = decodeUserMessage(ppid, data);
    if (!ch || ch.state === 'closed' || msg === undefined) {
      this.stats.unknownStream++;
      this.logger.log('debug', 'message dropped', { streamId, ppid });
      return;
    }
    ch.acked = true; // RFC 8832 §6: data from the peer implies it got our OPEN.
    this.events.push({ type: 'message', channel: ch, data: msg.data, isString: msg.isString });
  }

  /**
   * Sends one user message. UsageError (`dcep.not-open`) unless the channel is open. Until the ACK,
   * messages go ordered so they cannot overtake the OPEN (RFC 8832 §6).
   */
  send(now: Millis, ch: DataChannelState, data: Uint8Array, isString: boolean): void {
    if (ch.state !== 'open' || ch.id === undefined || !this.transport) throw new UsageError('dcep.not-open', `channel "${ch.label}" is ${ch.state}`);
    const { ppid, payload } = encodeUserMessage(data, isString);
    const r = ch.reliability;
    const opts: SctpSendOptions = { unordered: !r.ordered && ch.acked, ...limits(r) };
    this.transport.send(now, ch.id, ppid, payload, opts);
  }

  bufferedAmount(ch: DataChannelState): number {
    return ch.id !== undefined && this.transport && ch.state !== 'closed' ? this.transport.bufferedAmount(ch.id) : 0;
  }

  /** Closes the channel: outgoing stream reset (RFC 8831 §6.7); `closed` follows the peer's reset. */
  close(now: Millis, ch: DataChannelState): void {
    if (ch.state === 'closing' || ch.state === 'closed') return;
    if (ch.id === undefined || !this.transport) {
      if (this.openQueued.has(ch)) ch.state = 'closing'; // reset once the association is up
      else this.finish(ch);
      return;
    }
    ch.state = 'closing';
    this.transport.resetStream(now, ch.id);
  }

  /** The peer reset its outgoing direction (RFC 8831 §6.7): no new sends; `closed` follows. */
  handleStreamClosing(streamIds: readonly number[]): void {
    for (let i = 0; i < streamIds.length; i++) {
      const ch = this.byId.get(streamIds[i] as number);
      if (ch && ch.state === 'open') ch.state = 'closing';
    }
  }

  /** SCTP reported these streams reset in both directions: their channels are closed, ids free. */
  handleStreamReset(streamIds: readonly number[]): void {
    for (let i = 0; i < streamIds.length; i++) {
      const ch = this.byId.get(streamIds[i] as number);
      if (ch) this.finish(ch);
    }
  }

  /** The association is gone: every channel is closed. */
  transportClosed(): void {
    this.transport = undefined;
    this.early = undefined;
    this.openQueued.clear();
    const all = this.channels();
    for (let i = 0; i < all.length; i++) this.finish(all[i] as DataChannelState);
  }

  private finish(ch: DataChannelState): void {
    if (ch.state === 'closed') return;
    ch.state = 'closed';
    if (ch.id !== undefined && this.byId.get(ch.id) === ch) this.byId.delete(ch.id);
    const i = this.pending.indexOf(ch);
    if (i >= 0) this.pending.splice(i, 1);
    this.events.push({ type: 'closed', channel: ch });
  }

  /** Client even, server odd (RFC 8832 §6); the lowest free id of our parity. */
  private assignId(ch: DataChannelState): void {
    for (let id = this.role === 'client' ? 0 : 1; id < this.maxStreams; id += 2) {
      if (!this.byId.has(id)) {
        ch.id = id;
        this.byId.set(id, ch);
        return;
      }
    }
    this.logger.log('warn', 'no free stream id', { label: ch.label });
    this.finish(ch);
  }

  private announce(now: Millis, ch: DataChannelState): void {
    const transport = this.transport;
    const id = ch.id;
    if (id === undefined || !transport) return;
    if (id >= this.maxStreams) {
      this.logger.log('warn', 'channel id beyond the negotiated stream count: closed', { id, maxStreams: this.maxStreams, label: ch.label });
      return this.finish(ch);
    }
    if (!ch.negotiated && !this.openQueued.has(ch) && !this.sendOpen(now, transport, id, ch)) return this.finish(ch);
    ch.state = 'open';
    this.events.push({ type: 'open', channel: ch });
  }

  /** RFC 8832 §6: DCEP messages go reliable and ordered. False when SCTP refused it. */
  private sendOpen(now: Millis, transport: SctpChannelTransport, id: number, ch: DataChannelState): boolean {
    const { channelType, reliabilityParameter } = channelTypeFor(ch.reliability);
    const open = encodeDcepOpen({ channelType, priority: ch.priority, reliabilityParameter, label: ch.label, protocol: ch.protocol });
    return this.tryTransport(() => transport.send(now, id, Ppid.Dcep, open, {}));
  }

  /** Queues the OPEN of an in-band channel before the association is up (transportStarting). */
  private queueOpen(now: Millis, transport: SctpChannelTransport, ch: DataChannelState): void {
    const id = ch.id;
    if (ch.negotiated || ch.state !== 'connecting' || id === undefined || id >= this.maxStreams || this.openQueued.has(ch)) return;
    if (this.sendOpen(now, transport, id, ch)) this.openQueued.add(ch);
  }

  private resetEarlyClosed(now: Millis, transport: SctpChannelTransport, ch: DataChannelState): void {
    const id = ch.id as number;
    if (id >= this.maxStreams || !this.tryTransport(() => transport.resetStream(now, id))) this.finish(ch);
  }

  private handleDcep(now: Millis, streamId: number, data: Uint8Array): void {
    let msg;
    try {
      msg = decodeDcep(data);
    } catch (e) {
      if (!isParseError(e)) throw e;
      this.stats.malformedDcep++;
      this.logger.log('debug', 'malformed DCEP dropped', { streamId, code: e.code });
      return;
    }
    if (msg.type === 'ack') {
      const ch = this.byId.get(streamId);
      if (ch) ch.acked = true;
      return;
    }
    this.handleOpen(now, streamId, msg);
  }

  private handleOpen(now: Millis, streamId: number, open: DcepOpen): void {
    const transport = this.transport;
    if (!transport) return;
    const peerParity = this.role === 'client' ? 1 : 0;
    if (this.role === undefined || streamId % 2 !== peerParity || this.byId.has(streamId) || streamId >= this.maxStreams) {
      // RFC 8832 §6: refuse by resetting the stream, no ACK.
      this.stats.refusedOpens++;
      this.logger.log('debug', 'DATA_CHANNEL_OPEN refused', { streamId, role: this.role });
      this.tryTransport(() => transport.resetStream(now, streamId));
      return;
    }
    const ch: DataChannelState = {
      handle: this.nextHandle++,
      id: streamId,
      label: open.label,
      protocol: open.protocol,
      priority: open.priority,
      reliability: reliabilityOf(open),
      negotiated: false,
      remote: true,
      state: 'open',
      acked: true,
    };
    if (!this.tryTransport(() => transport.send(now, streamId, Ppid.Dcep, encodeDcepAck(), {}))) {
      this.stats.refusedOpens++;
      return;
    }
    this.byId.set(streamId, ch);
    this.events.push({ type: 'incoming', channel: ch });
  }

  /** Runs a transport call caused by remote input: a UsageError there is counted, never thrown. */
  private tryTransport(fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      if (!isUsageError(e)) throw e;
      this.logger.log('debug', 'SCTP refused a DCEP message', { code: e.code });
      return false;
    }
  }
}

function limits(r: Reliability): SctpSendOptions {
  if (r.maxRetransmits !== undefined) return { maxRetransmits: r.maxRetransmits };
  if (r.maxPacketLifeTime !== undefined) return { maxPacketLifeTime: r.maxPacketLifeTime };
  return {};
}

function pickReliability(init: ChannelInit): Reliability {
  const ordered = init.ordered;
  if (init.maxRetransmits !== undefined) return { ordered, maxRetransmits: init.maxRetransmits };
  if (init.maxPacketLifeTime !== undefined) return { ordered, maxPacketLifeTime: init.maxPacketLifeTime };
  return { ordered };
}

function validateInit(init: ChannelInit, maxStreams: number): void {
  const u32 = (v: number | undefined): boolean => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
  if (init.maxRetransmits !== undefined && init.maxPacketLifeTime !== undefined) {
    throw new UsageError('dcep.reliability', 'maxRetransmits and maxPacketLifeTime cannot both be set');
  }
  if (!u32(init.maxRetransmits) || !u32(init.maxPacketLifeTime)) throw new UsageError('dcep.reliability', 'maxRetransmits/maxPacketLifeTime must be integers in 0..2^32-1');
  if (init.negotiated === true) {
    const id = init.id;
    if (id === undefined || !Number.isInteger(id) || id < 0 || id >= maxStreams) {
      throw new UsageError('dcep.id', `a negotiated channel needs an integer id in 0..${maxStreams - 1}`);
    }
  } else if (init.id !== undefined) {
    throw new UsageError('dcep.id', 'an id is only allowed with negotiated: true');
  }
  if (init.priority !== undefined && !(Number.isInteger(init.priority) && init.priority >= 0 && init.priority <= 0xffff)) {
    throw new UsageError('dcep.priority', 'priority must be an integer in 0..65535');
  }
}
