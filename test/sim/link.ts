/**
 * One direction of a simulated link: seeded loss, delay, jitter, reordering, duplication, MTU,
 * optional bandwidth with a drop-tail queue, and scripted loss patterns (pion's test.Bridge idea:
 * drop the next N, drop by predicate, cut and restore). Every random draw comes from the
 * direction's own SeededRng, so a seed fixes the whole trace.
 *
 * Order: a packet is first checked against cut, patterns, MTU, queue and random loss (in that
 * order; the first that applies drops it and names the reason), then given a delay. `tap()`
 * observers see every packet first. Jitter alone
 * keeps FIFO order (a packet never overtakes an earlier one); only `reorder` lets packets overtake.
 */
import { randomFloat } from '../../src/core/rng.js';
import type { Rng } from '../../src/core/rng.js';
import type { Millis } from '../../src/core/types.js';
import type { Scheduler } from './scheduler.js';

/** Impairments of one link direction. All fields are optional in `set()`. */
export interface LinkConfig {
  /** Base one-way delay in ms (default 0). */
  readonly delayMs: number;
  /** Extra delay drawn uniformly from [0, jitterMs] per packet (default 0). Keeps FIFO order. */
  readonly jitterMs: number;
  /** Probability in [0, 1] that a packet is lost (default 0). */
  readonly loss: number;
  /**
   * Mean length of a run of lost packets (default 1: independent losses). Above 1, losses come in
   * bursts from a two-state Gilbert model whose long-run loss rate is still `loss`.
   */
  readonly lossBurst: number;
  /** Probability in [0, 1] that a packet is delivered twice (default 0). */
  readonly duplicate: number;
  /** Probability in [0, 1] that a packet is held back `reorderDelayMs` so later ones overtake it. */
  readonly reorder: number;
  /** Extra hold time for reordered packets (default 25 ms). */
  readonly reorderDelayMs: number;
  /** Largest payload in bytes that passes (UDP payload, not IP); larger ones are dropped. */
  readonly mtu: number | undefined;
  /** Serialisation rate in bits per second; undefined = infinite. */
  readonly bandwidthBps: number | undefined;
  /** Drop-tail queue bound in bytes while the link is busy (with bandwidthBps; default 64 KiB). */
  readonly queueBytes: number;
  /** False cuts the link: everything is dropped until it is restored. */
  readonly up: boolean;
}

export const DEFAULT_LINK: LinkConfig = {
  delayMs: 0,
  jitterMs: 0,
  loss: 0,
  lossBurst: 1,
  duplicate: 0,
  reorder: 0,
  reorderDelayMs: 25,
  mtu: undefined,
  bandwidthBps: undefined,
  queueBytes: 65536,
  up: true,
};

/** Why a link dropped a packet. */
export type LinkDropReason = 'cut' | 'pattern' | 'mtu' | 'queue' | 'loss';

/** Counters of one direction. */
export interface LinkStats {
  sent: number;
  delivered: number;
  duplicated: number;
  reordered: number;
  dropped: Record<LinkDropReason, number>;
}

/** What a link carries: anything with a payload. */
export interface Parcel {
  readonly data: Uint8Array;
}

/** Callbacks of the owner (the simulator): where packets go and where drops are reported. */
export interface LinkSink<P extends Parcel> {
  deliver(p: P, info: { readonly duplicate: boolean; readonly reordered: boolean }): void;
  drop(p: P, reason: LinkDropReason): void;
}

/** A predicate-based drop rule; `remaining` counts down when finite. */
interface DropRule<P> {
  readonly pred: (p: P) => boolean;
  remaining: number;
}

function checkConfig(c: LinkConfig): void {
  for (const k of ['loss', 'duplicate', 'reorder'] as const) {
    const v = c[k];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`link ${k} must be in [0, 1], got ${v}`);
  }
  for (const k of ['delayMs', 'jitterMs', 'reorderDelayMs', 'queueBytes'] as const) {
    if (!(c[k] >= 0 && Number.isFinite(c[k]))) throw new RangeError(`link ${k} must be >= 0, got ${c[k]}`);
  }
  if (!(c.lossBurst >= 1 && Number.isFinite(c.lossBurst))) throw new RangeError(`link lossBurst must be >= 1, got ${c.lossBurst}`);
  if (c.lossBurst > 1 && c.loss >= 1) throw new RangeError('link lossBurst needs loss < 1');
  if (c.mtu !== undefined && !(c.mtu >= 0)) throw new RangeError(`link mtu must be >= 0, got ${c.mtu}`);
  if (c.bandwidthBps !== undefined && !(c.bandwidthBps > 0)) throw new RangeError('link bandwidthBps must be > 0');
}

/** One direction of a link. Reconfigurable at any time; changes apply to packets sent afterwards. */
export class LinkDirection<P extends Parcel = Parcel> {
  private cfg: LinkConfig;
  private readonly rules: DropRule<P>[] = [];
  private readonly taps: Array<(p: P, now: Millis) => void> = [];
  private lastArrival: Millis = 0;
  private busyUntil: Millis = 0;
  /** Gilbert model state: true while in a loss burst. */
  private inBurst = false;
  readonly stats: LinkStats = {
    sent: 0,
    delivered: 0,
    duplicated: 0,
    reordered: 0,
    dropped: { cut: 0, pattern: 0, mtu: 0, queue: 0, loss: 0 },
  };

