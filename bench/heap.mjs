#!/usr/bin/env node
// What the JavaScript allocated, by allocating function, from a BENCH_HEAP_SAMPLE profile
// (bench/lib/heap-sample.mjs): node bench/heap.mjs <file.heapprofile> [--per N] [--top N]
// --per divides every figure (e.g. by the round trips of the workload: bytes per round trip).
import { readFileSync } from 'node:fs';
import { frameName } from './lib/frame.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : dflt;
};
const per = opt('--per', 1);
const top = opt('--top', 30);
const { head } = JSON.parse(readFileSync(args[0], 'utf8'));
const bytes = new Map();
let total = 0;
const walk = (node, caller) => {
  const here = frameName(node.callFrame);
  if (node.selfSize > 0) {
    const key = `${here}  (from ${caller})`;
    bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
  }
  for (const c of node.children ?? []) walk(c, node.callFrame.functionName || '(anonymous)');
};
walk(head, '');
console.log(`${(total / per).toFixed(0)} bytes allocated${per === 1 ? '' : ` per unit (total / ${per})`}`);
for (const [k, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${(b / per).toFixed(0).padStart(8)}  ${((100 * b) / total).toFixed(1).padStart(5)}%  ${k}`);
