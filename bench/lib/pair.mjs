// Runs one workload for one stack: two forked peer processes (bench/peer.mjs), signalling and
// control messages relayed between them over IPC, loopback-only candidates, a hard timeout.
import { fork } from 'node:child_process';
import { setTimeout, clearTimeout } from 'node:timers';
import { loopbackOnly } from './loopback.mjs';

const PEER = new URL('../peer.mjs', import.meta.url).pathname;

/** Resolves { version, a, b } | { unavailable } | { error }; both children are gone afterwards. */
export function runPair(stack, workload, params, timeoutMs) {
  const base = process.hrtime.bigint().toString();
  const kids = { A: fork(PEER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), B: fork(PEER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }) };
  const results = {};
  let dropped = 0;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (out) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const k of Object.values(kids)) if (k.exitCode === null && k.signalCode === null) k.kill('SIGKILL');
      resolve({ ...out, droppedCandidates: dropped });
    };
    const timer = setTimeout(() => finish({ error: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
    for (const [role, kid] of Object.entries(kids)) {
      const other = kids[role === 'A' ? 'B' : 'A'];
      kid.on('message', (m) => {
        if (m.type === 'peer') {
          const payload = m.payload.kind === 'sig' ? { ...m.payload, msg: loopbackOnly(m.payload.msg) } : m.payload;
          if (payload.kind === 'sig' && payload.msg === undefined) return void dropped++;
          if (other.connected) other.send({ type: 'peer', payload });
          return;
        }
        if (m.type === 'error') return finish({ error: `${role}: ${m.message}` });
        if (m.unavailable) return finish({ unavailable: m.unavailable });
        results[role] = m;
        if (results.A && results.B) finish({ version: results.A.version, a: results.A.data, b: results.B.data });
      });
      kid.on('exit', (code, sig) => finish({ error: `${role} exited early (${sig ?? code})` }));
      kid.send({ type: 'run', stack, workload, role, params, base });
    }
  });
}
