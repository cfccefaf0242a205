// Small statistics helpers shared by the workloads and the report.

/** The q-quantile (0..1) of `xs` by nearest rank; NaN for an empty list. */
export function quantile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

/** CPU seconds (user + system) since `start` (a process.cpuUsage() value). */
export function cpuSeconds(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** Receiver side of a transfer: tells the sender 'ready', waits for `end`, answers 'done'; CPU seconds. */
export async function receiveMeasured(ctx, end) {
  const cpu0 = process.cpuUsage();
  ctx.post({ kind: 'ready' });
  await end;
  const cpu = cpuSeconds(cpu0);
  ctx.post({ kind: 'done' });
  return cpu;
}
