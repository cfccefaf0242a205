// Workload "rtt": `count` ping-pongs of `size` bytes on a reliable ordered channel, one at a time
// (after `warmup` unrecorded ones); p50 and p99 of the round trip in microseconds. A stack still
// busy after `maxMs` stops there; `completed` says how many were measured.
import { answerer, dial } from '../lib/conn.mjs';
import { quantile } from '../lib/stats.mjs';

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
  for (let i = 0; i < warmup + count && ctx.now() < end; i++) {
    const t = ctx.now();
    await new Promise((r) => {
      pong = r;
      ch.send(payload);
    });
    if (i >= warmup) rtts.push((ctx.now() - t) * 1000);
  }
  ctx.post({ kind: 'done' });
  return { completed: rtts.length, p50: quantile(rtts, 0.5), p99: quantile(rtts, 0.99), max: Math.max(...rtts) };
}

export async function B(ctx) {
  const { ch } = await answerer(ctx).next();
  ch.onMessage((m) => ch.send(m));
  ctx.post({ kind: 'ready' });
  await ctx.recv('done');
  return {};
}

export function summarize(p, a) {
  return [
    { key: 'rtt.p50', label: `round trip ${p.size} B p50`, unit: 'µs', better: 'lower', value: a.p50 },
    { key: 'rtt.p99', label: 'round trip p99', unit: 'µs', better: 'lower', value: a.p99 },
    { key: 'rtt.completed', label: `round trips done (of ${p.count})`, unit: '', better: 'higher', value: a.completed },
  ];
}
