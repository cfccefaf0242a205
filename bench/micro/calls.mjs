// JavaScript calls per connection setup and per round trip, counted, not sampled (dist/):
//   npm run build && node bench/micro/calls.mjs [--top N]
// Runs bench/micro/roundtrip-alloc.mjs (both peers in one process: one setup, then ping-pongs) under
// `node --no-opt --no-sparkplug --trace`, which prints every call of an interpreted function, and counts
// them: from the first createOffer call to the first round trip (the setup, both peers), and over the
// 200 measured round trips. In the interpreter, where a process's first connections and first
// thousands of round trips run, the number of calls is most of the cost (docs/performance.md, "Calls");
// node's own functions (dgram, timers, async hooks, crypto wrappers) are counted too. Takes about a
// minute: the trace is a few million lines, read as a stream.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const i = process.argv.indexOf('--top');
const TOP = i >= 0 ? Number(process.argv[i + 1]) : 25;
const COUNT = 200;
const script = new URL('./roundtrip-alloc.mjs', import.meta.url).pathname;
const child = spawn(process.execPath, ['--expose-gc', '--no-opt', '--no-sparkplug', '--trace', script, '--warmup', '300', '--count', String(COUNT), '--rounds', '1'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});

// A call line: `<depth>: ~name+offset(this=0x... <Class map = ...>, args...) {`
const CALL = /^\s*\d+:\s*~([^(+]*)(?:\+\d+)?\(this=0x[0-9a-f]+ <([A-Za-z_$][\w$]*)?/;
let phase = 'before'; // before -> setup -> warmup -> measured -> after
let roundTrips = 0;
const counts = { setup: new Map(), measured: new Map() };
const totals = { setup: 0, measured: 0 };

const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
lines.on('line', (line) => {
  const m = CALL.exec(line);
  if (!m) return;
  const name = m[1].trim();
  if (name === 'createOffer' && phase === 'before') phase = 'setup';
  else if (name === 'roundTrips') {
    roundTrips++;
    phase = roundTrips === 1 ? 'warmup' : 'measured';
  } else if (name === 'memoryUsage' && phase === 'measured' && roundTrips === 2) {
    // memoryUsage is called before the measured round trips start and once after them
    if (totals.measured > 0) phase = 'after';
  }
  if (phase !== 'setup' && phase !== 'measured') return;
  const key = `${name || '(anonymous)'} <${m[2] ?? '?'}>`;
  const c = counts[phase];
  c.set(key, (c.get(key) ?? 0) + 1);
  totals[phase]++;
});

child.on('close', (code) => {
  if (code !== 0 || totals.setup === 0 || totals.measured === 0) {
    console.error(`the traced run failed (exit ${code}) or printed no calls in a phase`);
    process.exit(1);
  }
  const show = (title, map, per) => {
    console.log(`${title}: ${(totals[map === counts.setup ? 'setup' : 'measured'] / per).toFixed(0)} calls`);
    const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP);
    for (const [k, n] of rows) console.log(`  ${(n / per).toFixed(1).padStart(8)}  ${k}`);
  };
  show('one connection setup, both peers', counts.setup, 1);
  show('per round trip, both peers', counts.measured, COUNT);
});
