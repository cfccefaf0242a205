// Root-only lab (issue 8): coturn in the `turn` namespace (config in a temp dir, listening only on
// its lab address, self-signed cert made here), rtcpeer in `priv` behind a SYMMETRIC NAT with
// relay-only policy connects to rtcpeer on `b` through coturn over UDP, TCP and TLS; data flows both
// ways and A's selected pair is relay. Namespaces and processes are removed by PID even on failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { coturnSkipReason, startCoturn } from '../turn/coturn.js';
import { makeSelfSigned, opensslSkipReason } from '../turn/self-signed.js';
import { labSkipReason, withLab, type Lab, type LabProcess } from './lab.js';

const skip = labSkipReason() ?? coturnSkipReason() ?? opensslSkipReason();
const PEER = 'test/root/turn-peer.ts';

type Msg = { creds?: [string, string]; cand?: string; eoc?: boolean; up?: { local: string; localAddr: string; remote: string; dropped: number }; data?: number[]; error?: string };

function messages(p: LabProcess, onMsg: (m: Msg) => void): void {
  let buf = '';
  p.child.stdout?.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) onMsg(JSON.parse(line) as Msg);
    }
  });
}

async function relayCase(lab: Lab, transport: 'udp' | 'tcp' | 'tls', port: number, caFile: string): Promise<{ a: Msg[]; b: Msg[] }> {
  const turnIp = lab.addr('turn');
  const spawnPeer = (host: 'priv' | 'b', args: string[]): LabProcess => lab.spawn(host, process.execPath, ['--import', 'tsx', PEER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const a = spawnPeer('priv', ['controlling', lab.addr('priv'), transport, turnIp, String(port), 'relay', transport === 'tls' ? caFile : '', transport === 'tls' ? 'turn.lab.test' : '']);
  const b = spawnPeer('b', ['controlled', lab.addr('b'), 'none']);
  const got = { a: [] as Msg[], b: [] as Msg[] };
  const send = (p: LabProcess, m: object): void => void p.child.stdin?.write(`${JSON.stringify(m)}\n`);
  messages(a, (m) => (got.a.push(m), m.creds || m.cand || m.eoc ? send(b, m) : undefined));
  messages(b, (m) => (got.b.push(m), m.creds || m.cand || m.eoc ? send(a, m) : undefined));
  const end = Date.now() + 20_000;
  while (Date.now() < end && !(got.a.some((m) => m.creds) && got.b.some((m) => m.creds))) await delay(20);
  send(a, { gather: true });
  send(b, { gather: true });
  while (Date.now() < end && !(got.a.some((m) => m.up) && got.b.some((m) => m.up))) await delay(20);
  send(a, { send: [23, 254, 253, 7] });
  send(b, { send: [23, 254, 253, 8] });
  while (Date.now() < end && !(got.a.some((m) => m.data) && got.b.some((m) => m.data))) await delay(20);
  a.child.stdin?.end();
  b.child.stdin?.end();
  await Promise.all([a.stop(2000), b.stop(2000)]);
  if (!got.a.some((m) => m.up)) throw new Error(`${transport}: A not connected. A: ${a.stdout.slice(-1500)} ${a.stderr.slice(-800)} B: ${b.stdout.slice(-600)}`);
  return got;
}

test('lab: rtcpeer behind a symmetric NAT, relay-only, reaches rtcpeer through coturn over UDP, TCP and TLS', { skip, timeout: 120_000 }, async () => {
  await withLab({ nat: 'symmetric', turn: true, name: 'rtt' }, async (lab) => {
    const cert = makeSelfSigned(['turn.lab.test'], [lab.addr('turn')]);
    const turn = await startCoturn({ ip: lab.addr('turn'), port: 3478, tlsPort: 5349, certFile: cert.certFile, keyFile: cert.keyFile, minPort: 49152, maxPort: 49407, prefix: ['ip', 'netns', 'exec', lab.ns('turn')] });
    try {
      for (const [transport, port] of [['udp', 3478], ['tcp', 3478], ['tls', 5349]] as const) {
        const got = await relayCase(lab, transport, port, cert.certFile);
        const upA = got.a.find((m) => m.up)?.up;
        const upB = got.b.find((m) => m.up)?.up;
        console.log(`${transport}: A(priv, symmetric NAT) selected ${upA?.local} ${upA?.localAddr} -> ${upA?.remote}; B selected ${upB?.local} ${upB?.localAddr} -> ${upB?.remote}`);
        assert.equal(upA?.local, 'relay', transport);
        assert.ok(upA?.localAddr.startsWith(`${lab.addr('turn')}:`), `${transport}: relayed address on coturn`);
        assert.equal(upA?.dropped, 0);
        assert.deepEqual(got.a.filter((m) => m.cand).map((m) => / typ (\w+)/.exec(m.cand ?? '')?.[1]), ['relay'], `${transport}: A signals only its relay candidate`);
        assert.deepEqual(got.b.find((m) => m.data)?.data, [23, 254, 253, 7], `${transport}: A -> B through the relay`);
        assert.deepEqual(got.a.find((m) => m.data)?.data, [23, 254, 253, 8], `${transport}: B -> A through the relay`);
      }
      const log = turn.log();
      assert.match(log, /ALLOCATE processed, success/);
      console.log(`coturn log: ${(log.match(/ALLOCATE processed, success/g) ?? []).length} allocations, ${(log.match(/CHANNEL_BIND processed, success/g) ?? []).length} channel binds`);
    } finally {
      await turn.stop();
      cert.cleanup();
    }
  });
});
