import type { Millis } from './types.js';

/**
 * Named deadlines owned by a state machine, in place of timer handles. A core arms `'t3-rtx'`,
 * `'dtls-flight-rtx'` and so on; the caller reads `earliest()` through `pollTimeout()` and the core
 * fires what `takeDue(now)` returns from `handleTimeout(now)`.
 */
export class Deadlines<K extends string> {
  /**
   * Each key's slot in `keys` / `times`. A disarmed key keeps its slot with the instant NaN (a
   * tombstone) while few keys exist: a core re-arms the same few named timers on every packet (SCTP's
   * delayed SACK), and a Map set and deleted that often rehashed into a new table every few operations
   * (issue 6). The instants sit in a plain array so that `earliest()` is a loop over numbers, with no
   * iterator or closure per call (it runs in every pollTimeout() of every layer).
   */
  private readonly slot = new Map<K, number>();
  private readonly keys: K[] = [];
  private readonly times: Millis[] = [];
  private armed = 0;

  arm(key: K, when: Millis): void {
    let i = this.slot.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.slot.set(key, i);
      this.keys.push(key);
      this.times.push(NaN);
    }
    if (Number.isNaN(this.times[i])) this.armed++;
    this.times[i] = when;
  }

  /** Arm only if not armed yet (keeps an earlier expiry). */
  armIfIdle(key: K, when: Millis): void {
    if (!this.isArmed(key)) this.arm(key, when);
  }

  disarm(key: K): void {
    const i = this.slot.get(key);
    if (i === undefined || Number.isNaN(this.times[i])) return;
    this.armed--;
    // few keys (a core's named timers): keep the slot; many (per-client keys): really remove it
    if (this.keys.length > TOMBSTONE_LIMIT) this.removeSlot(i, key);
    else this.times[i] = NaN;
  }

  isArmed(key: K): boolean {
    const i = this.slot.get(key);
    return i !== undefined && !Number.isNaN(this.times[i]);
  }

  get(key: K): Millis | undefined {
    const i = this.slot.get(key);
    if (i === undefined) return undefined;
    const t = this.times[i] as Millis;
    return Number.isNaN(t) ? undefined : t;
  }

  earliest(): Millis | undefined {
    if (this.armed === 0) return undefined;
    const times = this.times;
    let min: Millis | undefined;
    for (let i = 0; i < times.length; i++) {
      const t = times[i] as Millis;
      if (!Number.isNaN(t) && (min === undefined || t < min)) min = t;
    }
    return min;
  }

  /** Removes and returns the keys due at `now`, earliest first. */
  takeDue(now: Millis): K[] {
    const due: K[] = [];
    if (this.armed === 0) return due;
    const times = this.times;
    for (let i = 0; i < times.length; i++) if ((times[i] as Millis) <= now) due.push(this.keys[i] as K); // NaN <= now is false
    if (due.length > 1) due.sort((a, b) => (this.get(a) as Millis) - (this.get(b) as Millis));
    for (let i = 0; i < due.length; i++) this.disarm(due[i] as K);
    return due;
  }

  clear(): void {
    this.slot.clear();
    this.keys.length = 0;
    this.times.length = 0;
    this.armed = 0;
  }

  /** Armed keys. */
  get size(): number {
    return this.armed;
  }

  /** Moves the last slot into slot `i` (order does not matter: takeDue sorts by instant). */
  private removeSlot(i: number, key: K): void {
    const last = this.keys.length - 1;
    if (i !== last) {
      const moved = this.keys[last] as K;
      this.keys[i] = moved;
      this.times[i] = this.times[last] as Millis;
      this.slot.set(moved, i);
    }
    this.keys.pop();
    this.times.pop();
    this.slot.delete(key);
  }
}

/** Up to this many keys, disarmed ones keep their slot as tombstones. */
const TOMBSTONE_LIMIT = 16;

/**
 * The minimum of optional instants (up to three: fixed arity, so the call builds no rest array; it
 * runs in every pollTimeout() of every layer, issue 6).
 */
export function minDeadline(a: Millis | undefined, b: Millis | undefined, c?: Millis): Millis | undefined {
  const ab = a === undefined ? b : b === undefined || a <= b ? a : b;
  if (c === undefined) return ab;
  return ab === undefined || c < ab ? c : ab;
}
