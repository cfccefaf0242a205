import type { Millis } from './types.js';

/**
 * Named deadlines owned by a state machine, in place of timer handles. A core arms `'t3-rtx'`,
 * `'dtls-flight-rtx'` and so on; the caller reads `earliest()` through `pollTimeout()` and the core
 * fires what `takeDue(now)` returns from `handleTimeout(now)`.
 */
export class Deadlines<K extends string> {
  private readonly at = new Map<K, Millis>();

  arm(key: K, when: Millis): void {
    this.at.set(key, when);
  }

  /** Arm only if not armed yet (keeps an earlier expiry). */
  armIfIdle(key: K, when: Millis): void {
    if (!this.at.has(key)) this.at.set(key, when);
  }

  disarm(key: K): void {
    this.at.delete(key);
  }

  isArmed(key: K): boolean {
    return this.at.has(key);
  }

  get(key: K): Millis | undefined {
    return this.at.get(key);
  }

  earliest(): Millis | undefined {
    let min: Millis | undefined;
    for (const t of this.at.values()) if (min === undefined || t < min) min = t;
    return min;
  }

  /** Removes and returns the keys due at `now`, earliest first. */
  takeDue(now: Millis): K[] {
    const due: Array<[K, Millis]> = [];
    for (const [k, t] of this.at) if (t <= now) due.push([k, t]);
    due.sort((a, b) => a[1] - b[1]);
    for (const [k] of due) this.at.delete(k);
    return due.map(([k]) => k);
  }

  clear(): void {
    this.at.clear();
  }

  get size(): number {
    return this.at.size;
  }
}

/** The minimum of optional instants. */
export function minDeadline(...ts: Array<Millis | undefined>): Millis | undefined {
  let min: Millis | undefined;
  for (const t of ts) if (t !== undefined && (min === undefined || t < min)) min = t;
  return min;
}
