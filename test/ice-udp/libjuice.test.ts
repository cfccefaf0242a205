/**
 * ICE against libjuice (libdatachannel through node-datachannel, run in a child process) on
 * loopback, in both roles: its offer to our controlled agent, and our offer (hand-written SDP,
 * candidates trickled) to it while our agent controls and nominates; both ICE agents must reach connected, and
 * libdatachannel's DTLS ClientHello must come out of our agent as a 'data' event (RFC 7983 demux on
 * the shared socket). libjuice binds 127.0.0.1 only; only loopback candidates are used.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseSdp } from '../../src/sdp/index.js';
import { systemClock } from '../../src/io/clock.js';
import type { UdpPeer } from './udp-peer.js';
import { killChild, startUdpPeer } from './udp-peer.js';

function ourSdp(mid: string, ufrag: string, pwd: string, setup: 'passive' | 'actpass'): string {
  const fp = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
  return [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${mid}`,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', `a=mid:${mid}`,
    `a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, 'a=ice-options:trickle', `a=fingerprint:sha-256 ${fp}`,
    `a=setup:${setup}`, 'a=sctp-port:5000', 'a=max-message-size:262144', '',
  ].join('\r\n');
}

type ChildLine = { offer?: string; answer?: string; candidate?: string; ice?: string };

interface Child {
  readonly lines: ChildLine[];
  send(o: object): void;
  waitLine(pred: (l: ChildLine) => boolean, ms: number, what: string): Promise<ChildLine>;
  kill(): Promise<void>;
}

function startChild(answerer: boolean): Child {
  const script = fileURLToPath(new URL('./libjuice-child.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, ...(answerer ? ['answerer'] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: ChildLine[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    lines.push(JSON.parse(l) as ChildLine);
    for (const w of waiters.splice(0)) w();
  });
  const said = (): string => JSON.stringify(lines.map((l) => l.ice ?? Object.keys(l)[0]));
  return {
    lines,
    send: (o) => child.stdin.write(`${JSON.stringify(o)}\n`),
    waitLine: (pred, ms, what) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; child said ${said()}`)), ms);
        const check = (): void => {
          const hit = lines.find(pred);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      }),
    kill: () => killChild(child, 'SIGKILL'),
  };
}

/** Feeds the child's description and loopback candidates to our agent. */
function applyTheirs(ours: UdpPeer, sdp: string): { mid: string } {
  const parsed = parseSdp(sdp);
  assert.ok(parsed.ok, 'libdatachannel SDP parses');
  const dc = parsed.value.dataChannel;
  assert.ok(dc);
  const now = systemClock.now();
  ours.agent.setRemoteCredentials(now, dc.ice.ufrag, dc.ice.pwd);
  // Only loopback candidates: tests never send anywhere else.
  for (const c of dc.candidates) if (/ 127\.0\.0\.1 /.test(c)) ours.agent.addRemoteCandidateLine(now, c);
  ours.driver.pump();
  return { mid: dc.mid };
}

function trickleTheirs(ours: UdpPeer, child: Child): void {
  const now = systemClock.now();
  for (const l of child.lines) if (l.candidate && / 127\.0\.0\.1 /.test(l.candidate)) ours.agent.addRemoteCandidateLine(now, l.candidate);
  ours.driver.pump();
}

async function expectConnected(ours: UdpPeer, child: Child, role: 'controlled' | 'controlling'): Promise<void> {
  await ours.waitFor((e) => e.type === 'state' && e.state === 'connected', 10_000, 'our agent connected');
  await child.waitLine((l) => l.ice === 'connected' || l.ice === 'completed', 10_000, 'libjuice connected');
  const hello = await ours.waitFor((e) => e.type === 'data', 5000, 'DTLS ClientHello from libdatachannel');
  assert.ok(hello.type === 'data' && hello.data[0] === 22, 'a DTLS handshake record');
  assert.equal(ours.agent.selectedPair?.remote.address, '127.0.0.1');
  assert.equal(ours.agent.role, role);
}

test('our controlled agent and libjuice (controlling) connect over loopback UDP', async () => {
  const child = startChild(false);
  const ours = await startUdpPeer(false);
  try {
    const offer = (await child.waitLine((l) => l.offer !== undefined, 10_000, 'the offer')).offer as string;
    const { mid } = applyTheirs(ours, offer);
    trickleTheirs(ours, child);
    await ours.waitFor((e) => e.type === 'gathering-complete', 2000, 'our gathering');
    child.send({ answer: ourSdp(mid, ours.agent.localUfrag, ours.agent.localPwd, 'passive') });
    for (const candidate of ours.candidateLines()) child.send({ candidate, mid });
    await expectConnected(ours, child, 'controlled');
  } finally {
    await ours.close();
    await child.kill();
  }
});

test('our controlling agent nominates and libjuice (controlled) accepts', async () => {
  const child = startChild(true);
  const ours = await startUdpPeer(true);
  try {
    await ours.waitFor((e) => e.type === 'gathering-complete', 2000, 'our gathering');
    child.send({ offer: ourSdp('0', ours.agent.localUfrag, ours.agent.localPwd, 'actpass') });
    for (const candidate of ours.candidateLines()) child.send({ candidate, mid: '0' });
    const answer = (await child.waitLine((l) => l.answer !== undefined, 10_000, 'the answer')).answer as string;
    applyTheirs(ours, answer);
    await child.waitLine((l) => l.candidate !== undefined, 5000, 'a trickled candidate').catch(() => undefined);
    trickleTheirs(ours, child);
    await expectConnected(ours, child, 'controlling');
  } finally {
    await ours.close();
    await child.kill();
  }
});
