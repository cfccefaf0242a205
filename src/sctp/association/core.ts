import { Deadlines } from '../../core/deadlines.js';
import { Queue } from '../../core/event-queue.js';
import { Writer } from '../../core/bytes/writer.js';
import type { Logger } from '../../core/logger.js';
import { encodeChunk, type Chunk } from '../chunks/index.js';
import { beginPacket, finishPacket } from '../packet.js';
import { Congestion } from './congestion.js';
import type { SctpEvent } from './events.js';
import { Handshake, type AssocState, type HandshakeHost, type Tcb } from './handshake.js';
import type { ResolvedSctpOptions } from './options.js';
import { Receiver } from './receiver.js';
import { StreamReset } from './reconfig.js';
import { Plpmtud } from './plpmtud.js';
import { Rto } from './rto.js';
import { SendQueue } from './send-queue.js';
import { Sender } from './sender.js';
import { DATA_HEADER_SIZE } from '../chunks/index.js';
import { COMMON_HEADER_SIZE } from '../packet.js';

/** PLPMTUD starts this long after the association is up, behind the first application messages. */
const PMTU_START_DELAY = 50;

/** Named timers (RFC 9260 §6.3, §5.1, §9.2; RFC 6525 §5.1.1). */
export type TimerKey = 't1' | 't3' | 'sack' | 't2' | 'reconfig' | 'reset-grace' | 'heartbeat' | 'pmtu';

/** Sender and congestion control: what DATA needs (made before the rest when we echo a cookie). */
interface SendSide {
  readonly send: Sender;
  readonly cc: Congestion;
}

/** The parts that exist once the association is established. */
export interface Established {
  readonly recv: Receiver;
  readonly send: Sender;
  readonly cc: Congestion;
  readonly reset: StreamReset;
}

/**
 * The association's state, shared by input.ts, output.ts, shutdown.ts and the public class. Fields are
 * internal to src/sctp/association.
 */
export class AssocCore implements HandshakeHost {
  state: AssocState = 'closed';
  tcb: Tcb | undefined;
  terminated = false;
  now = 0;
  lastSend = 0;
  t3Backoff = 0;
  t2Backoff = 0;
  reconfigBackoff = 0;
  readonly timers = new Deadlines<TimerKey>();
  readonly events = new Queue<SctpEvent>();
  /** Prebuilt packets (INIT, INIT-ACK, COOKIE-ECHO, ABORT, SHUTDOWN-COMPLETE). */
  readonly packets = new Queue<Uint8Array>();
  /** Encoded control chunks waiting to be bundled. */
  ctrl: Uint8Array[] = [];
  readonly w: Writer;
  private readonly cw = new Writer(256);
  readonly handshake: Handshake;
  readonly rto: Rto;
  readonly queue: SendQueue;
  /** The packet size and its discovery (RFC 8899). */
  readonly pmtu: Plpmtud;
  est: Established | undefined;
  /** Cap on the a_rwnd our SACKs advertise (SctpAssociation.setAdvertisedWindow); undefined: none. */
  advertisedWindow: number | undefined;
  /**
   * The send side made from the peer's INIT-ACK, before the association is up: DATA queued by then
   * rides with our COOKIE-ECHO (RFC 9260 §5.1 C), and establish() carries it on.
   */
  private early: SendSide | undefined;
  readonly log: Logger;
  readonly stats = { packetsIn: 0, packetsOut: 0, badChecksum: 0, malformed: 0, badTag: 0 };

  constructor(readonly opts: ResolvedSctpOptions) {
    this.log = opts.logger.child({ layer: 'sctp' });
    this.w = new Writer(opts.mtu + 64);
    this.pmtu = new Plpmtud({
      enabled: opts.plpmtud, base: opts.mtu, max: Math.max(opts.mtu, opts.maxPacketSize), probeTimeout: opts.probeTimeout,
      maxProbes: 3, raiseInterval: opts.pmtuRaiseInterval, minStep: 256,
    });
    this.rto = new Rto(opts.rtoInitial, opts.rtoMin, opts.rtoMax, opts.maxTimerBackoff);
    this.queue = new SendQueue(opts.sendBufferLimit);
    this.handshake = new Handshake(opts, opts.rng, opts.crypto, this);
  }

  sendPacket(vtag: number, chunks: readonly Chunk[]): void {
    beginPacket(this.w, this.opts.localPort, this.opts.remotePort, vtag);
    for (let i = 0; i < chunks.length; i++) encodeChunk(this.w, chunks[i] as Chunk);
    this.packets.push(finishPacket(this.w, false));
  }

  sendRaw(packet: Uint8Array): void {
    this.w.reset();
    this.w.bytes(packet.subarray(0, 8)).u32(0).bytes(packet.subarray(COMMON_HEADER_SIZE)); // checksum field 0 for the CRC
    this.packets.push(finishPacket(this.w, false));
  }

  resentEarly(now: number, tsn: number): void {
    const c = this.early?.send.chunkAt(tsn);
    if (!c) return;
    c.sendCount++;
    c.sentAt = now;
    if (this.early) this.early.send.retransmissions++;
  }

