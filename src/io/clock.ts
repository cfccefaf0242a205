import { performance } from 'node:perf_hooks';
import type { Millis } from '../core/types.js';

/** The monotonic clock the shell hands to cores as `now`. */
export interface Clock {
  now(): Millis;
}

export const systemClock: Clock = {
  // node:perf_hooks' object, not the global (in Node 20 `globalThis.performance` is a getter), and its
  // method bound rather than wrapped: one call per reading of the clock instead of three (a few
  // readings per datagram, issue 6)
  now: performance.now.bind(performance),
};
