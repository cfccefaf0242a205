/**
 * Client transaction retransmissions over UDP (RFC 8489 §6.2.1), sans-IO.
 *
 * The first request goes out at t0; retransmissions follow at intervals of RTO, 2·RTO, 4·RTO ...
 * until Rc requests in total were sent; Rm·RTO after the last one the transaction fails. With the
 * defaults (RTO 500 ms, Rc 7, Rm 16) requests leave at 0, 500, 1500, 3500, 7500, 15500, 31500 ms and
 * the transaction times out at 39500 ms. ICE and STUN-server gathering pass their own counts.
 */
import { UsageError } from '../core/errors.js';
import type { Millis } from '../core/types.js';
import { transactionKey } from './helpers.js';

export interface RetransmitOptions {
  /** Initial retransmission timeout, ms (default 500, RFC 8489 §6.2.1). */
  readonly rto?: number;
  /** Rc: total requests sent, first one included (default 7). */
  readonly maxRequests?: number;
  /** Rm: after the last request, wait Rm × the initial RTO (default 16). */
  readonly lastWaitMultiplier?: number;
  /** Upper bound of the doubled interval, ms (default: no bound). */
  readonly maxRto?: number;
}

export type ResolvedRetransmitOptions = Required<RetransmitOptions>;

/** Applies the defaults; throws UsageError on nonsense values. */
export function resolveRetransmitOptions(o: RetransmitOptions = {}): ResolvedRetransmitOptions {
  const r: ResolvedRetransmitOptions = {
    rto: o.rto ?? 500,
    maxRequests: o.maxRequests ?? 7,
    lastWaitMultiplier: o.lastWaitMultiplier ?? 16,
    maxRto: o.maxRto ?? Number.POSITIVE_INFINITY,
  };
  if (!(r.rto > 0) || !Number.isFinite(r.rto)) throw new UsageError('stun.rto', `rto must be > 0, got ${r.rto}`);
  if (!Number.isInteger(r.maxRequests) || r.maxRequests < 1) throw new UsageError('stun.rc', `maxRequests must be >= 1, got ${r.maxRequests}`);
  if (!(r.lastWaitMultiplier > 0)) throw new UsageError('stun.rm', `lastWaitMultiplier must be > 0, got ${r.lastWaitMultiplier}`);
  if (!(r.maxRto >= r.rto)) throw new UsageError('stun.max-rto', `maxRto must be >= rto`);
  return r;
}

/** What to do when a transaction's deadline is reached. */
export type RetransmitAction = 'wait' | 'retransmit' | 'timeout';

/** The schedule of ONE client transaction. Create it when the first request is sent. */
export class RetransmitSchedule {
  private readonly opts: ResolvedRetransmitOptions;
  private sent = 1;
  private interval: number;
  private at: Millis | undefined;

  constructor(now: Millis, options: RetransmitOptions | ResolvedRetransmitOptions = {}) {
    this.opts = resolveRetransmitOptions(options);
    this.interval = this.opts.rto;
    this.at = this.nextAfter(now);
  }

  /** When onTimeout must be called next; undefined once finished. */
  get deadline(): Millis | undefined {
    return this.at;
  }

  /** Requests sent so far (the first one counts). */
  get requestsSent(): number {
    return this.sent;
  }

  /** 'retransmit': send the request again now; 'timeout': the transaction failed; 'wait': not due yet. */
  onTimeout(now: Millis): RetransmitAction {
    if (this.at === undefined || now < this.at) return 'wait';
    if (this.sent >= this.opts.maxRequests) {
      this.at = undefined;
      return 'timeout';
    }
    this.sent++;
    this.interval = Math.min(this.interval * 2, this.opts.maxRto);
    this.at = this.nextAfter(now);
    return 'retransmit';
  }

  /** Ends the schedule (a response arrived). */
  stop(): void {
    this.at = undefined;
  }

  /** No more retransmissions: the last wait (Rm x RTO) starts now, then 'timeout'. */
  finish(now: Millis): void {
    if (this.at === undefined) return;
    this.sent = this.opts.maxRequests;
    this.at = this.nextAfter(now);
  }

