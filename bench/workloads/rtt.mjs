// Workload "rtt": `count` ping-pongs of `size` bytes on a reliable ordered channel, one at a time
// (after `warmup` unrecorded ones); p50 and p99 of the round trip in microseconds, and the CPU time
// both processes spent per round trip. A stack still busy after `maxMs` stops there; `completed`
// says how many were measured.
import { writeFileSync } from 'node:fs';
import { answerer, dial } from '../lib/conn.mjs';
import { cpuSeconds, quantile } from '../lib/stats.mjs';

export const params = (quick) => ({ count: quick ? 200 : 10000, warmup: quick ? 20 : 200, size: 64, maxMs: quick ? 10000 : 60000 });
export const timeoutMs = (p) => 60000 + p.maxMs;

export async function A(ctx) {
  const { count, warmup, size } = ctx.params;
  const { ch } = await dial(ctx, 0, 'rtt');
  await ctx.recv('ready');
  const payload = new Uint8Array(size).fill(1);
  let pong;
  ch.onMessage(() => pong());
  const rtts = [];
  const end = ctx.now() + ctx.params.maxMs;
  let cpu0;
  for (let i = 0; i < warmup + count && ctx.now() < end; i++) {
    if (i === warmup) {
      ctx.post({ kind: 'go' }); // B measures its CPU from here
      cpu0 = process.cpuUsage();
    }
    const t = ctx.now();
    await new Promise((r) => {
      pong = r;
      ch.send(payload);
    });
    if (i >= warmup) rtts.push((ctx.now() - t) * 1000);
  }
  const cpu = cpu0 ? cpuSeconds(cpu0) : NaN;
  ctx.post({ kind: 'done' });
  // BENCH_RTT_DUMP=<prefix>: every measured round trip (µs, in order) to <prefix>-<stack>.json
  if (process.env.BENCH_RTT_DUMP) writeFileSync(`${process.env.BENCH_RTT_DUMP}-${ctx.adapter.name}.json`, JSON.stringify(rtts.map((x) => Math.round(x))));
  return { completed: rtts.length, p50: quantile(rtts, 0.5), p99: quantile(rtts, 0.99), max: Math.max(...rtts), cpu };
}

export async function B(ctx) {
  const { ch } = await answerer(ctx).next();
  ch.onMessage((m) => ch.send(m));
  let cpu0;
  void ctx.recv('go').then(() => (cpu0 = process.cpuUsage()));
  ctx.post({ kind: 'ready' });
  await ctx.recv('done');
  return { cpu: cpu0 ? cpuSeconds(cpu0) : NaN };
}

export function summarize(p, a, b) {
  return [
    { key: 'rtt.p50', label: `round trip ${p.size} B p50`, unit: 'µs', better: 'lower', value: a.p50 },
    { key: 'rtt.p99', label: 'round trip p99', unit: 'µs', better: 'lower', value: a.p99 },
    { key: 'rtt.cpu', label: 'round trip CPU, both sides', unit: 'µs', better: 'lower', value: ((a.cpu + b.cpu) * 1e6) / a.completed },
    { key: 'rtt.completed', label: `round trips done (of ${p.count})`, unit: '', better: 'higher', value: a.completed },
  ];
}