  sendChunk(c: Chunk): void {
    // RFC 9260 §5.1 D: a COOKIE-ACK is the first chunk of its packet (control chunks lead it)
    if (c.kind === 'cookie-ack') this.ctrl.unshift(this.encode(c));
    else this.ctrl.push(this.encode(c));
  }

  /** One chunk, encoded and padded (control path, not hot). */
  encode(c: Chunk): Uint8Array {
    this.cw.reset();
    encodeChunk(this.cw, c);
    return this.cw.toBytes();
  }

  setTcb(tcb: Tcb): void {
    this.tcb = tcb;
    this.early ??= this.sendSide(tcb);
    this.events.push({ type: 'cookie-echoed' });
  }

  private sendSide(tcb: Tcb): SendSide {
    const mtu = this.opts.mtu;
    const cc = new Congestion(mtu, this.opts.initialCwndMtus, tcb.peerArwnd);
    const send = new Sender(tcb.myInitialTsn, tcb.peerArwnd, this.queue, cc, this.rto, this.maxDataPayload());
    send.maxBurst = this.opts.maxBurst;
    return { send, cc };
  }

  /**
   * Our COOKIE-ECHO packet (RFC 9260 §5.1 C): the chunk first, then the queued DATA that fits one
   * packet of the base size (a DCEP OPEN, messages sent before the association was up), so the peer
   * gets them one round trip earlier. Always a real CRC (RFC 9653 §5.2). Returns the packet and the
   * TSNs it carries [first, end).
   */
  cookieEchoPacket(vtag: number, cookie: Uint8Array): { packet: Uint8Array; firstTsn: number; endTsn: number } {
    const w = this.w;
    beginPacket(w, this.opts.localPort, this.opts.remotePort, vtag);
    encodeChunk(w, { kind: 'cookie-echo', cookie });
    const send = this.early?.send;
    const firstTsn = send?.nextTsn ?? 0;
    send?.fill(w, this.opts.mtu, this.now);
    this.lastSend = this.now;
    return { packet: finishPacket(w, false), firstTsn, endTsn: send?.nextTsn ?? 0 };
  }

  armT1(now: number, retries: number): void {
    this.timers.arm('t1', now + this.rto.timer(retries));
  }

  fail(_now: number, reason: string): void {
    this.closeWith(reason, true);
  }

  establish(now: number, tcb: Tcb): void {
    this.tcb = tcb;
    this.state = 'established';
    this.timers.disarm('t1');
    // DATA that rode with our COOKIE-ECHO stays in flight on the same sender
    const { send, cc } = this.early ?? this.sendSide(tcb);
    this.early = undefined;
    const recv = new Receiver(tcb.peerInitialTsn, this.opts.receiveWindow, 65535, (m) => this.events.push({ type: 'message', ...m }));
    recv.setAdvertisedWindow(this.advertisedWindow);
    const reset = new StreamReset(tcb.myInitialTsn, tcb.peerInitialTsn, {
      lastAssignedTsn: () => (send.nextTsn - 1) >>> 0,
      receivedCumTsn: () => recv.cumTsn,
      queuedMessages: (id) => this.queue.queuedMessages(id),
      resetOutgoing: (id) => this.queue.resetStream(id),
      resetIncoming: (id) => recv.reassembly.resetStream(id),
      incomingUnused: (id) => recv.reassembly.orderedUnused(id),
      peerClosing: (ids) => ids.length > 0 && this.events.push({ type: 'stream-closing', streamIds: ids }),
      streamsReset: (ids) => this.events.push({ type: 'stream-reset', streamIds: ids }),
    });
    this.est = { recv, send, cc, reset };
    if (send.needsT3) this.timers.arm('t3', now + this.rto.timer(0));
    this.lastSend = now;
    if (this.opts.heartbeatInterval > 0) this.timers.arm('heartbeat', now + this.opts.heartbeatInterval);
    // PAD probes only towards a peer that lists PAD (handshake.ts); others stay at the base size
    if (tcb.peerPad) this.pmtu.start(now, PMTU_START_DELAY);
    this.pmtuChanged();
    this.log.log('debug', 'established', { outStreams: tcb.outStreams, peerZeroChecksum: tcb.peerZeroChecksum });
    this.events.push({ type: 'connected' });
  }

  /** The largest DATA payload new fragments are cut to (Plpmtud.fragmentSize less the headers). */
  private maxDataPayload(): number {
    return this.pmtu.fragmentSize - COMMON_HEADER_SIZE - DATA_HEADER_SIZE;
  }

  /** After any PLPMTUD call: congestion control counts in the current packet size, fragments are cut for the fragment size; timer re-armed. */
  pmtuChanged(): void {
    if (this.est) {
      this.est.cc.mtu = this.pmtu.size;
      this.est.send.maxPayload = this.maxDataPayload();
    }
    const d = this.pmtu.deadline;
    if (d === undefined || this.terminated) this.timers.disarm('pmtu');
    else this.timers.arm('pmtu', d);
  }

  /** Ends the association: no more input or output, one 'closed' event. */
  closeWith(reason: string, error: boolean): void {
    if (this.terminated) return;
    this.terminated = true;
    this.state = 'closed';
    this.timers.clear();
    this.ctrl = [];
    this.log.log(error ? 'warn' : 'debug', 'closed', { reason });
    this.events.push({ type: 'closed', reason, error });
  }
}
