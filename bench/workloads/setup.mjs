// Workload "setup": from creating the peer connection to the channel being open on both sides,
// `count` connections one after another (after `warmup` unrecorded ones that pay for lazy
// initialisation such as certificate generation); median and p90.
import { answerer, dial } from '../lib/conn.mjs';
import { quantile } from '../lib/stats.mjs';

export const params = (quick) => ({ count: quick ? 2 : 20, warmup: quick ? 0 : 1 });
export const timeoutMs = (p) => 15000 + p.count * 5000;

export async function A(ctx) {
  const times = [];
  const sides = [];
  for (let id = 0; id < ctx.params.warmup + ctx.params.count; id++) {
    const c = await dial(ctx, id, 'setup');
    const b = await ctx.recv('open');
    if (id >= ctx.params.warmup) {
      times.push(Math.max(c.tOpen, b.t) - c.t0);
      sides.push([c.tOpen - c.t0, b.t - c.t0]);
    }
    c.close();
    ctx.post({ kind: 'close', id });
    await ctx.recv('closed');
  }
  return { times, sides };
}

export async function B(ctx) {
  const acc = answerer(ctx);
  for (let i = 0; i < ctx.params.warmup + ctx.params.count; i++) {
    const c = await acc.next();
    ctx.post({ kind: 'open', id: c.id, t: c.tOpen });
    await ctx.recv('close');
    c.close();
    ctx.post({ kind: 'closed' });
  }
  return {};
}

export function summarize(p, a) {
  return [
    { key: 'setup.median', label: 'setup median', unit: 'ms', better: 'lower', value: quantile(a.times, 0.5) },
    { key: 'setup.p90', label: 'setup p90', unit: 'ms', better: 'lower', value: quantile(a.times, 0.9) },
    { key: 'setup.max', label: 'setup max', unit: 'ms', better: 'lower', value: Math.max(...a.times) },
  ];
}
