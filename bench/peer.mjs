// One side of a benchmark pair, in its own process (forked by bench/run.mjs). Receives
// { type: 'run', stack, workload, role, params, base } over IPC, runs that role and answers
// { type: 'result', version, data } | { type: 'result', unavailable } | { type: 'error', message }.
// { type: 'peer', payload } messages are relayed to and from the other side by the parent.
import { startHeapSampling } from './lib/heap-sample.mjs';

const queue = [];
const waiters = [];
let ctx;

function dispatch(payload) {
  if (payload.kind === 'sig') {
    let h = ctx.signalHandlers.get(payload.id);
    if (!h && ctx.onNewConnection) {
      ctx.onNewConnection(payload.id);
      h = ctx.signalHandlers.get(payload.id);
    }
    try {
      h?.(payload.msg);
    } catch (e) {
      // e.g. a late candidate for a connection already closed: counted, reported with the result
      ctx.signalErrors.push(e instanceof Error ? e.message : String(e));
    }
    return;
  }
  const i = waiters.findIndex((w) => w.kind === payload.kind);
  if (i >= 0) waiters.splice(i, 1)[0].resolve(payload);
  else queue.push(payload);
}

// If the parent goes away (killed, timed out), so does this side.
process.on('disconnect', () => process.exit(0));

process.on('message', (m) => {
  if (m.type === 'run') return void run(m);
  if (m.type === 'exit') return void process.exit(0);
  if (m.type === 'peer') {
    if (ctx) dispatch(m.payload);
    else queue.push(m.payload);
  }
});

async function run(m) {
  try {
    const adapter = await import(`./adapters/${m.stack}.mjs`);
    const loaded = await adapter.load({ workload: m.workload });
    if (loaded.unavailable) return void process.send({ type: 'result', unavailable: loaded.unavailable });
    const workload = await import(`./workloads/${m.workload}.mjs`);
    const base = BigInt(m.base);
    ctx = {
      adapter,
      role: m.role,
      params: m.params,
      now: () => Number(process.hrtime.bigint() - base) / 1e6,
      post: (payload) => process.send({ type: 'peer', payload }),
      recv: (kind) => {
        const i = queue.findIndex((p) => p.kind === kind);
        if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]);
        return new Promise((resolve) => waiters.push({ kind, resolve }));
      },
      signalHandlers: new Map(),
      onNewConnection: undefined,
      signalErrors: [],
    };
    const early = queue.splice(0);
    const stopSampling = await startHeapSampling(`${m.stack}-${m.workload}-${m.role}`); // BENCH_HEAP_SAMPLE
    const pending = workload[m.role](ctx);
    for (const p of early) dispatch(p);
    const data = await pending;
    await stopSampling();
    if (ctx.signalErrors.length > 0) data.signalErrors = ctx.signalErrors.slice(0, 5).concat(ctx.signalErrors.length > 5 ? [`... ${ctx.signalErrors.length} in all`] : []);
    process.send({ type: 'result', version: loaded.version, data });
  } catch (e) {
    process.send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}
