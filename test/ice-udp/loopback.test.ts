/**
 * ICE over real UDP on loopback (127.0.0.1 only, ephemeral ports): two agents in one process, and
 * two agents in two processes (a child node process run through tsx, candidates over stdio), each
 * then exchanging application datagrams over the selected pair.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/io/clock.js';
import { openUdpHandles } from '../io/handles.js';
import type { SignalMessage } from './udp-peer.js';
import { applyRemote, describeLocal, killChild, startUdpPeer } from './udp-peer.js';

const connected = (e: { type: string; state?: string }): boolean => e.type === 'state' && e.state === 'connected';

test('two agents in one process connect over loopback UDP and exchange datagrams', async () => {
  const a = await startUdpPeer(true);
  const b = await startUdpPeer(false);
  try {
    await a.waitFor((e) => e.type === 'gathering-complete', 2000, 'A gathering');
    await b.waitFor((e) => e.type === 'gathering-complete', 2000, 'B gathering');
    assert.match(a.candidateLines()[0] ?? '', /^candidate:\d+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host$/);
    applyRemote(a, describeLocal(b));
    applyRemote(b, describeLocal(a));
    await Promise.all([a.waitFor(connected, 5000, 'A connected'), b.waitFor(connected, 5000, 'B connected')]);
    assert.equal(a.agent.selectedPair?.remote.port, b.sockets.localAddresses[0]?.port);
    const got = b.waitFor((e) => e.type === 'data', 2000, 'data at B');
    assert.ok(a.agent.send(systemClock.now(), Uint8Array.of(23, 1, 2, 3)));
    a.driver.pump();
    const ev = await got;
    assert.ok(ev.type === 'data');
    assert.deepEqual([...ev.data], [23, 1, 2, 3]);
    const back = a.waitFor((e) => e.type === 'data', 2000, 'data at A');
    assert.ok(b.agent.send(systemClock.now(), Uint8Array.of(24, 9)));
    b.driver.pump();
    const ev2 = await back;
    assert.ok(ev2.type === 'data');
    assert.deepEqual([...ev2.data], [24, 9]);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  assert.equal(await openUdpHandles(), 0, 'no UDP socket left open');
});

test('two agents in two processes connect over loopback UDP and echo datagrams', async () => {
  const childPath = fileURLToPath(new URL('./child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', childPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const parent = await startUdpPeer(true);
  try {
    const lines = createInterface({ input: child.stdout });
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    lines.on('line', (l) => {
      queue.push(l);
      wake?.();
    });
    const nextLine = async (pred: (l: string) => boolean, ms: number, what: string): Promise<string> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = queue.findIndex(pred);
        if (i >= 0) return queue.splice(i, 1)[0] as string;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${what} from the child`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          wake = () => (clearTimeout(t), r());
        });
      }
    };
    const remote = JSON.parse(await nextLine((l) => l.includes('"ufrag"'), 15_000, 'its candidates')) as SignalMessage;
    assert.ok(remote.candidates.length >= 1);
    await parent.waitFor((e) => e.type === 'gathering-complete', 2000, 'gathering');
    child.stdin.write(`${JSON.stringify(describeLocal(parent))}\n`);
    applyRemote(parent, remote);
    await parent.waitFor(connected, 5000, 'parent connected');
    await nextLine((l) => l === '{"state":"connected"}', 5000, 'child connected');
    for (let i = 0; i < 5; i++) {
      const echo = parent.waitFor((e) => e.type === 'data' && e.data[1] === 2 * i + 1, 2000, `echo ${i}`);
      assert.ok(parent.agent.send(systemClock.now(), Uint8Array.of(23, 2 * i, 7)));
      parent.driver.pump();
      const ev = await echo;
      assert.ok(ev.type === 'data');
      assert.deepEqual([...ev.data], [23, 2 * i + 1, 7]);
    }
    child.stdin.write('quit\n');
  } finally {
    await parent.close();
    await killChild(child);
  }
});
