// BENCH_HEAP_SAMPLE=<dir>: each peer process samples its allocations during the workload (V8's sampling
// heap profiler through node:inspector, one sample per 512 bytes on average, objects already collected
// included) and writes <dir>/<stack>-<workload>-<role>.heapprofile; `node bench/heap.mjs <file>
// [--per N]` sums them by allocating function. A diagnostic only: sampling slows the workload down.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const post = (session, method, params) =>
  new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));

/** Starts sampling if BENCH_HEAP_SAMPLE is set; resolves to a function that stops it and writes the file. */
export async function startHeapSampling(name) {
  const dir = process.env.BENCH_HEAP_SAMPLE;
  if (!dir) return async () => {};
  const session = new Session();
  session.connect();
  await post(session, 'HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await post(session, 'HeapProfiler.stopSampling', {});
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${name}.heapprofile`, JSON.stringify(profile));
  };
}
