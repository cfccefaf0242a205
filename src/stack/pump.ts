/**
 * Moves bytes and events between DTLS, SCTP and the channel registry inside PeerStack: SCTP packets
 * go down into DTLS records, DTLS records go down to ICE (`sendDown`), DTLS data goes up into SCTP,
 * SCTP messages go up to the registry. `run` loops until no layer has anything left (driver rule).
 */
import { isUsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import { minDeadline } from '../core/deadlines.js';
import type { ChannelRegistry } from '../dcep/registry.js';
import type { DtlsRole } from '../sdp/roles.js';
import type { DtlsTransportState } from './connection-state.js';
import type { DtlsPort, DtlsPortEvent, SctpPort, SctpPortEvent } from './ports.js';

export interface PumpHooks {
  dtlsState(state: DtlsTransportState): void;
}

export class TransportPump {
  private dtls: DtlsPort | undefined;
  private sctp: SctpPort | undefined;
  private makeSctp: (() => SctpPort) | undefined;
  private started = false;

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

  run(now: Millis, sendDown: (data: Uint8Array) => boolean): void {
    for (let progress = true; progress; ) {
      progress = false;
      const dtls = this.dtls;
      if (!dtls) return;
      for (let t = dtls.pollTransmit(); t; t = dtls.pollTransmit()) {
        progress = true;
        if (!sendDown(t)) this.logger.log('debug', 'DTLS record dropped: no selected pair');
      }
      for (let ev = dtls.pollEvent(); ev; ev = dtls.pollEvent()) {
        progress = true;
        this.onDtls(now, ev);
      }
      const sctp = this.sctp;
      if (!sctp) continue;
      if (this.sctpDown(now, sctp, dtls)) progress = true;
      for (let ev = sctp.pollEvent(); ev; ev = sctp.pollEvent()) {
        progress = true;
        this.onSctp(now, sctp, ev);
      }
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
      case 'connected':
        this.hooks.dtlsState('connected');
        if (!this.sctp && this.makeSctp) this.startSctp(now, this.makeSctp);
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

  /** Both ends connect; INIT collision is SCTP's job (RFC 9260 §5.2). Options come from remote SDP. */
  private startSctp(now: Millis, make: () => SctpPort): void {
    try {
      this.sctp = make();
      this.sctp.connect(now);
    } catch (e) {
      if (!isUsageError(e)) throw e;
      this.logger.log('error', 'SCTP could not start with the negotiated parameters', { code: e.code, error: e.message });
      this.hooks.dtlsState('failed');
    }
  }

  private onSctp(now: Millis, sctp: SctpPort, ev: SctpPortEvent): void {
    switch (ev.type) {
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
