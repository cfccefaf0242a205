/**
 * Moves bytes and events between DTLS, SCTP and the channel registry inside PeerStack: SCTP packets
 * go down into DTLS records, DTLS records go down to ICE (`sendDown`), DTLS data goes up into SCTP,
 * SCTP messages go up to the registry. `run` loops until no layer has anything left (driver rule).
 */
import { isUsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import { minDeadline } from '../core/deadlines.js';
import { packetSlab } from '../core/bytes/slab.js';
import type { ChannelRegistry } from '../dcep/registry.js';
import type { DtlsRole } from '../sdp/roles.js';
import type { DtlsTransportState } from './connection-state.js';
import type { DtlsPort, DtlsPortEvent, SctpPort, SctpPortEvent } from './ports.js';

/** Largest datagram several DTLS records are put together in (fits any WebRTC path, as SCTP's base packet). */
const COALESCE_MAX = 1200;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = packetSlab.alloc(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Application-data records in `b` when it is a sequence of whole DTLS 1.2 records (RFC 6347 §4.1
 * header, version FE FD), else -1.
 */
function appRecords(b: Uint8Array): number {
  let o = 0;
  let n = 0;
  while (o + 13 <= b.length && b[o + 1] === 0xfe && b[o + 2] === 0xfd) {
    if (b[o] === 23) n++;
    o += 13 + (((b[o + 11] as number) << 8) | (b[o + 12] as number));
  }
  return o === b.length ? n : -1;
}

/**
 * Whether `next` may share `held`'s datagram: both whole records, small, and at most ONE
 * application-data record per datagram, the last one: libdatachannel reads one record per datagram
 * after its handshake (one SSL_read per datagram), so a second one would wait for the next datagram,
 * and every record after it too (interop loopback-peers: sends stalled for seconds).
 */
function mayShare(held: Uint8Array, next: Uint8Array): boolean {
  // held[0] === 23: an application-data record leads it, the whole data path after the handshake (no scan)
  return held[0] !== 23 && held.length + next.length <= COALESCE_MAX && appRecords(held) === 0 && appRecords(next) >= 0;
}

/** A datagram of whole DTLS records none of which is application data: part of a handshake flight. */
export function isHandshakeDatagram(b: Uint8Array): boolean {
  return appRecords(b) === 0;
}

export interface PumpHooks {
  dtlsState(state: DtlsTransportState): void;
  /** A handshake flight is about to go down: earlier copies still waiting for a valid pair are obsolete (recordsDown). */
  flightOut(): void;
  /** The remote description is in, so SCTP can be made (`prepare`); before it, making it would throw. */
  canMakeSctp(): boolean;
}

export class TransportPump {
  private dtls: DtlsPort | undefined;
  private sctp: SctpPort | undefined;
  private makeSctp: (() => SctpPort) | undefined;
  private started = false;
  /** SCTP was made in this pass and connects after the pass's DTLS events (see startSctp). */
  private connectSctp = false;
  /** DTLS connected after SCTP started on a false start: check after the pass that our INIT was answered. */
  private checkInit = false;
  /** A SNAP association made at our false start: established once our Finished flight has left. */
  private connectAfterFlight = false;
  /** SCTP made ahead (`prepare`), used when DTLS is up; `prepareDue` once a handshake flight left. */
  private prepared: SctpPort | undefined;
  private prepareDue = false;

  constructor(
    private readonly registry: ChannelRegistry,
    private readonly logger: Logger,
    private readonly hooks: PumpHooks,
  ) {}

  attach(dtls: DtlsPort, _role: DtlsRole, makeSctp: () => SctpPort): void {
    this.dtls = dtls;
    this.makeSctp = makeSctp;
  }

  /** The DTLS client sends its ClientHello (once). */
  startClient(now: Millis): void {
    if (this.started || !this.dtls) return;
    this.started = true;
    this.dtls.start(now);
  }

  /**
   * One pass: DTLS events (records in, SCTP started), SCTP events (the registry answers what came in),
   * SCTP packets down into records, then the records out. Events before transmits, so that what the
   * layers above answer rides in the same packet (DCEP ACK with the SACK) and the same datagram (the
   * DTLS server's Finished and its SCTP INIT leave together, and the peer reads them in one batch).
   */
  run(now: Millis, sendDown: (data: Uint8Array) => boolean): void {
    for (let progress = true; progress; ) {
      progress = false;
      const dtls = this.dtls;
      if (!dtls) return;
      for (let ev = dtls.pollEvent(); ev; ev = dtls.pollEvent()) {
        progress = true;
        this.onDtls(now, ev);
      }
      const sctp = this.sctp;
      if (sctp) {
        if (this.connectSctp) this.connect(now, sctp);
        if (this.checkInit) {
          // the server's Finished came without an INIT-ACK after it: that was lost with the first copy
          this.checkInit = false;
          sctp.retryInit(now);
        }
        for (let ev = sctp.pollEvent(); ev; ev = sctp.pollEvent()) {
          progress = true;
          this.onSctp(now, sctp, ev);
        }
        if (this.sctpDown(now, sctp, dtls)) progress = true;
      }
      if (this.recordsDown(dtls, sendDown)) progress = true;
      if (this.connectAfterFlight) {
        this.connectAfterOurFlight(now);
        progress = true;
      }
    }
  }

  /**
   * DTLS records to ICE, one datagram each, except that a last flight (ChangeCipherSpec, Finished)
   * takes the SCTP packet that follows it (RFC 6347 §4.1.1: several records per datagram): the
   * server's INIT, so the client reads both at once and answers the INIT instead of sending its own;
   * on a false start the client's INIT, and the server's INIT-ACK answering it (see `mayShare`).
   */
  private recordsDown(dtls: DtlsPort, sendDown: (data: Uint8Array) => boolean): boolean {
    let held = dtls.pollTransmit();
    if (!held) return false;
    if (!this.sctp && !this.prepared) this.prepareDue = true; // a handshake flight: the peer takes a while
    // DTLS sends one flight per pass, first or again. A flight going out makes every earlier copy that
    // still waits for a valid pair obsolete (DTLS only moves on to its next flight once the peer has
    // the previous one): without this, each ClientHello retransmitted before the pair is valid queued
    // another copy of the server's flight, all sent at once when it became valid (up to 13 at 20% loss).
    if (held[0] !== 23 && isHandshakeDatagram(held)) this.hooks.flightOut(); // 23: the data path, no scan
    for (let t = dtls.pollTransmit(); t; t = dtls.pollTransmit()) {
      if (mayShare(held, t)) {
        held = concat(held, t);
        continue;
      }
      this.down(held, sendDown);
      held = t;
    }
    this.down(held, sendDown);
    return true;
  }

  private down(data: Uint8Array, sendDown: (data: Uint8Array) => boolean): void {
    if (!sendDown(data)) this.logger.log('debug', 'DTLS record dropped: no selected pair');
  }

  /**
   * Makes the SCTP association while the peer works on our DTLS flight (0.1 to 0.3 ms in a process's
   * first connections, issue 6 setup), instead of when the handshake completes; it connects then.
   */
  prepare(): void {
    if (!this.prepareDue) return;
    // a server that began on an early ClientHello sends its flight before the answer: it stays due
    // and is made at the first prepare() after the answer, not at the DTLS handshake's end
    if (!this.hooks.canMakeSctp()) return;
    this.prepareDue = false;
    if (this.sctp || this.prepared || !this.makeSctp) return;
    try {
      this.prepared = this.makeSctp();
    } catch (e) {
      if (!isUsageError(e)) throw e; // startSctp makes it again and reports the error
    }
  }

  handleTimeout(now: Millis): void {
    this.dtls?.handleTimeout(now);
    this.sctp?.handleTimeout(now);
  }

  pollTimeout(): Millis | undefined {
    return minDeadline(this.dtls?.pollTimeout(), this.sctp?.pollTimeout());
  }

  /** Tells the peer: SCTP ABORT (channels gone at once, as a closing browser tab) and close_notify. */
  close(now: Millis): void {
    if (this.sctp && this.dtls) {
      this.sctp.abort(now);
      this.sctpDown(now, this.sctp, this.dtls); // the ABORT must be sealed before close_notify
    }
    this.dtls?.close(now);
  }

  /** SCTP packets into DTLS records; dropped (and logged) when DTLS cannot send any more. */
  private sctpDown(now: Millis, sctp: SctpPort, dtls: DtlsPort): boolean {
    let moved = false;
    for (let t = sctp.pollTransmit(); t; t = sctp.pollTransmit()) {
      moved = true;
      try {
        dtls.send(now, t);
      } catch (e) {
        if (!isUsageError(e)) throw e;
        this.logger.log('debug', 'SCTP packet dropped: DTLS not connected', { code: e.code });
      }
    }
    return moved;
  }

  private onDtls(now: Millis, ev: DtlsPortEvent): void {
    switch (ev.type) {
      case 'writable':
        // the client's false start: our INIT leaves in the datagram of our Finished (see recordsDown),
        // the server answers it with its Finished: one trip less than the server's INIT would take
        if (!this.sctp && this.makeSctp) this.startSctp(now, this.makeSctp, true);
        break;
      case 'connected':
        if (this.connectAfterFlight) this.connectAfterOurFlight(now); // before the records that follow
        this.hooks.dtlsState('connected');
        if (!this.sctp && this.makeSctp) this.startSctp(now, this.makeSctp);
        else if (this.sctp) this.checkInit = true;
        break;
      case 'data':
        this.sctp?.handleInput(now, ev.data);
        break;
      case 'closed':
        this.hooks.dtlsState('closed');
        this.registry.transportClosed();
        break;
      case 'failed':
        this.logger.log('warn', 'DTLS failed', { error: ev.error.message });
        this.hooks.dtlsState('failed');
        this.registry.transportClosed();
        break;
    }
  }

  /**
   * SCTP is made when DTLS is up (options from the remote SDP). It connects once the DTLS events of
   * this read batch are handled (`run`): if the peer's INIT came with them, SCTP answers it instead of
   * crossing it with its own (RFC 9260 §5.2.1 collisions are still handled when the INITs do cross).
   * No waiting: without an INIT in hand our INIT leaves at once. With SNAP (src/stack/snap.ts) there is
   * no INIT to cross: the association is established here, before the records of this batch that
   * follow the Finished (the peer's first DATA may ride with it) reach it.
   */
  private startSctp(now: Millis, make: () => SctpPort, falseStart = false): void {
    try {
      const sctp = (this.sctp = this.prepared ?? make());
      this.prepared = undefined;
      this.connectSctp = true;
      if (sctp.snap !== true) return;
      // at a false start there is no INIT to bundle: our Finished flight leaves first, and the 0.2 ms
      // of establishing (and of the channels' OPEN) runs while the server reads it
      if (falseStart) {
        this.connectSctp = false;
        this.connectAfterFlight = true;
      } else this.connect(now, sctp);
    } catch (e) {
      if (!isUsageError(e)) throw e;
      this.logger.log('error', 'SCTP could not start with the negotiated parameters', { code: e.code, error: e.message });
      this.hooks.dtlsState('failed');
    }
  }

  /** The SNAP association held back at our false start (startSctp), once our flight is out. */
  private connectAfterOurFlight(now: Millis): void {
    this.connectAfterFlight = false;
    if (this.sctp) this.connect(now, this.sctp);
  }

  private connect(now: Millis, sctp: SctpPort): void {
    this.connectSctp = false;
    try {
      sctp.connect(now);
    } catch (e) {
      if (!isUsageError(e)) throw e;
      this.logger.log('debug', 'SCTP connect refused', { code: e.code });
    }
  }

  private onSctp(now: Millis, sctp: SctpPort, ev: SctpPortEvent): void {
    switch (ev.type) {
      case 'cookie-echoed':
        this.registry.transportStarting(now, sctp, sctp.maxStreams);
        break;
      case 'connected':
        this.registry.transportReady(now, sctp, sctp.maxStreams);
        break;
      case 'message':
        this.registry.handleMessage(now, ev.streamId, ev.ppid, ev.data);
        break;
      case 'stream-closing':
        this.registry.handleStreamClosing(ev.streamIds);
        break;
      case 'stream-reset':
        this.registry.handleStreamReset(ev.streamIds);
        break;
      case 'buffered-amount-low':
        break;
      case 'closed':
        this.logger.log('debug', 'SCTP closed', { reason: ev.reason });
        this.registry.transportClosed();
        break;
    }
  }
}
