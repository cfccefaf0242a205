#!/usr/bin/env node
// Where the CPU went: self time per function from V8 .cpuprofile files (from `--cpu-prof <dir>`).
//   node bench/profile.mjs <file.cpuprofile> [more files...] [--top N]
import { readFileSync } from 'node:fs';
import { frameName } from './lib/frame.mjs';

const args = process.argv.slice(2);
const ti = args.indexOf('--top');
const top = ti >= 0 ? Number(args.splice(ti, 2)[1]) : 25;
const self = new Map();
let total = 0;
for (const file of args) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    const key = frameName(n.callFrame);
    const us = dt[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`self time, ${args.length} profile(s), ${(total / 1e6).toFixed(2)} s sampled`);
for (const [k, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
