/**
 * Under impairment in the lab (rtcpeer in namespace `b`, the peer in `a`, the router between them
 * dropping or delaying): a 16 MiB reliable, ordered transfer each way arrives byte-exact and the
 * connection stays up. 1 % and 10 % loss (nftables, both directions), 40 ms delay with 10 ms
 * jitter (wanem TUN shim). Needs root; skips otherwise.
 */
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { Lab, labSkipReason } from '../root/lab.js';
import { PeerProcess, driverCommand } from './harness/peer-process.js';
import type { PeerKind } from './harness/peer-process.js';
import { rows, printMatrix } from './harness/matrix.js';
import { connect, transfer } from './harness/session.js';

const skip = labSkipReason();
after(() => printMatrix('16 MiB reliable transfers under impairment, rtcpeer (A, ns b) vs peer (B, ns a)'));

// [name, apply, both ways?] 10 % loss runs rtcpeer -> peer only (the sender's recovery is what it
// tests; rtcpeer as receiver is covered at 1 %), to keep the suite within minutes.
const CONDITIONS: readonly [string, (lab: Lab) => void, boolean][] = [
  ['loss 1%', (lab) => (lab.loss('a', 1), lab.loss('b', 1)), true],
  ['loss 10%', (lab) => (lab.loss('a', 10), lab.loss('b', 10)), false],
  ['delay 40ms jitter 10ms', (lab) => lab.wanem({ delayMs: 40, jitterMs: 10, seed: 5 }), true],
];

const PEERS: readonly [PeerKind, string][] = [
  ['ndc', 'node-datachannel 0.33.4'],
  ['werift', 'werift 0.25.2'],
  ['chromium', 'Chromium mDNS off'],
];

function inLab(lab: Lab, host: 'a' | 'b', name: string, kind: PeerKind, args: readonly string[] = []): PeerProcess {
  const [cmd, argv] = driverCommand(kind, args);
  return new PeerProcess(name, lab.spawn(host, cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] }).child);
}

for (const [kind, label] of PEERS) {
  const chromeMissing = kind === 'chromium' && !existsSync('/usr/bin/chromium') ? 'needs /usr/bin/chromium' : undefined;
  test(`16 MiB under impairment: rtcpeer vs ${label}`, { skip: skip ?? chromeMissing, timeout: 900_000 }, async (t) => {
    for (const [cond, apply, bothWays] of CONDITIONS) {
      await t.test(cond, async () => {
        const lab = Lab.create({ name: 'rtm' });
        const a = inLab(lab, 'b', 'rtcpeer', 'rtcpeer');
        const b = inLab(lab, 'a', kind, kind, kind === 'chromium' ? ['--no-mdns'] : []);
        const t0 = performance.now();
        try {
          const r = await connect(a, b, { trickle: true, bind: [lab.addr('b'), lab.addr('a')] });
          apply(lab);
          const big = { text: false, size: 65536, count: 256 } as const;
          await transfer(a, 'main', b, r.answererKey, { ...big, seed: 1 }, { timeoutMs: 240_000 });
          if (bothWays) await transfer(b, r.answererKey, a, 'main', { ...big, seed: 2 }, { timeoutMs: 240_000 });
          const info = await a.request('info');
          if (info['state'] !== 'connected') throw new Error(`connection state ${String(info['state'])} after the transfer`);
          rows.push({ peer: label, role: 'A offers', mode: 'lab', name: `16 MiB ${bothWays ? 'each way' : 'A->B'}, ${cond}`, ok: true, ms: performance.now() - t0 });
        } catch (e) {
          rows.push({ peer: label, role: 'A offers', mode: 'lab', name: `16 MiB ${bothWays ? 'each way' : 'A->B'}, ${cond}`, ok: false, ms: performance.now() - t0, error: String(e).split('\n')[0] ?? '' });
          throw e;
        } finally {
          await Promise.all([a.stop(), b.stop()]);
          await lab.destroy();
        }
      });
    }
  });
}
