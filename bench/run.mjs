#!/usr/bin/env node
// npm run bench: the workloads of issue 6 for each stack against itself, both peers in separate Node
// processes on 127.0.0.1, one after another in one invocation, then one table with rtcpeer's ratios.
// Options: --quick (reduced sizes, for CI)  --json (machine output)  --only <w,...>  --stacks <s,...>
//          --cpu-prof <dir> (each peer process writes a V8 CPU profile there; see bench/profile.mjs)
// Environment: BENCH_NODE_FLAGS="--trace-gc ..." adds node flags to the peer processes;
//              BENCH_RTT_DUMP=<prefix> writes every measured round trip to <prefix>-<stack>.json
//              BENCH_TIMELINE=<n> prints rtcpeer's n-th connection's timeline to stderr (bench/lib/timeline.mjs)
//              BENCH_HEAP_SAMPLE=<dir> samples each peer's allocations (bench/lib/heap-sample.mjs, bench/heap.mjs)
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { runPair } from './lib/pair.mjs';
import { formatTable } from './lib/report.mjs';

const WORKLOADS = ['setup', 'bulk', 'small', 'rtt', 'many'];
// rtcpeer: default options (between two rtcpeer peers SCTP may find larger packets, RFC 8899);
// rtcpeer-1200: packets kept at the 1200 bytes browsers use. Ratios are given for both.
const STACKS = ['rtcpeer', 'rtcpeer-1200', 'node-datachannel', 'werift'];
// js-floor (only when named): no WebRTC, one datagram and one AES-GCM record per message, the floor
// of any JavaScript stack on node:dgram and node:crypto (bench/adapters/js-floor.mjs)
const EXTRA_STACKS = ['js-floor'];

function parseArgs(argv) {
  const o = { quick: false, json: false, only: WORKLOADS, stacks: STACKS, cpuProf: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = true;
    else if (a === '--cpu-prof') o.cpuProf = argv[++i] ?? '.';
    else if (a === '--only' || a === '--stacks') {
      const list = (argv[++i] ?? '').split(',').filter(Boolean);
      const known = a === '--only' ? WORKLOADS : [...STACKS, ...EXTRA_STACKS];
      const bad = list.filter((x) => !known.includes(x));
      if (list.length === 0 || bad.length > 0) throw new Error(`${a}: expected a comma list of ${known.join(', ')}`);
      o[a.slice(2)] = list;
    } else throw new Error(`unknown option ${a} (use --quick --json --only <w,...> --stacks <s,...>)`);
  }
  return o;
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`, node: process.version, loadAvgAtStart: os.loadavg().map((x) => Number(x.toFixed(2))) },
    quick: o.quick,
    stacks: {},
    runs: [],
  };
  for (const w of o.only) {
    const mod = await import(`./workloads/${w}.mjs`);
    const params = mod.params(o.quick);
    for (const s of o.stacks) {
      if (!o.json) process.stderr.write(`bench: ${w} / ${s} ...\n`);
      const started = performance.now();
      const r = await runPair(s, w, params, mod.timeoutMs(params), o.cpuProf);
      const run = { workload: w, stack: s, params, wallSeconds: (performance.now() - started) / 1000 };
      if (r.unavailable) run.unavailable = r.unavailable;
      else if (r.error) run.error = r.error;
      else {
        run.figures = mod.summarize(params, r.a, r.b);
        run.raw = { a: r.a, b: r.b };
        report.stacks[s] ??= { version: r.version };
      }
      if (r.unavailable) report.stacks[s] ??= { unavailable: r.unavailable };
      if (r.droppedCandidates) run.droppedNonLoopbackCandidates = r.droppedCandidates;
      report.runs.push(run);
    }
  }
  for (const s of o.stacks) report.stacks[s] ??= { unavailable: 'no workload completed' };
  report.machine.loadAvgAtEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
  if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(formatTable(report, o.stacks));
}

await main();
