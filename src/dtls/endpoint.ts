import { Deadlines } from '../core/deadlines.js';
import { ProtocolError, UsageError, isParseError } from '../core/errors.js';
import { Queue } from '../core/event-queue.js';
import type { Millis, SansIoLayer } from '../core/types.js';
import { AlertDescription, AlertLevel, ContentType, type NamedGroupId } from './constants.js';
import { aeadOverhead } from './cipher/suites.js';
import { keyBlock } from './cipher/prf.js';
import { alertName } from './alert.js';
import type { DtlsEvent, DtlsState } from './events.js';
import { certificateFingerprint, certificateMatches, validateFingerprints, type ExpectedFingerprint, type Fingerprint } from './fingerprint.js';
import { HandshakeAbort, type FlightItem, type HandshakeContext, type HandshakeHost } from './handshake/context.js';
import { decodeHandshakeFragments, type HandshakeFragment } from './handshake/header.js';
import { HandshakeMachine } from './handshake/machine.js';
import { OUR_GROUPS } from './handshake/common.js';
import { HandshakeReassembler } from './handshake/reassembly.js';
import { recordLimit, resolveDtlsOptions, type DtlsOptions, type ResolvedDtlsOptions } from './options.js';
import { RECORD_HEADER_LENGTH, decodeRecords, type RawRecord } from './record/header.js';
import { packFlight } from './record/flight-packer.js';
import { RecordLayer, type RecordStats } from './record/layer.js';
import { RecordProtection } from './record/protect.js';

/**
 * Least time between two answers to a peer's retransmitted flight. It folds the datagrams of one
 * retransmitted flight (a few ms apart at most) and network duplicates into one answer, and stays
 * below the shortest first retransmission timer peers use (50 ms: NSS, libwebrtc), so every real
 * retransmission of theirs, e.g. a ClientHello whose answer was lost, is answered at once.
 */
const RESEND_GAP_MS = 25;

/**
 * A DTLS 1.2 endpoint (RFC 6347) as a sans-IO stacked layer: datagrams from ICE in through
 * handleInput, datagrams for ICE out through pollTransmit, application data both ways. See index.ts.
 */
export class DtlsEndpoint implements SansIoLayer<DtlsEvent>, HandshakeHost {
  options: ResolvedDtlsOptions;
  private readonly layer = new RecordLayer();
  private readonly machine: HandshakeMachine;
  private readonly reassembler: HandshakeReassembler;
  private readonly timers = new Deadlines<'rtx' | 'handshake'>();
  private readonly transmits = new Queue<Uint8Array>();
  private readonly events = new Queue<DtlsEvent>();
  private earlyRecords: RawRecord[] = [];
  private pendingData: Uint8Array[] = [];
  private lastFlight: FlightItem[] = [];
  private lastSentAt = -Infinity;
  private rto: number;
  private resendWanted = false;
  /** A ChangeCipherSpec that overtook the message giving us the keys (applied once they exist). */
  private earlyCcs = false;
  private writeEpoch = 0;
  private now: Millis = 0;
  private remoteFingerprints: readonly Fingerprint[];
  /** remoteFingerprints as bytes (parsed once, not per handshake message). */
  private expected: readonly ExpectedFingerprint[];
  /** The peer certificate that matched `expected` (checked once: at its arrival, not again at completion). */
  private matchedCertificate: Uint8Array | undefined;
  private stateValue: DtlsState = 'new';
  /** A false start is under way: our Finished is out, send() works before 'connected'. */
  private earlyWritable = false;
  readonly cookieSecret: Uint8Array;

  constructor(options: DtlsOptions) {
    this.options = resolveDtlsOptions(options);
    this.remoteFingerprints = this.options.remoteFingerprints;
    this.expected = this.options.expectedFingerprints;
    this.rto = this.options.initialRetransmitMs;
    this.cookieSecret = this.options.rng.bytes(32);
    this.reassembler = new HandshakeReassembler(this.options.reassembly);
    this.machine = new HandshakeMachine(this, this.options.role);
    this.options.crypto.prepareKeyShare?.(OUR_GROUPS[0] as NamedGroupId); // made while we wait for the peer
  }

