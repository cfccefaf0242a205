// Shared timing for the micro-benchmarks: run `fn` in rounds until `ms` elapsed (after a warm-up),
// report operations per second and the cost per operation. One core, one process.
import { performance } from 'node:perf_hooks';

export function measure(name, fn, { ms = 1000, batch = 100, bytes = 0 } = {}) {
  const warmEnd = performance.now() + ms / 5;
  while (performance.now() < warmEnd) for (let i = 0; i < batch; i++) fn();
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    t = performance.now();
  }
  const secs = (t - t0) / 1000;
  const row = { name, opsPerSec: ops / secs, usPerOp: (secs * 1e6) / ops, ...(bytes ? { MBps: (ops * bytes) / secs / 1e6 } : {}) };
  return row;
}

export function printRows(title, rows) {
  console.log(`\n${title}`);
  for (const r of rows) {
    const mb = r.MBps !== undefined ? `  ${r.MBps.toFixed(1).padStart(8)} MB/s` : '';
    console.log(`  ${r.name.padEnd(58)} ${Math.round(r.opsPerSec).toString().padStart(10)} ops/s  ${r.usPerOp.toFixed(2).padStart(8)} µs/op${mb}`);
  }
}

export const json = process.argv.includes('--json');

/**
 * Like `measure`, but counts CPU time of the whole process (`process.cpuUsage`: every thread, so
 * garbage collection and ArrayBuffer freeing on helper threads are included) instead of wall time,
 * and reports the best of `rounds` rounds: on a machine shared with other work the least CPU per
 * operation is the steadiest figure, and it shows what allocation really costs.
 */
export function measureCpu(name, fn, { ms = 1000, batch = 100, bytes = 0, rounds = 5 } = {}) {
  const warmEnd = performance.now() + ms / 5;
  while (performance.now() < warmEnd) for (let i = 0; i < batch; i++) fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    while (performance.now() - t0 < ms / rounds) {
      for (let i = 0; i < batch; i++) fn();
      ops += batch;
    }
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / ops);
  }
  return cpuRow(name, best, bytes);
}

/** A result row from the best CPU microseconds per operation. */
export function cpuRow(name, usPerOp, bytes = 0) {
  return { name, opsPerSec: 1e6 / usPerOp, usPerOp, ...(bytes ? { MBps: bytes / usPerOp } : {}) };
}
