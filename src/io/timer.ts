import type { Millis } from '../core/types.js';
import type { Clock } from './clock.js';

/**
 * The shell's one re-armed timer: drivers call `set(core.pollTimeout())` after draining a core, and
 * `fire(now)` runs when that instant comes. Setting the same instant again is free; `undefined`
 * disarms. The timer is unref'd: it never keeps the process alive on its own.
 */
export class ShellTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private at: Millis | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (now: Millis) => void,
  ) {}

  set(at: Millis | undefined): void {
    if (at === this.at && (at === undefined || this.handle !== undefined)) return;
    this.cancel();
    if (at === undefined) return;
    this.at = at;
    const delay = Math.max(0, at - this.clock.now());
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.at = undefined;
      this.fire(this.clock.now());
    }, delay);
    this.handle.unref();
  }

  cancel(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.at = undefined;
  }
}