  // ---- HandshakeHost ----
  get crypto() { return this.options.crypto; } // prettier-ignore
  get rng() { return this.options.rng; } // prettier-ignore
  get logger() { return this.options.logger; } // prettier-ignore
  get certificate() { return this.options.certificate; } // prettier-ignore
  get cipherSuites() { return this.options.cipherSuites; } // prettier-ignore
  get cookieExchange() { return this.options.cookieExchange; } // prettier-ignore
  get extraClientHelloExtensions() { return this.options.extraClientHelloExtensions; } // prettier-ignore
  get readEpoch(): number { return this.layer.readEpoch; } // prettier-ignore

  get state(): DtlsState {
    return this.stateValue;
  }

  /**
   * Largest application payload whose record still fits the MTU (mtu - 13-byte header - AEAD
   * overhead; before the suite is known, the largest overhead of our suites, 24). Size SCTP packets by it.
   */
  get maxPayload(): number {
    const suite = this.machine.ctx.suite;
    return Math.min(this.options.maxRecordPlaintext, this.options.mtu - RECORD_HEADER_LENGTH - (suite === undefined ? 24 : aeadOverhead(suite)));
  }

  /** Drop counters for tests and diagnostics. */
  get stats(): Readonly<RecordStats> {
    return this.layer.stats;
  }

  /** Client: send the ClientHello. Server: nothing to do (waits for one). Idempotent. */
  start(now: Millis): void {
    this.now = now;
    if (this.stateValue !== 'new' || this.options.role === 'server') return; // a server starts at the first datagram
    this.beginHandshake();
    this.guard(() => this.machine.start());
  }

  /**
   * The peer's description arrived after the handshake began (a server started by a ClientHello
   * embedded in a check, src/ice/sped.ts): its fingerprints, and the record size it reads.
   */
  setRemote(now: Millis, list: readonly Fingerprint[], peer: { readonly maxRecordPlaintext?: number }): void {
    if (peer.maxRecordPlaintext !== undefined) this.options = Object.assign({}, this.options, { maxRecordPlaintext: recordLimit(peer.maxRecordPlaintext) });
    this.setRemoteFingerprints(now, list);
  }

  /** Sets (or replaces) the peer's fingerprints; completes a handshake that was waiting for them. */
  setRemoteFingerprints(now: Millis, list: readonly Fingerprint[]): void {
    const expected = validateFingerprints(list);
    this.now = now;
    this.remoteFingerprints = list;
    this.expected = expected;
    this.matchedCertificate = undefined;
    if (this.stateValue === 'verifying' && list.length > 0) this.guard(() => this.finishVerification());
  }

  /** Sends one application-data record. Throws UsageError unless connected (or writable) or when too large. */
  send(now: Millis, data: Uint8Array): void {
    this.now = now;
    if (this.stateValue !== 'connected' && !(this.earlyWritable && this.stateValue === 'handshaking')) throw new UsageError('dtls.not-connected', `cannot send in state ${this.stateValue}`);
    const limit = this.options.maxRecordPlaintext;
    if (data.length > limit) throw new UsageError('dtls.too-large', `${data.length} bytes exceeds the DTLS record limit ${limit}`);
    this.transmits.push(this.layer.seal(ContentType.applicationData, 1, data));
  }

  /** Sends close_notify (RFC 5246 §7.2.1) and closes. */
  close(now: Millis): void {
    this.now = now;
    if (this.isOver()) return;
    if (this.stateValue !== 'new') this.sendAlert(AlertLevel.warning, AlertDescription.closeNotify);
    this.enterClosed();
  }

  handleInput(now: Millis, data: Uint8Array): void {
    this.now = now;
    if (this.stateValue === 'closed' || this.stateValue === 'failed') return;
    if (this.stateValue === 'new' && this.options.role === 'server') this.beginHandshake();
    const records: RawRecord[] = [];
    try {
      decodeRecords(data, records);
    } catch (e: unknown) {
      if (!isParseError(e)) throw e;
      this.layer.stats.malformed++;
    }
    for (let i = 0; i < records.length; i++) {
      if (this.isOver()) return;
      this.processRecord(records[i] as RawRecord);
    }
    this.answerRetransmission();
  }

