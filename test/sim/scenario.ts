/**
 * Scenario wrappers: run a test body on a seeded simulator and, if it fails, report the seed and the
 * packet trace so the failure can be replayed exactly (`SIM_SEED=1234 node scripts/run-tests.mjs ...`).
 */
import { Sim, SimError } from './sim.js';
import type { SimOptions } from './sim.js';

/** Lines of trace attached to a failure report. */
const REPORT_LINES = 60;

function report(sim: Sim, err: unknown): unknown {
  if (err instanceof SimError) return err;
  const tail = sim.trace.last(REPORT_LINES);
  const extra = `\n  seed=${sim.seed} t=${sim.now.toFixed(1)}ms\n  last ${tail.length} trace lines:\n    ${tail.join('\n    ')}`;
  if (err instanceof Error) {
    const first = err.message;
    err.message = `${first}${extra}`;
    if (typeof err.stack === 'string') err.stack = err.stack.replace(first, err.message);
    return err;
  }
  return new Error(`${String(err)}${extra}`);
}

/**
 * Runs `fn` on a new simulator seeded with `seed`. A throw (or rejection) gets the seed and the last
 * trace lines appended to its message. Works for sync and async bodies.
 */
export function withSeed<T>(seed: number, fn: (sim: Sim) => T, opts: Omit<SimOptions, 'seed'> = {}): T {
  const sim = new Sim({ ...opts, seed });
  let out: T;
  try {
    out = fn(sim);
  } catch (err) {
    throw report(sim, err);
  }
  if (out instanceof Promise) {
    return out.catch((err: unknown) => {
      throw report(sim, err);
    }) as T;
  }
  return out;
}

/**
 * The seeds a scenario should run: `SIM_SEED` from the environment when set (to replay one failure),
 * otherwise `defaults`.
 */
export function scenarioSeeds(defaults: readonly number[]): number[] {
  const env = process.env['SIM_SEED'];
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n)) throw new Error(`SIM_SEED must be an integer, got ${env}`);
    return [n];
  }
  return [...defaults];
}

/** Runs `fn` once per seed (see scenarioSeeds), each on its own simulator. */
export function forSeeds(defaults: readonly number[], fn: (sim: Sim) => void, opts: Omit<SimOptions, 'seed'> = {}): void {
  for (const seed of scenarioSeeds(defaults)) withSeed(seed, fn, opts);
}
