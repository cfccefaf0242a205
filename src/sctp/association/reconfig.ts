import type { OutgoingResetParam, Param, ReconfigResponseParam } from '../params/index.js';
import { RECONFIG_RESULT } from '../params/index.js';
import { tsnAdd, tsnLe } from './tsn.js';

/** The empty answer of takeResponses (never written to: callers only iterate it). */
const NONE: ReconfigResponseParam[] = [];

/** What the association provides to stream reset. */
export interface ReconfigHost {
  /** Our last assigned TSN (nextTsn - 1). */
  lastAssignedTsn(): number;
  /** The peer's cumulative TSN as we received it. */
  receivedCumTsn(): number;
  /** Messages of this stream still waiting to be cut into DATA chunks. */
  queuedMessages(streamId: number): number;
  resetOutgoing(streamId: number): void;
  resetIncoming(streamId: number): void;
  /** The peer has not sent an ordered message on this stream since it was last reset (its SSN is 0). */
  incomingUnused(streamId: number): boolean;
  /** The peer began closing these streams (its outgoing direction). */
  peerClosing(streamIds: number[]): void;
  /** Both directions are reset: the ids may be reused. */
  streamsReset(streamIds: number[]): void;
}

interface Request {
  readonly seq: number;
  readonly streamIds: number[];
  readonly lastTsn: number;
}

/** Bound on peer requests waiting for their data ("in progress"); more are refused (RFC 6525 result 4). */
export const MAX_WAITING_REQUESTS = 64;

/**
 * Stream reset (RFC 6525) as data channels use it (RFC 8831 §6.7, protocol.md 2.7):
 * - our close: an Outgoing SSN Reset Request once the stream's queued data has left, one request in
 *   flight at a time, retransmitted on timeout and on "in progress";
 * - the peer's close: answer, reset the incoming stream once every TSN up to the peer's last assigned
 *   TSN has arrived (else "in progress"), and reset our own direction too (the reciprocal reset Chrome
 *   waits for, pion/sctp#187);
 * - a stream id is reported free ('stream-reset') only when both directions are reset.
 */
export class StreamReset {
  private nextReqSeq: number;
  private peerNextSeq: number;
  private readonly pending = new Set<number>();
  inflight: Request | undefined;
  /** The request must be (re)sent. */
  requestDue = false;
  private readonly outDone = new Set<number>();
  private readonly inDone = new Set<number>();
  private readonly closing = new Set<number>();
  /** Our direction is reset, the peer's is not: stream id -> time after which we stop waiting. */
  private readonly graceUntil = new Map<number, number>();
  private lastPeer: { seq: number; result: number; req: OutgoingResetParam | undefined } | undefined;
  private readonly waitingIn: OutgoingResetParam[] = [];
  private responses: ReconfigResponseParam[] = [];
  /** Requests answered "in progress" (observability). */
  inProgressAnswers = 0;

  constructor(myInitialTsn: number, peerInitialTsn: number, private readonly host: ReconfigHost) {
    // RFC 6525 §5.1.1: request sequence numbers start at the initial TSN
    this.nextReqSeq = myInitialTsn;
    this.peerNextSeq = peerInitialTsn;
  }

  /** True when the stream is closing in our direction (sends are refused). */
  isClosing(id: number): boolean {
    return this.closing.has(id);
  }

  /** Our side closes `id`. */
  reset(id: number): void {
    if (this.closing.has(id)) return;
    this.closing.add(id);
    this.pending.add(id);
  }

  /** Builds the request when one may go (RFC 6525 §5.1.2: one outstanding request at a time). */
  takeRequest(): OutgoingResetParam | undefined {
    if (!this.inflight) {
      if (this.pending.size === 0) return undefined;
      const ready: number[] = [];
      // forEach: no iterator objects in cold code (issue 6)
      this.pending.forEach((id) => {
        if (this.host.queuedMessages(id) === 0) ready.push(id);
      });
      if (ready.length === 0) return undefined;
      for (let i = 0; i < ready.length; i++) this.pending.delete(ready[i] as number);
      this.inflight = { seq: this.nextReqSeq, streamIds: ready, lastTsn: this.host.lastAssignedTsn() };
      this.nextReqSeq = tsnAdd(this.nextReqSeq, 1);
      this.requestDue = true;
    }
    if (!this.requestDue) return undefined;
    this.requestDue = false;
    const r = this.inflight;
    return { kind: 'outgoing-reset', requestSeq: r.seq, responseSeq: tsnAdd(this.peerNextSeq, -1), lastTsn: r.lastTsn, streamIds: r.streamIds };
  }