  handleTimeout(now: Millis): void {
    this.now = now;
    const due = this.timers.takeDue(now);
    for (let i = 0; i < due.length; i++) {
      const key = due[i] as 'rtx' | 'handshake';
      if (key === 'handshake') {
        this.fail(new HandshakeAbort(AlertDescription.handshakeFailure, 'dtls.handshake.timeout', `handshake not complete after ${this.options.handshakeTimeoutMs} ms`));
        return;
      }
      // RFC 6347 §4.2.4.1: double the timer on each retransmission, up to the cap.
      this.rto = Math.min(this.rto * 2, this.options.maxRetransmitMs);
      this.transmitFlight();
      this.layer.stats.retransmittedFlights++;
      this.timers.arm('rtx', now + this.rto);
    }
  }

  pollTransmit(): Uint8Array | undefined {
    return this.transmits.length > 0 ? this.transmits.shift() : undefined; // no call for an empty poll (issue 6)
  }

  pollEvent(): DtlsEvent | undefined {
    return this.events.length > 0 ? this.events.shift() : undefined;
  }

  pollTimeout(): Millis | undefined {
    return this.timers.earliest();
  }

  private isOver(): boolean {
    return this.stateValue === 'closed' || this.stateValue === 'failed';
  }

  private beginHandshake(): void {
    this.stateValue = 'handshaking';
    this.timers.arm('handshake', this.now + this.options.handshakeTimeoutMs);
  }

  // ---- records ----
  private processRecord(rec: RawRecord): void {
    const epoch = rec.header.epoch;
    if (epoch > this.layer.readEpoch) {
      this.keepEarly(rec);
      return;
    }
    const plain = this.layer.open(rec);
    if (plain === undefined) return;
    switch (rec.header.contentType) {
      case ContentType.handshake:
        this.onHandshakeRecord(plain);
        break;
      case ContentType.changeCipherSpec:
        this.onChangeCipherSpec(plain);
        break;
      case ContentType.alert:
        // Unprotected alerts only count while the peer has not switched epochs.
        if (epoch === this.layer.readEpoch) this.onAlert(plain);
        break;
      case ContentType.applicationData:
        // RFC 6347 §4.1 / RFC 5246 §7.1: application data is only ever protected (epoch ≥ 1).
        if (epoch === 0) this.layer.stats.malformed++;
        else this.onApplicationData(plain);
        break;
      default:
        this.layer.stats.malformed++; // RFC 5246 §6: unknown content types are ignored
    }
  }

  /** Bounded buffer for records of the next epoch that overtook the ChangeCipherSpec. */
  private keepEarly(rec: RawRecord): void {
    if (rec.header.epoch !== 1 || this.layer.readEpoch !== 0 || this.earlyRecords.length >= this.options.maxEarlyRecords) {
      this.layer.stats.earlyDropped++;
      return;
    }
    this.earlyRecords.push({ header: rec.header, fragment: rec.fragment.slice(), headerBytes: rec.headerBytes.slice() });
  }

  private onChangeCipherSpec(plain: Uint8Array): void {
    if (plain.length !== 1 || plain[0] !== 1) {
      this.layer.stats.malformed++;
      return;
    }
    if (this.layer.readEpoch === 0 && !this.layer.advanceReadEpoch()) this.earlyCcs = true; // keys not derived yet
    else this.processEarlyRecords();
  }

  private applyEarlyCcs(): void {
    if (!this.earlyCcs || !this.layer.advanceReadEpoch()) return;
    this.earlyCcs = false;
    this.processEarlyRecords();
  }

  private processEarlyRecords(): void {
    const early = this.earlyRecords;
    this.earlyRecords = [];
    for (let i = 0; i < early.length; i++) this.processRecord(early[i] as RawRecord);
  }

