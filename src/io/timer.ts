import type { Millis } from '../core/types.js';
import type { Clock } from './clock.js';

/**
 * The shell's one re-armed timer: drivers call `set(core.pollTimeout())` after draining a core, and
 * `fire(now)` runs when that instant comes. Setting the same instant again is free; `undefined`
 * disarms. The timer is unref'd: it never keeps the process alive on its own.
 *
 * Re-arming is lazy (issue 6): a deadline that moves LATER (SCTP's T3 restarted by every SACK, the
 * delayed-SACK timer) keeps the pending setTimeout, which on expiry re-arms itself for the new
 * instant instead of calling `fire`. Only an earlier deadline replaces it. That saves a
 * clearTimeout + setTimeout (and a Timeout object) per datagram on the data path; `fire` still runs
 * only when the latest deadline asked for has come (within node's 1 ms timer granularity).
 */
export class ShellTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;
  /** When the pending setTimeout expires. */
  private armedAt: Millis | undefined;
  /** The deadline last asked for by `set`. */
  private want: Millis | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (now: Millis) => void,
  ) {}

  set(at: Millis | undefined): void {
    this.want = at;
    if (at === undefined) return; // a pending setTimeout expires and finds nothing to do
    if (this.handle !== undefined && this.armedAt !== undefined && this.armedAt <= at) return;
    this.arm(at);
  }

  cancel(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedAt = undefined;
    this.want = undefined;
  }

  private arm(at: Millis): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.armedAt = at;
    this.handle = setTimeout(() => this.expire(), Math.max(0, at - this.clock.now()));
    this.handle.unref();
  }

  private expire(): void {
    this.handle = undefined;
    this.armedAt = undefined;
    const want = this.want;
    if (want === undefined) return;
    const now = this.clock.now();
    // node may run a timer up to 1 ms before the fractional instant: that counts as due, as before
    if (want - now > 1) return this.arm(want);
    this.want = undefined;
    this.fire(now);
  }
}
