/**
 * How the simulator drives cores: an attachment feeds a core its input, drains its transmits after
 * every call (the driver rule of src/core/types.ts) and fires handleTimeout at its deadline. Events
 * stay in the core unless the attachment was asked to collect them.
 */
import type { Millis, SansIo } from '../../src/core/types.js';

/** Anything the simulator's loop can wake up: a SansIo core on a host or one side of a layer pair. */
export interface Driven {
  readonly label: string;
  /** The core's pollTimeout(), or undefined. */
  deadline(): Millis | undefined;
  /** Calls handleTimeout(now) and drains what the call produced. */
  fire(now: Millis): void;
  /** Drains queued transmits (and events when collecting) without feeding anything. */
  flush(now: Millis): void;
}

/** Options of `sim.attach()` and the layer-pair sides. */
export interface AttachOptions<Ev> {
  /** Drain the core's events after every call into `events` (default false: the test drains them). */
  readonly collect?: boolean;
  /** Called with each event as it is drained (implies draining). */
  readonly onEvent?: (ev: Ev, now: Millis) => void;
  /** Only datagrams to these ports go to this core (default: all ports of the host). */
  readonly ports?: readonly number[];
  /** A name for the trace (default: the host's name). */
  readonly label?: string;
}

/** Drains every queued event of a core into an array (for tests that drain by hand). */
export function drainEvents<Ev>(core: { pollEvent(): Ev | undefined }): Ev[] {
  const out: Ev[] = [];
  for (let ev = core.pollEvent(); ev !== undefined; ev = core.pollEvent()) out.push(ev);
  return out;
}

/**
 * The test's handle on a driven core (a SansIo core on a host, or one side of a layer pair): the
 * core, its collected events and traffic counters.
 */
export class CoreHandle<C extends { pollEvent(): Ev | undefined }, Ev> {
  /** Every event drained so far, oldest first (only when collecting). */
  readonly events: Ev[] = [];
  /** Datagrams (or byte strings) this core received / transmitted through the simulator. */
  received = 0;
  transmitted = 0;
  private readonly collect: boolean;

  constructor(
    readonly core: C,
    readonly label: string,
    private readonly opts: AttachOptions<Ev>,
  ) {
    this.collect = opts.collect === true || opts.onEvent !== undefined;
  }

  /** @internal Drains the core's events if this handle collects them. */
  drain(now: Millis): void {
    if (!this.collect) return;
    for (let ev = this.core.pollEvent(); ev !== undefined; ev = this.core.pollEvent()) {
      if (this.opts.collect === true) this.events.push(ev);
      this.opts.onEvent?.(ev, now);
    }
  }

  /** Removes and returns the collected events. */
  take(): Ev[] {
    return this.events.splice(0, this.events.length);
  }

  /** The collected events of one `type` (for discriminated unions with a `type` field). */
  ofType<T extends string>(type: T): Array<Extract<Ev, { type: T }>> {
    return this.events.filter((e) => (e as { type?: unknown }).type === type) as Array<Extract<Ev, { type: T }>>;
  }
}

/** A SansIo core attached to a simulated host. */
export type Attached<Ev> = CoreHandle<SansIo<Ev>, Ev>;