  private onHandshakeRecord(plain: Uint8Array): void {
    let frags;
    try {
      frags = decodeHandshakeFragments(plain);
    } catch (e: unknown) {
      if (!isParseError(e)) throw e;
      this.layer.stats.malformed++;
      return;
    }
    for (let i = 0; i < frags.length; i++) {
      const r = this.reassembler.push(frags[i] as HandshakeFragment);
      if (r === 'old') this.resendWanted = true;
      else if (r === 'dropped') this.layer.stats.handshakeDropped++;
    }
    this.guard(() => {
      for (let m = this.reassembler.pop(); m !== undefined; m = this.reassembler.pop()) {
        if (!this.machine.onMessage(m)) {
          throw new HandshakeAbort(AlertDescription.unexpectedMessage, 'dtls.unexpected-message', `unexpected handshake message ${m.msgType} in ${this.machine.state}`);
        }
        if (this.stateValue === 'failed' || this.stateValue === 'closed') return;
      }
    });
    this.applyEarlyCcs();
  }

  private onAlert(plain: Uint8Array): void {
    if (plain.length !== 2) {
      this.layer.stats.malformed++;
      return;
    }
    const level = plain[0] as number;
    const desc = plain[1] as number;
    if (desc === AlertDescription.closeNotify) {
      this.sendAlert(AlertLevel.warning, AlertDescription.closeNotify);
      this.enterClosed();
    } else if (level === AlertLevel.fatal) {
      this.enterFailed(new ProtocolError(`dtls.alert.${alertName(desc)}`, `peer sent fatal alert ${alertName(desc)} (${desc})`));
    }
  }

  private onApplicationData(plain: Uint8Array): void {
    if (this.stateValue === 'connected') this.events.push({ type: 'data', data: plain });
    // Data that overtook the peer's Finished, or arrives before the remote fingerprints: held (bounded).
    else if (this.pendingData.length < this.options.maxEarlyRecords) this.pendingData.push(plain);
    else this.layer.stats.earlyDropped++;
  }

  /**
   * The path just became usable (ICE selected a pair). Flights sent before waited for it, or were
   * replaced while waiting, so the doubled timeout measured no network loss: the next resend comes
   * at the initial timeout again, not after up to `maxRetransmitMs`.
   */
  restartRetransmitTimer(now: Millis): void {
    this.now = now;
    if (!this.timers.isArmed('rtx')) return;
    this.rto = this.options.initialRetransmitMs;
    this.timers.arm('rtx', now + this.rto);
  }

  // ---- flights ----
  sendFlight(items: FlightItem[], awaitReply: boolean): void {
    this.lastFlight = items;
    this.transmitFlight();
    if (items.some((i) => i.kind === 'ccs')) {
      this.writeEpoch = 1;
      this.falseStart();
    }
    if (awaitReply) {
      this.rto = this.options.initialRetransmitMs;
      this.timers.arm('rtx', this.now + this.rto);
    } else {
      this.timers.disarm('rtx');
    }
  }

  private transmitFlight(): void {
    const suite = this.machine.ctx.suite;
    const overhead = (epoch: number): number => (epoch > 0 && suite !== undefined ? aeadOverhead(suite) : 0);
    const datagrams = packFlight(this.lastFlight, this.options.mtu, this.layer, overhead);
    for (let i = 0; i < datagrams.length; i++) this.transmits.push(datagrams[i] as Uint8Array);
    this.lastSentAt = this.now;
  }

  /**
   * Client, after its Finished: application data may go now when the options allow a false start and
   * the server has proved the certificate of its fingerprint (its ServerKeyExchange signature was
   * verified before our flight was made). Not when the fingerprint check waits for the remote description.
   */
  private falseStart(): void {
    if (!this.options.falseStart || this.earlyWritable || this.stateValue !== 'handshaking') return;
    if (this.matchedCertificate === undefined || this.matchedCertificate !== this.machine.ctx.peerCertificate) return;
    this.earlyWritable = true;
    this.events.push({ type: 'writable' });
  }

