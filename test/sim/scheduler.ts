/**
 * The simulator's event queue: a binary min-heap ordered by (time, seq). `seq` is the insertion
 * counter, so two events due at the same virtual instant run in the order they were scheduled.
 * Nothing here reads a clock: time only moves when the simulator pops the next event.
 */
import type { Millis } from '../../src/core/types.js';

/** One scheduled action. */
export interface SimEvent {
  readonly time: Millis;
  readonly seq: number;
  readonly run: () => void;
}

/** Min-heap of events keyed by (time, seq). */
export class Scheduler {
  private readonly heap: SimEvent[] = [];
  private nextSeq = 0;

  /** Schedules `run` at virtual time `time`; returns the event's sequence number. */
  at(time: Millis, run: () => void): number {
    if (!Number.isFinite(time)) throw new RangeError(`event time must be finite, got ${time}`);
    const ev: SimEvent = { time, seq: this.nextSeq++, run };
    this.heap.push(ev);
    this.up(this.heap.length - 1);
    return ev.seq;
  }

  /** The earliest event without removing it. */
  peek(): SimEvent | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest event. */
  pop(): SimEvent | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  get size(): number {
    return this.heap.length;
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i] as SimEvent;
    const b = this.heap[j] as SimEvent;
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i] as SimEvent;
    this.heap[i] = this.heap[j] as SimEvent;
    this.heap[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
