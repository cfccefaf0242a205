/**
 * Self-test of the namespace lab (root only: skips itself otherwise). Builds real namespaces, sends
 * UDP between them, checks that nftables loss, the wanem delay shim and NAT do what they claim, and
 * that teardown leaves no namespace and no process behind, also when the test body fails.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { labSkipReason, withLab } from './lab.js';
import type { Lab, LabProcess } from './lab.js';

const skip = labSkipReason();
const UDP = 'test/root/lab-udp.mjs';
const canCapture = ['tcpdump', 'dumpcap'].some((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);

interface ClientResult {
  sent: number;
  received: number;
  lossPct: number;
  rttMs: { min: number; avg: number; max: number };
  outOfOrder: number;
}

async function echoServer(lab: Lab): Promise<LabProcess> {
  const srv = lab.spawn('b', process.execPath, [UDP, 'server', '9000']);
  await srv.waitFor(/"listening":9000/);
  return srv;
}

async function probe(lab: Lab, count: number, intervalMs: number): Promise<ClientResult> {
  const r = await lab.run('a', process.execPath, [UDP, 'client', lab.addr('b'), '9000', String(count), String(intervalMs)]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ClientResult;
}

test('lab: UDP between namespaces, nftables loss, wanem delay, clean teardown', { skip, timeout: 120_000 }, async () => {
  let lab: Lab | undefined;
  let srvPid: number | undefined;
  await withLab({}, async (l) => {
    lab = l;
    assert.deepEqual(l.namespaces().sort(), [l.ns('a'), l.ns('b'), `${l.name}-rtr`].sort());
    const srv = await echoServer(l);
    srvPid = srv.pid;

    const pcap = join(mkdtempSync(join(tmpdir(), 'lab-')), 'b.pcap');
    const cap = canCapture ? await l.capture('b', pcap) : undefined;
    // dumpcap reports "Capturing on" a moment before it really captures (a clean-clone CI run caught
    // 218 of 600 frames): let it settle. This is a real process, not protocol timing.
    if (cap) await new Promise((r) => setTimeout(r, 500));
    const clean = await probe(l, 300, 1);
    assert.equal(clean.received, 300, JSON.stringify(clean));
    if (cap) {
      await cap.stop();
      // 600 frames (300 probes + 300 echoes) of 74 bytes (14 Ethernet + 20 IP + 8 UDP + 32) were sent;
      // the capture must have seen the traffic (at least 100 of those frames), proving it works.
      assert.ok(statSync(pcap).size > 100 * 74, `capture size ${statSync(pcap).size}; ${cap.stderr}`);
    }

    l.loss('a', 20); // one way: a -> router; replies are not dropped
    const lossy = await probe(l, 1000, 1);
    // binomial(1000, 0.2): mean 200 lost, sigma 12.6; 5 sigma either side
    assert.ok(lossy.received >= 737 && lossy.received <= 863, `received ${lossy.received} of 1000 with 20% loss`);
    l.clear();

    l.wanem({ delayMs: 30, jitterMs: 4, seed: 1 });
    const slow = await probe(l, 100, 5);
    assert.equal(slow.received, 100, JSON.stringify(slow));
    // two router passes per round trip (request and reply): at least 2 x 30 ms
    assert.ok(slow.rttMs.min >= 59 && slow.rttMs.avg < 200, JSON.stringify(slow.rttMs));
    assert.equal(slow.outOfOrder, 0, 'jitter alone keeps order');
    l.wanem({ lossPct: 50, matchSrc: ['198.18.1.0/24'], seed: 2 });
    const half = await probe(l, 400, 1);
    assert.ok(half.received >= 150 && half.received <= 250, `received ${half.received} of 400 with wanem 50% loss`);
  });
  assert.ok(lab);
  assert.deepEqual(lab.namespaces(), []);
  assert.throws(() => process.kill(srvPid ?? -1, 0), /ESRCH/);
});

test('lab: NAT box translates the private host (cone keeps the port, symmetric changes it)', { skip, timeout: 60_000 }, async () => {
  for (const nat of ['cone', 'symmetric'] as const) {
    await withLab({ nat }, async (lab) => {
      await echoServer(lab);
      const r = await lab.run('priv', process.execPath, [UDP, 'whoami', lab.addr('b'), '9000']);
      const out = JSON.parse(r.stdout) as { seenAs: string; local: number };
      const [addr, port] = out.seenAs.split(':');
      assert.equal(addr, lab.addr('nat'), `${nat}: seen as ${out.seenAs}`);
      if (nat === 'cone') assert.equal(Number(port), out.local);
      // the private LAN is not routed from outside
      const back = await lab.run('b', process.execPath, [UDP, 'whoami', lab.addr('priv'), '9000']);
      assert.match(back.stdout, /no reply/);
    });
  }
});

test('lab: a failing body still removes namespaces and kills its processes', { skip, timeout: 60_000 }, async () => {
  let lab: Lab | undefined;
  let pid: number | undefined;
  await assert.rejects(
    withLab({ turn: true }, async (l) => {
      lab = l;
      const sleeper = l.spawn('turn', 'sleep', ['600']);
      pid = sleeper.pid;
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(sleeper.running);
      throw new Error('body failed on purpose');
    }),
    /on purpose/,
  );
  assert.ok(lab && pid);
  assert.deepEqual(lab.namespaces(), []);
  assert.throws(() => process.kill(pid ?? -1, 0), /ESRCH/);
});

const chromiumSkip = skip ?? (existsSync('/usr/bin/chromium') || process.env['LAB_CHROMIUM'] ? undefined : 'needs chromium');

test('lab: Chromium runs inside a lab namespace and gathers only that namespace address', { skip: chromiumSkip, timeout: 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  await withLab({}, async (lab) => {
    const browser = await chromium.launch({
      ...lab.chromium('a'),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-features=WebRtcHideLocalIpsWithMdns'],
    });
    try {
      const page = await browser.newPage();
      // a string, so the test needs no DOM typings: gather with one data channel, collect until null
      const candidates = (await page.evaluate(`(async () => {
        const pc = new RTCPeerConnection();
        pc.createDataChannel('x');
        const out = [];
        const done = new Promise((resolve) => {
          pc.onicecandidate = (e) => (e.candidate ? out.push(e.candidate.candidate) : resolve());
        });
        await pc.setLocalDescription(await pc.createOffer());
        await done;
        pc.close();
        return out;
      })()`)) as string[];
      assert.ok(candidates.length > 0, 'no candidates');
      for (const c of candidates) assert.match(c, / 198\.18\.1\.2 \d+ typ host/, c);
    } finally {
      await browser.close();
    }
  });
});
