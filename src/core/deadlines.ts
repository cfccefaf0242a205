import type { Millis } from './types.js';

/**
 * Named deadlines owned by a state machine, in place of timer handles. A core arms `'t3-rtx'`,
 * `'dtls-flight-rtx'` and so on; the caller reads `earliest()` through `pollTimeout()` and the core
 * fires what `takeDue(now)` returns from `handleTimeout(now)`.
 */
export class Deadlines<K extends string> {
  /**
   * Instant per key; NaN marks a disarmed key kept in place (a tombstone) while few keys exist: a
   * Map that is set and deleted on every packet (SCTP's delayed-SACK timer) rehashes into a new
   * table every few operations, about 150 bytes of garbage each time (issue 6).
   */
  private readonly at = new Map<K, Millis>();
  private armed = 0;

  arm(key: K, when: Millis): void {
    const old = this.at.get(key);
    if (old === undefined || Number.isNaN(old)) this.armed++;
    this.at.set(key, when);
  }

  /** Arm only if not armed yet (keeps an earlier expiry). */
  armIfIdle(key: K, when: Millis): void {
    if (!this.isArmed(key)) this.arm(key, when);
  }

  disarm(key: K): void {
    if (!this.isArmed(key)) return;
    this.armed--;
    // few keys (a core's named timers): keep the entry; many (per-client keys): really remove it
    if (this.at.size > TOMBSTONE_LIMIT) this.at.delete(key);
    else this.at.set(key, NaN);
  }

  isArmed(key: K): boolean {
    const t = this.at.get(key);
    return t !== undefined && !Number.isNaN(t);
  }

  get(key: K): Millis | undefined {
    const t = this.at.get(key);
    return t === undefined || Number.isNaN(t) ? undefined : t;
  }

  earliest(): Millis | undefined {
    if (this.armed === 0) return undefined;
    let min: Millis | undefined;
    // forEach, not for-of: no iterator objects (the interpreter runs this in every connection's setup)
    this.at.forEach((t) => {
      if (!Number.isNaN(t) && (min === undefined || t < min)) min = t;
    });
    return min;
  }

  /** Removes and returns the keys due at `now`, earliest first. */
  takeDue(now: Millis): K[] {
    if (this.armed === 0) return [];
    const due: K[] = [];
    this.at.forEach((t, k) => {
      if (t <= now) due.push(k); // NaN <= now is false
    });
    if (due.length > 1) due.sort((a, b) => (this.at.get(a) as Millis) - (this.at.get(b) as Millis));
    for (let i = 0; i < due.length; i++) this.disarm(due[i] as K);
    return due;
  }

  clear(): void {
    this.at.clear();
    this.armed = 0;
  }

  /** Armed keys. */
  get size(): number {
    return this.armed;
  }
}

/** Up to this many keys, disarmed ones stay in the map as tombstones. */
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