  /** RFC 6347 §4.2.4: a retransmitted peer flight means ours was lost; send it again (also after finishing). */
  private answerRetransmission(): void {
    if (!this.resendWanted) return;
    this.resendWanted = false;
    // §4.2.4: once finished, only the sender of the last flight (the server, in a full handshake) answers.
    if (this.stateValue === 'connected' && this.options.role === 'client') return;
    if (this.lastFlight.length === 0 || this.now - this.lastSentAt < RESEND_GAP_MS) return;
    if (this.stateValue !== 'handshaking' && this.stateValue !== 'connected' && this.stateValue !== 'verifying') return;
    this.transmitFlight();
    this.layer.stats.retransmittedFlights++;
    // §4.2.4's state machine sets the timer again after this resend: the one running would fire
    // while this copy is still on its way and send the flight twice within one round trip
    if (this.timers.isArmed('rtx')) this.timers.arm('rtx', this.now + this.rto);
  }

  installKeys(ctx: HandshakeContext): void {
    const suite = ctx.requireSuite();
    const kb = keyBlock(this.crypto, suite.prfHash, ctx.requireMaster(), ctx.clientRandom, ctx.serverRandom, suite.keyLength, suite.fixedIvLength);
    const client = new RecordProtection(this.crypto, suite, kb.clientWriteKey, kb.clientWriteIv);
    const server = new RecordProtection(this.crypto, suite, kb.serverWriteKey, kb.serverWriteIv);
    if (this.options.role === 'client') this.layer.installKeys(client, server);
    else this.layer.installKeys(server, client);
  }

  // ---- certificate check and completion ----
  checkPeerCertificate(der: Uint8Array, sha256?: Uint8Array): void {
    if (this.remoteFingerprints.length === 0 || der === this.matchedCertificate) return; // deferred to setRemoteFingerprints(), or done
    if (!certificateMatches(this.crypto, der, this.expected, sha256)) {
      throw new HandshakeAbort(
        AlertDescription.badCertificate,
        'dtls.certificate.fingerprint',
        `remote certificate fingerprint sha-256 ${certificateFingerprint(this.crypto, der)} matches none of the expected: ${this.remoteFingerprints.map((f) => `${f.algorithm} ${f.value}`).join(', ')}`,
      );
    }
    this.matchedCertificate = der;
  }

  completed(ctx: HandshakeContext): void {
    ctx.transcript.release();
    this.timers.disarm('handshake');
    if (this.options.role === 'client') this.timers.disarm('rtx');
    this.stateValue = 'verifying';
    if (this.remoteFingerprints.length > 0) this.finishVerification();
  }

  private finishVerification(): void {
    const ctx = this.machine.ctx;
    const cert = ctx.peerCertificate;
    const suite = ctx.requireSuite();
    if (cert === undefined) throw new HandshakeAbort(AlertDescription.handshakeFailure, 'dtls.certificate.missing', 'no peer certificate');
    this.checkPeerCertificate(cert);
    this.stateValue = 'connected';
    this.events.push({ type: 'connected', cipherSuite: suite.name, cipherSuiteId: suite.id, remoteCertificate: cert, srtpProfile: ctx.srtpProfile });
    const pending = this.pendingData;
    for (let i = 0; i < pending.length; i++) this.events.push({ type: 'data', data: pending[i] as Uint8Array });
    this.pendingData = [];
  }

  // ---- failure and closing ----
  /** Runs handshake work; a HandshakeAbort or ParseError fails the endpoint with an alert. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e: unknown) {
      if (e instanceof HandshakeAbort) this.fail(e);
      else if (isParseError(e)) this.fail(new HandshakeAbort(AlertDescription.decodeError, e.code, e.message));
      else throw e;
    }
  }

  private fail(e: HandshakeAbort): void {
    this.sendAlert(AlertLevel.fatal, e.alert);
    this.enterFailed(e);
  }

  private sendAlert(level: number, desc: number): void {
    const epoch = this.writeEpoch > 0 && this.layer.hasWriteKeys ? 1 : 0;
    this.transmits.push(this.layer.seal(ContentType.alert, epoch, Uint8Array.of(level, desc)));
  }

  private enterFailed(error: ProtocolError): void {
    this.options.logger.log('warn', 'dtls failed', { code: error.code, message: error.message });
    this.stateValue = 'failed';
    this.timers.clear();
    this.events.push({ type: 'failed', error });
  }

  private enterClosed(): void {
    this.stateValue = 'closed';
    this.timers.clear();
    this.events.push({ type: 'closed' });
  }
}