  private nextAfter(now: Millis): Millis {
    return this.sent >= this.opts.maxRequests ? now + this.opts.lastWaitMultiplier * this.opts.rto : now + this.interval;
  }
}

/** Send times (ms after the first request) and the give-up time of a schedule, for docs and tests. */
export function retransmitTimeline(options: RetransmitOptions = {}): { sends: Millis[]; timeout: Millis } {
  const s = new RetransmitSchedule(0, options);
  const sends = [0];
  for (;;) {
    const t = s.deadline as Millis;
    if (s.onTimeout(t) === 'timeout') return { sends, timeout: t };
    sends.push(t);
  }
}

interface Pending<C> {
  readonly schedule: RetransmitSchedule;
  readonly bytes: Uint8Array;
  readonly context: C;
  /** Cancelled (see `cancel`): no retransmission, and its timeout is not reported. */
  cancelled: boolean;
}

/** Output of ClientTransactions.handleTimeout. */
export interface TransactionTimeouts<C> {
  /** Requests to send again now (same bytes, RFC 8489 §6.2.1). */
  readonly retransmit: Array<{ readonly bytes: Uint8Array; readonly context: C }>;
  /** Transactions that failed; they are removed. */
  readonly timedOut: C[];
}

/** A table of outstanding client transactions keyed by transaction id, with a context per request. */
export class ClientTransactions<C> {
  private readonly pending = new Map<string, Pending<C>>();

  /** Registers a request that was just sent for the first time. */
  start(now: Millis, transactionId: Uint8Array, bytes: Uint8Array, context: C, options?: RetransmitOptions): void {
    this.pending.set(transactionKey(transactionId), { schedule: new RetransmitSchedule(now, options), bytes, context, cancelled: false });
  }

  /** Removes and returns the context of the transaction `transactionId`, or undefined (stray response). */
  take(transactionId: Uint8Array): C | undefined {
    const key = transactionKey(transactionId);
    const p = this.pending.get(key);
    if (!p) return undefined;
    this.pending.delete(key);
    return p.context;
  }

  /**
   * Cancels the transactions whose context `match`es and that sent at least `minRequests` requests
   * (RFC 8445 §7.3.1.4's cancellation): no more retransmissions, a response is still taken until
   * the transaction would time out, and that timeout is not reported. Returns how many.
   */
  cancel(now: Millis, match: (context: C) => boolean, minRequests = 1): number {
    let n = 0;
    this.pending.forEach((p) => {
      if (p.cancelled || p.schedule.requestsSent < minRequests || !match(p.context)) return;
      p.cancelled = true;
      p.schedule.finish(now);
      n++;
    });
    return n;
  }

  has(transactionId: Uint8Array): boolean {
    return this.pending.has(transactionKey(transactionId));
  }

  handleTimeout(now: Millis): TransactionTimeouts<C> {
    const out: TransactionTimeouts<C> = { retransmit: [], timedOut: [] };
    // forEach, not for-of: no iterator objects; deleting the current entry is safe in both
    this.pending.forEach((p, key) => {
      const action = p.schedule.onTimeout(now);
      if (action === 'retransmit') out.retransmit.push({ bytes: p.bytes, context: p.context });
      else if (action === 'timeout') {
        this.pending.delete(key);
        if (!p.cancelled) out.timedOut.push(p.context);
      }
    });
    return out;
  }

  pollTimeout(): Millis | undefined {
    if (this.pending.size === 0) return undefined;
    let min: Millis | undefined;
    this.pending.forEach((p) => {
      const t = p.schedule.deadline;
      if (t !== undefined && (min === undefined || t < min)) min = t;
    });
    return min;
  }

  /** Contexts of all outstanding transactions, removing them (close/restart). */
  clear(): C[] {
    const all: C[] = [];
    this.pending.forEach((p) => all.push(p.context));
    this.pending.clear();
    return all;
  }

  get size(): number {
    return this.pending.size;
  }
}
