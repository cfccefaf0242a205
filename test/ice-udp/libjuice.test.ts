/**
 * ICE against libjuice (libdatachannel through node-datachannel, run in a child process) on
 * loopback: its offer's credentials and candidates go to our controlled agent, our answer
 * (hand-written SDP, candidates trickled) goes back; both ICE agents must reach connected, and
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
import { killChild, startUdpPeer } from './udp-peer.js';

function answerSdp(mid: string, ufrag: string, pwd: string): string {
  const fp = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
  return [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${mid}`,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', `a=mid:${mid}`,
    `a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, 'a=ice-options:trickle', `a=fingerprint:sha-256 ${fp}`,
    'a=setup:passive', 'a=sctp-port:5000', 'a=max-message-size:262144', '',
  ].join('\r\n');
}

type ChildLine = { offer?: string; candidate?: string; ice?: string };

test('our controlled agent and libjuice (controlling) connect over loopback UDP', async () => {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./libjuice-child.mjs', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ours = await startUdpPeer(false);
  try {
    const lines: ChildLine[] = [];
    const waiters: Array<() => void> = [];
    createInterface({ input: child.stdout }).on('line', (l) => {
      lines.push(JSON.parse(l) as ChildLine);
      for (const w of waiters.splice(0)) w();
    });
    const waitLine = (pred: (l: ChildLine) => boolean, ms: number, what: string): Promise<ChildLine> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; child said ${JSON.stringify(lines.map((l) => l.ice ?? Object.keys(l)[0]))}`)), ms);
        const check = (): void => {
          const hit = lines.find(pred);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      });
    const offer = (await waitLine((l) => l.offer !== undefined, 10_000, 'the offer')).offer as string;
    const parsed = parseSdp(offer);
    assert.ok(parsed.ok, 'libdatachannel offer parses');
    const dc = parsed.value.dataChannel;
    assert.ok(dc);
    const now = systemClock.now();
    ours.agent.setRemoteCredentials(now, dc.ice.ufrag, dc.ice.pwd);
    const trickled = lines.flatMap((l) => (l.candidate ? [l.candidate] : []));
    for (const c of [...dc.candidates, ...trickled]) if (/ 127\.0\.0\.1 /.test(c)) ours.agent.addRemoteCandidateLine(now, c);
    ours.driver.pump();
    await ours.waitFor((e) => e.type === 'gathering-complete', 2000, 'our gathering');
    child.stdin.write(`${JSON.stringify({ answer: answerSdp(dc.mid, ours.agent.localUfrag, ours.agent.localPwd) })}\n`);
    for (const candidate of ours.candidateLines()) child.stdin.write(`${JSON.stringify({ candidate, mid: dc.mid })}\n`);
    await ours.waitFor((e) => e.type === 'state' && e.state === 'connected', 10_000, 'our agent connected');
    await waitLine((l) => l.ice === 'connected' || l.ice === 'completed', 10_000, 'libjuice connected');
    const hello = await ours.waitFor((e) => e.type === 'data', 5000, 'DTLS ClientHello from libdatachannel');
    assert.ok(hello.type === 'data' && hello.data[0] === 22, 'a DTLS handshake record');
    assert.equal(ours.agent.selectedPair?.remote.address, '127.0.0.1');
    assert.equal(ours.agent.role, 'controlled');
  } finally {
    await ours.close();
    await killChild(child, 'SIGKILL');
  }
});
