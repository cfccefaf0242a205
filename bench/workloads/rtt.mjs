// Workload "rtt": `count` ping-pongs of `size` bytes on a reliable ordered channel, one at a time
// (after `warmup` unrecorded ones); p50 and p99 of the round trip in microseconds.
import { answerer, dial } from '../lib/conn.mjs';
import { quantile } from '../lib/stats.mjs';

export const params = (quick) => ({ count: quick ? 200 : 10000, warmup: quick ? 20 : 200, size: 64 });
export const timeoutMs = (p) => 30000 + p.count * 5;

export async function A(ctx) {
  const { count, warmup, size } = ctx.params;
  const { ch } = await dial(ctx, 0, 'rtt');
  await ctx.recv('ready');
  const payload = new Uint8Array(size).fill(1);
  let pong;
  ch.onMessage(() => pong());
  const rtts = [];
  for (let i = 0; i < warmup + count; i++) {
    const t = ctx.now();
    await new Promise((r) => {
      pong = r;
      ch.send(payload);
    });
    if (i >= warmup) rtts.push((ctx.now() - t) * 1000);
  }
  ctx.post({ kind: 'done' });
  return { p50: quantile(rtts, 0.5), p99: quantile(rtts, 0.99), max: Math.max(...rtts) };
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
  ];
}
