// The human table: one row per figure, one column per stack, then each rtcpeer variant's ratio to
// each peer (rtcpeer ÷ peer; whether higher or lower is better is given per row).
const fmt = (v) => {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  if (Math.abs(v) >= 100) return v.toFixed(1);
  return v.toPrecision(3);
};

export function formatTable(report, stacks) {
  const rows = [];
  const byKey = new Map();
  const notes = [];
  for (const run of report.runs) {
    for (const f of run.figures ?? []) {
      if (typeof f.value === 'string') {
        notes.push(`${run.workload} / ${run.stack}: ${f.label}: ${f.value}`);
        continue;
      }
      if (!byKey.has(f.key)) {
        byKey.set(f.key, { f, cells: {} });
        rows.push(f.key);
      }
      byKey.get(f.key).cells[run.stack] = f.value;
    }
  }
  const failures = report.runs.filter((r) => r.error || r.unavailable);
  const ours = stacks.filter((s) => s.startsWith('rtcpeer') && report.runs.some((r) => r.stack === s && r.figures));
  const peers = stacks.filter((s) => !s.startsWith('rtcpeer'));
  const pairs = ours.flatMap((o) => peers.map((p) => [o, p]));
  const head = ['figure', 'unit', 'better', ...stacks, ...pairs.map(([o, p]) => `${o}/${p}`)];
  const table = [head];
  for (const key of rows) {
    const { f, cells } = byKey.get(key);
    const ratio = ([o, p]) => (typeof cells[o] === 'number' && typeof cells[p] === 'number' && cells[p] !== 0 ? `${(cells[o] / cells[p]).toFixed(2)}x` : '-');
    table.push([f.label, f.unit, f.better, ...stacks.map((s) => (s in cells ? fmt(cells[s]) : '-')), ...pairs.map(ratio)]);
  }
  const widths = head.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i < 3 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  const out = [
    `rtcpeer benchmark ${report.quick ? '(--quick) ' : ''}${report.date}`,
    `machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memGiB} GiB, ${report.machine.platform}, Node ${report.machine.node}, load average ${report.machine.loadAvgAtStart?.[0]} at start, ${report.machine.loadAvgAtEnd?.[0]} at end`,
    ...stacks.map((s) => `  ${s}: ${report.stacks[s]?.version ?? `not available: ${report.stacks[s]?.unavailable}`}`),
    '',
    line(table[0]),
    ...table.slice(1).map(line),
  ];
  if (failures.length > 0 || notes.length > 0) {
    out.push('', ...notes);
    for (const r of failures) out.push(`${r.workload} / ${r.stack}: ${r.unavailable ? `not available: ${r.unavailable}` : `failed: ${r.error.split('\n')[0]}`}`);
  }
  return `${out.join('\n')}\n`;
}
