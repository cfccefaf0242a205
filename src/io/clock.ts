import type { Millis } from '../core/types.js';

/** The monotonic clock the shell hands to cores as `now`. */
export interface Clock {
  now(): Millis;
}

export const systemClock: Clock = {
  now: () => performance.now(),
};
