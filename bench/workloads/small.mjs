// Workload "small": `count` messages of `size` bytes on an unordered channel with maxRetransmits 0,
// as fast as back-pressure allows. Delivered messages per second (from the first send to the last
// message received) and the share of sent messages lost. A sender still busy after `maxSendMs`
// stops there (some stacks manage only a few hundred small messages per second). The receiver stops once everything arrived, or 500 ms
// after the sender reported an empty send buffer and nothing more arrived.
import { setInterval, clearInterval } from 'node:timers';
import { answerer, dial } from '../lib/conn.mjs';
import { drained, sendAll } from '../lib/sender.mjs';
import { cpuSeconds, receiveMeasured } from '../lib/stats.mjs';

export const params = (quick) => ({ count: quick ? 5000 : 200000, size: 64, high: 4 * 1024, low: 1024, quietMs: 500, maxSendMs: quick ? 5000 : 30000 });
export const timeoutMs = (p) => 60000 + p.maxSendMs;

const OPTS = { ordered: false, maxRetransmits: 0 };

export async function A(ctx) {
  const { count, size, high, low, maxSendMs } = ctx.params;
  const { ch } = await dial(ctx, 0, 'small', OPTS);
  await ctx.recv('ready');
  const cpu0 = process.cpuUsage();
  const t0 = ctx.now();
  const stopAt = () => ctx.now() - t0 > maxSendMs;
  const { sent, watchdogSends } = await sendAll(ch, { count, payload: new Uint8Array(size).fill(0x33), high, low, stopAt });
  await drained(ch);
  ctx.post({ kind: 'sent', sent });
  await ctx.recv('done');
  return { t0, sent, cpu: cpuSeconds(cpu0), watchdogSends };
}

export async function B(ctx) {
  const { quietMs } = ctx.params;
  let count = ctx.params.count;
  const { ch } = await answerer(ctx).next();
  let received = 0;
  let tLast = 0;
  let finish;
  const end = new Promise((r) => (finish = r));
  ch.onMessage(() => {
    received++;
    tLast = ctx.now();
    if (received >= count) finish();
  });
  void ctx.recv('sent').then((m) => {
    count = m.sent;
    if (received >= count) return finish();
    const tSent = ctx.now();
    const t = setInterval(() => {
      if (ctx.now() - Math.max(tLast, tSent) > quietMs) finish();
    }, 20);
    void end.then(() => clearInterval(t));
  });
  const cpu = await receiveMeasured(ctx, end);
  return { received, tLast, cpu };
}

export function summarize(p, a, b) {
  const secs = (b.tLast - a.t0) / 1000;
  return [
    { key: 'small.rate', label: `small ${p.size} B unordered rtx=0`, unit: 'msgs/s', better: 'higher', value: b.received / secs },
    { key: 'small.sent', label: 'small sent', unit: 'msgs', better: 'higher', value: a.sent },
    { key: 'small.lost', label: 'small lost', unit: '%', better: 'lower', value: (100 * (a.sent - b.received)) / a.sent },
    { key: 'small.cpuSender', label: 'small CPU sender', unit: 's', better: 'lower', value: a.cpu },
    { key: 'small.cpuReceiver', label: 'small CPU receiver', unit: 's', better: 'lower', value: b.cpu },
  ];
}