  /** Whether takeResponses() or takeRequest() may give something (checked once per packet built). */
  get mayHaveOutput(): boolean {
    return this.responses.length > 0 || this.requestDue || (this.inflight === undefined && this.pending.size > 0);
  }

  /** Our request is waiting for an answer (the association arms the reconfig timer). */
  get awaitingResponse(): boolean {
    return this.inflight !== undefined;
  }

  /** Reconfig timer expired: resend the same request (RFC 6525 §5.1.1). */
  onTimeout(): void {
    if (this.inflight) this.requestDue = true;
  }

  /** Takes the responses to send. */
  takeResponses(): ReconfigResponseParam[] {
    if (this.responses.length === 0) return NONE; // per packet: no allocation when idle
    const r = this.responses;
    this.responses = [];
    return r;
  }

  /** When the earliest grace for a peer's missing reciprocal reset ends, if any. */
  get graceDeadline(): number | undefined {
    // read after every packet: no Map iterator when no grace runs (it was the costliest SCTP function
    // of the first 1000 round trips, still interpreted)
    if (this.graceUntil.size === 0) return undefined;
    let min: number | undefined;
    this.graceUntil.forEach((t) => {
      if (min === undefined || t < min) min = t;
    });
    return min;
  }

  /**
   * The grace ended: a stream whose peer performed our reset but never reset its own direction, and
   * never sent an ordered message on it, is freed. werift 0.25 sends its reciprocal reset only for a
   * stream it has sent ordered data on (interop: "channel closed from A (id reused)"); its direction is
   * then at SSN 0, exactly what a reset gives. A peer that did send waits for its real reset.
   */
  onGraceTimeout(now: number): void {
    const due: number[] = [];
    this.graceUntil.forEach((until, id) => {
      if (until <= now) due.push(id);
    });
    for (let i = 0; i < due.length; i++) {
      const id = due[i] as number;
      this.graceUntil.delete(id);
      if (this.inDone.has(id) || !this.host.incomingUnused(id)) continue;
      this.host.resetIncoming(id);
      this.inDone.add(id);
      this.maybeFree(id);
    }
  }

  /**
   * Processes the parameters of a received RE-CONFIG chunk; `grace` (ms) is how long to wait after our
   * reset was performed for the peer's own reset before `onGraceTimeout` may free an unused stream.
   */
  onReconfig(params: readonly Param[], now = 0, grace = 0): void {
    for (let i = 0; i < params.length; i++) {
      const p = params[i] as Param;
      if (p.kind === 'outgoing-reset') this.onPeerRequest(p);
      else if (p.kind === 'reconfig-response') this.onResponse(p, now + grace);
      else if (p.kind === 'incoming-reset') this.respond(p.requestSeq, RECONFIG_RESULT.denied, true);
      else if (p.kind === 'ignored' && p.value.length >= 4) {
        // SSN/TSN reset and add-streams requests (RFC 6525 §4.3, §4.5, §4.6): not supported
        const seq = ((p.value[0] as number) << 24 | (p.value[1] as number) << 16 | (p.value[2] as number) << 8 | (p.value[3] as number)) >>> 0;
        this.respond(seq, RECONFIG_RESULT.denied, true);
      }
    }
  }

  private respond(seq: number, result: number, advance: boolean, req?: OutgoingResetParam): void {
    if (advance) {
      if (seq !== this.peerNextSeq) {
        this.answerOld(seq);
        return;
      }
      this.peerNextSeq = tsnAdd(seq, 1);
    }
    this.lastPeer = { seq, result, req };
    this.responses.push({ kind: 'reconfig-response', responseSeq: seq, result });
  }

