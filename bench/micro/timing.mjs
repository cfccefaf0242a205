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
