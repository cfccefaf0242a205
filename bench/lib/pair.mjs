// Runs one workload for one stack: two forked peer processes (bench/peer.mjs), signalling and
// control messages relayed between them over IPC, loopback-only candidates, a hard timeout.
import { fork } from 'node:child_process';
import { setTimeout, clearTimeout } from 'node:timers';
import { loopbackOnly } from './loopback.mjs';

const PEER = new URL('../peer.mjs', import.meta.url).pathname;

/**
 * Resolves { version, a, b } | { unavailable } | { error }; both children are gone afterwards.
 * `cpuProfDir`: children run with --cpu-prof and write their profiles there on a clean exit.
 */
export function runPair(stack, workload, params, timeoutMs, cpuProfDir) {
  const base = process.hrtime.bigint().toString();
  const execArgv = [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [])];
  const spawn = (role) => fork(PEER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, env: { ...process.env, BENCH_ROLE: `${stack}-${workload}-${role}` } });
  const kids = { A: spawn('A'), B: spawn('B') };
  const results = {};
  let dropped = 0;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (out) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const alive = Object.values(kids).filter((k) => k.exitCode === null && k.signalCode === null);
      const kill = () => alive.forEach((k) => k.exitCode === null && k.signalCode === null && k.kill('SIGKILL'));
      if (out.error || alive.length === 0) {
        kill();
        return resolve({ ...out, droppedCandidates: dropped });
      }
      // A clean exit lets --cpu-prof write its profile; whoever is still there after 5 s is killed.
      let left = alive.length;
      const force = setTimeout(kill, 5000);
      for (const k of alive) {
        k.once('exit', () => --left === 0 && (clearTimeout(force), resolve({ ...out, droppedCandidates: dropped })));
        k.send({ type: 'exit' });
      }
      setTimeout(() => resolve({ ...out, droppedCandidates: dropped }), 5100);
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
      kid.on('error', () => {}); // a send to a child that just exited
      kid.send({ type: 'run', stack, workload, role, params, base });
    }
  });
}