  /** RFC 6525 §5.2.1: a retransmitted request gets the previous answer (re-evaluated if in progress). */
  private answerOld(seq: number): void {
    const last = this.lastPeer;
    if (last && last.seq === seq) {
      if (last.result === RECONFIG_RESULT.inProgress && last.req && this.tryPerform(last.req)) last.result = RECONFIG_RESULT.successPerformed;
      this.responses.push({ kind: 'reconfig-response', responseSeq: seq, result: last.result });
      return;
    }
    this.responses.push({ kind: 'reconfig-response', responseSeq: seq, result: RECONFIG_RESULT.errorBadSequence });
  }

  private onPeerRequest(p: OutgoingResetParam): void {
    if (p.requestSeq !== this.peerNextSeq) {
      this.answerOld(p.requestSeq);
      return;
    }
    if (this.waitingIn.length >= MAX_WAITING_REQUESTS) {
      this.respond(p.requestSeq, RECONFIG_RESULT.errorRequestInProgress, true);
      return;
    }
    // streams we were not closing ourselves: the peer initiated, so we owe the reciprocal reset
    const peerInitiated = p.streamIds.filter((id) => !this.closing.has(id));
    if (peerInitiated.length > 0) this.host.peerClosing(peerInitiated);
    for (let i = 0; i < peerInitiated.length; i++) this.reset(peerInitiated[i] as number);
    const done = this.tryPerform(p);
    if (!done) {
      this.waitingIn.push(p);
      this.inProgressAnswers++;
    }
    this.respond(p.requestSeq, done ? RECONFIG_RESULT.successPerformed : RECONFIG_RESULT.inProgress, true, p);
  }

  /** Resets the incoming streams once every TSN up to the peer's last assigned one arrived (§5.2.2). */
  private tryPerform(p: OutgoingResetParam): boolean {
    if (!tsnLe(p.lastTsn, this.host.receivedCumTsn())) return false;
    const i = this.waitingIn.indexOf(p);
    if (i >= 0) this.waitingIn.splice(i, 1);
    // performed once: a retransmitted request then gets "performed" without acting again
    if (this.lastPeer?.req === p) this.lastPeer.result = RECONFIG_RESULT.successPerformed;
    const ids = p.streamIds;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      if (this.inDone.has(id)) continue;
      this.host.resetIncoming(id);
      this.inDone.add(id);
      this.maybeFree(id);
    }
    return true;
  }

  /** The received cumulative TSN advanced: perform requests that were in progress. */
  onCumTsn(): void {
    if (this.waitingIn.length === 0) return; // per packet: no copy when idle
    const waiting = [...this.waitingIn];
    for (let i = 0; i < waiting.length; i++) this.tryPerform(waiting[i] as OutgoingResetParam);
  }

  private onResponse(p: ReconfigResponseParam, graceEnd: number): void {
    const r = this.inflight;
    if (!r || p.responseSeq !== r.seq) return;
    if (p.result === RECONFIG_RESULT.inProgress || p.result === RECONFIG_RESULT.errorRequestInProgress) return; // retried on timeout
    this.inflight = undefined;
    this.requestDue = false;
    const ids = r.streamIds;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      // success, or a refusal we cannot do anything about: either way our direction is closed
      this.host.resetOutgoing(id);
      this.outDone.add(id);
      if (!this.inDone.has(id)) this.graceUntil.set(id, graceEnd);
      this.maybeFree(id);
    }
  }

  private maybeFree(id: number): void {
    if (!this.outDone.has(id) || !this.inDone.has(id)) return;
    this.outDone.delete(id);
    this.inDone.delete(id);
    this.closing.delete(id);
    this.graceUntil.delete(id);
    this.host.streamsReset([id]);
  }

  /** Streams with reset state (for leak checks). */
  get stateSize(): number {
    return this.pending.size + this.outDone.size + this.inDone.size + this.closing.size + this.waitingIn.length + this.graceUntil.size;
  }
}