  constructor(
    readonly name: string,
    private readonly scheduler: Scheduler,
    private readonly rng: Rng,
    private readonly sink: LinkSink<P>,
    config: Partial<LinkConfig> = {},
  ) {
    this.cfg = { ...DEFAULT_LINK, ...config };
    checkConfig(this.cfg);
  }

  /** The current configuration. */
  get config(): LinkConfig {
    return this.cfg;
  }

  /** Changes some impairments (throws RangeError on bad values, leaving the old ones). */
  set(config: Partial<LinkConfig>): this {
    const next = { ...this.cfg, ...config };
    checkConfig(next);
    this.cfg = next;
    return this;
  }

  /** Drops everything from now on (consent-loss tests). */
  cut(): this {
    return this.set({ up: false });
  }

  /** Undoes `cut()`. */
  restore(): this {
    return this.set({ up: true });
  }

  /** Drops the next `n` packets that enter this direction. */
  dropNext(n: number): this {
    this.rules.push({ pred: () => true, remaining: n });
    return this;
  }

  /**
   * Drops packets for which `pred` holds, at most `count` of them (default: forever).
   * Returns a function that removes the rule.
   */
  dropWhere(pred: (p: P) => boolean, count = Infinity): () => void {
    const rule: DropRule<P> = { pred, remaining: count };
    this.rules.push(rule);
    return () => {
      const i = this.rules.indexOf(rule);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  /**
   * Observes every packet that enters this direction (before any drop decision), without changing
   * its fate. Returns a function that removes the tap.
   */
  tap(fn: (p: P, now: Millis) => void): () => void {
    this.taps.push(fn);
    return () => {
      const i = this.taps.indexOf(fn);
      if (i >= 0) this.taps.splice(i, 1);
    };
  }

  /** Removes every drop rule. */
  clearRules(): void {
    this.rules.length = 0;
  }

  /** Puts a packet on the link at `now`. Delivery or drop is reported through the sink. */
  send(now: Millis, p: P): void {
    this.stats.sent++;
    for (const t of this.taps) t(p, now);
    const reason = this.dropReason(now, p);
    if (reason !== undefined) {
      this.stats.dropped[reason]++;
      this.sink.drop(p, reason);
      return;
    }
    const departure = this.serialise(now, p.data.length);
    this.schedule(departure, p, false);
    if (this.cfg.duplicate > 0 && randomFloat(this.rng) < this.cfg.duplicate) {
      this.stats.duplicated++;
      this.schedule(departure, p, true);
    }
  }

  private dropReason(now: Millis, p: P): LinkDropReason | undefined {
    if (!this.cfg.up) return 'cut';
    if (this.matchRule(p)) return 'pattern';
    if (this.cfg.mtu !== undefined && p.data.length > this.cfg.mtu) return 'mtu';
    if (this.cfg.bandwidthBps !== undefined) {
      const backlogBytes = (Math.max(0, this.busyUntil - now) * this.cfg.bandwidthBps) / 8000;
      if (backlogBytes + p.data.length > this.cfg.queueBytes) return 'queue';
    }
    if (this.cfg.loss > 0 && this.lose()) return 'loss';
    return undefined;
  }

  /**
   * Independent losses, or a Gilbert chain: leave a burst with probability 1/L, enter one with
   * probability p / (L (1 - p)), which keeps the stationary loss rate at p and mean burst length L.
   */
  private lose(): boolean {
    const { loss: p, lossBurst: L } = this.cfg;
    if (L <= 1) return randomFloat(this.rng) < p;
    const u = randomFloat(this.rng);
    this.inBurst = this.inBurst ? u >= 1 / L : u < p / (L * (1 - p));
    return this.inBurst;
  }

  private matchRule(p: P): boolean {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i] as DropRule<P>;
      if (!rule.pred(p)) continue;
      rule.remaining--;
      if (rule.remaining <= 0) this.rules.splice(i, 1);
      return true;
    }
    return false;
  }

  /** When the last bit leaves the sender, given the bandwidth (or `now` when unlimited). */
  private serialise(now: Millis, size: number): Millis {
    if (this.cfg.bandwidthBps === undefined) return now;
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + (size * 8000) / this.cfg.bandwidthBps;
    return this.busyUntil;
  }

  private schedule(departure: Millis, p: P, duplicate: boolean): void {
    let arrival = departure + this.cfg.delayMs;
    if (this.cfg.jitterMs > 0) arrival += randomFloat(this.rng) * this.cfg.jitterMs;
    const reordered = this.cfg.reorder > 0 && randomFloat(this.rng) < this.cfg.reorder;
    if (reordered) {
      this.stats.reordered++;
      arrival += this.cfg.reorderDelayMs;
    } else {
      arrival = Math.max(arrival, this.lastArrival);
      this.lastArrival = arrival;
    }
    this.scheduler.at(arrival, () => {
      this.stats.delivered++;
      this.sink.deliver(p, { duplicate, reordered });
    });
  }
}

/** A bidirectional link: `up` leaves the node, `down` reaches it (for layer pairs: a->b and b->a). */
export class Link<P extends Parcel = Parcel> {
  constructor(
    readonly up: LinkDirection<P>,
    readonly down: LinkDirection<P>,
  ) {}

  /** Applies the same impairments to both directions. */
  set(config: Partial<LinkConfig>): this {
    this.up.set(config);
    this.down.set(config);
    return this;
  }

  cut(): this {
    this.up.cut();
    this.down.cut();
    return this;
  }

  restore(): this {
    this.up.restore();
    this.down.restore();
    return this;
  }
}
