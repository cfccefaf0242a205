// Workload "bulk": `total` bytes in `size`-byte messages on a reliable ordered channel, with
// back-pressure (send while bufferedAmount < high, resume on the low-threshold event). MB/s at the
// receiver (10^6 bytes/s, from the first send to the last byte received) and CPU seconds per side.
import { answerer, dial } from '../lib/conn.mjs';
import { sendAll } from '../lib/sender.mjs';
import { cpuSeconds, receiveMeasured } from '../lib/stats.mjs';

const MiB = 1024 * 1024;
export const params = (quick) => ({ total: (quick ? 2 : 64) * MiB, size: 16 * 1024, high: 1 * MiB, low: 256 * 1024 });
export const timeoutMs = (p) => 30000 + p.total / 250; // ≥ 0.25 MB/s

export async function A(ctx) {
  const { total, size, high, low } = ctx.params;
  const { ch } = await dial(ctx, 0, 'bulk');
  await ctx.recv('ready');
  const cpu0 = process.cpuUsage();
  const t0 = ctx.now();
  const payload = new Uint8Array(size).fill(0x5a);
  const { watchdogSends } = await sendAll(ch, { count: Math.ceil(total / size), payload, high, low });
  await ctx.recv('done');
  return { t0, cpu: cpuSeconds(cpu0), watchdogSends };
}

export async function B(ctx) {
  const { total } = ctx.params;
  const { ch } = await answerer(ctx).next();
  let bytes = 0;
  let tLast = 0;
  const all = new Promise((resolve) => {
    ch.onMessage((m) => {
      bytes += m.length;
      if (bytes >= total) {
        tLast = ctx.now();
        resolve();
      }
    });
  });
  const cpu = await receiveMeasured(ctx, all);
  return { bytes, tLast, cpu };
}

export function summarize(p, a, b) {
  const secs = (b.tLast - a.t0) / 1000;
  return [
    { key: 'bulk.mbps', label: `bulk ${p.total / MiB} MiB / ${p.size / 1024} KiB msgs`, unit: 'MB/s', better: 'higher', value: b.bytes / 1e6 / secs },
    { key: 'bulk.cpuSender', label: 'bulk CPU sender', unit: 's', better: 'lower', value: a.cpu },
    { key: 'bulk.cpuReceiver', label: 'bulk CPU receiver', unit: 's', better: 'lower', value: b.cpu },
  ];
}
