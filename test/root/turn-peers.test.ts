// Root-only lab (issue 8): rtcpeer through its public facade (WebRTCPeerConnection + nodeBinding,
// initialize({ iceServers, iceTransportPolicy: 'relay' })) in `priv` behind a SYMMETRIC NAT connects
// through coturn in `turn` over UDP, TCP and TLS (a self-signed certificate made here, trusted through
// the ice server's `tlsCa`, its name checked against `tlsServerName`) to headless Chromium in `b`, and
// to another facade rtcpeer in `b`. Data flows both ways; the pair rtcpeer selected is relay (its
// getIceStats() extension, with the relay protocol and the TURN server's state), rtcpeer signalled
// only relay candidates, and the peer in `b` (Chromium's own getStats(), or the facade) selected a
// pair ending on coturn's relayed address. A turns: server whose certificate is not trusted (no
// tlsCa) or names another host (tlsServerName) fails with a reason that says so, and no relay
// candidate is signalled. Chromium runs with mDNS off here: rtcpeer in `priv` cannot reach `b`'s
// multicast group (the mDNS path has its own test, mdns-peers.test.ts). The ICE-level version of
// this is turn-nat.test.ts. Namespaces and processes go by PID, pass or fail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerProcess } from '../interop/harness/peer-process.js';
import { connect, transfer } from '../interop/harness/session.js';
import { coturnSkipReason, startCoturn, TURN_PASS, TURN_USER, type Coturn } from '../turn/coturn.js';
import { makeSelfSigned, opensslSkipReason } from '../turn/self-signed.js';
import { Lab, labSkipReason } from './lab.js';
import { candidateTypes, chromiumIn, chromiumSkipReason, chromiumStats, facadeIn, facadeReportWhen, facadeSelected, stopAll, trickled, withLogs } from './lab-peers.js';

const skip = labSkipReason() ?? coturnSkipReason() ?? opensslSkipReason();
const TURN_NAME = 'turn.lab.test';

type Transport = 'udp' | 'tcp' | 'tls';

function turnUrl(lab: Lab, t: Transport): string {
  const ip = lab.addr('turn');
  return t === 'udp' ? `turn:${ip}:3478?transport=udp` : t === 'tcp' ? `turn:${ip}:3478?transport=tcp` : `turns:${ip}:5349`;
}

type PeerB = 'chromium' | 'rtcpeer';

/** What B selected, as "its remote candidate's address": Chromium's getStats or B's facade stats. */
async function remoteOfB(b: PeerProcess, kind: PeerB): Promise<{ address: string | undefined; seen: unknown }> {
  if (kind === 'chromium') {
    const cs = await chromiumStats(b);
    return { address: cs.selected?.remote.address, seen: cs.selected };
  }
  const sel = facadeSelected(await facadeReportWhen(b, (r) => facadeSelected(r) !== undefined, 6000));
  return { address: sel?.remote.address, seen: sel };
}

async function throughTurn(lab: Lab, transport: Transport, caFile: string, kind: PeerB): Promise<void> {
  const url = turnUrl(lab, transport);
  const rtc = facadeIn(lab, 'priv', {
    // turns: to an IP literal: the certificate is checked against tlsServerName and trusted via tlsCa
    config: { iceServers: [{ urls: [url], username: TURN_USER, credential: TURN_PASS, ...(transport === 'tls' ? { tlsServerName: TURN_NAME } : {}) }], iceTransportPolicy: 'relay' },
    ...(transport === 'tls' ? { tlsCaFile: caFile } : {}),
    log: 'warn',
  });
  const b = kind === 'chromium' ? chromiumIn(lab, 'b', false) : facadeIn(lab, 'b', { config: {}, log: 'warn' });
  try {
    const { answererKey } = await connect(rtc, b, { trickle: true, bind: [lab.addr('priv'), lab.addr('b')], connectTimeoutMs: 25_000 });
    await transfer(rtc, 'main', b, answererKey, { text: false, size: 1000, seed: 1, count: 20 });
    await transfer(b, answererKey, rtc, 'main', { text: true, size: 300, seed: 2, count: 20 });
    // Data flows on the valid relay pair at once; the controlling agent nominates a relay pair only
    // after its nomination delay (2 s for relay), and getIceStats() shows the pair from then on.
    const [report, fromB] = await Promise.all([facadeReportWhen(rtc, (r) => facadeSelected(r) !== undefined, 6000), remoteOfB(b, kind)]);
    const sel = facadeSelected(report);
    console.log(`${transport} (${url}): rtcpeer signalled ${JSON.stringify(candidateTypes(trickled(rtc)))}; ` +
      `rtcpeer getIceStats() ${JSON.stringify(report.ice)}; ` +
      `${kind} selected ${JSON.stringify(fromB.seen)}`);
    assert.ok(trickled(rtc).length > 0, `${transport}: rtcpeer signalled no candidate`);
    assert.deepEqual([...new Set(candidateTypes(trickled(rtc)))], ['relay'], `${transport}: relay-only rtcpeer signals only relay candidates`);
    assert.equal(fromB.address, lab.addr('turn'), `${transport}: ${kind}'s selected pair ends on coturn's relayed address`);
    assert.equal(sel?.local.type, 'relay', `${transport}: rtcpeer's selected local candidate is relay`);
    assert.equal(sel?.local.address, lab.addr('turn'), `${transport}: relayed address is on coturn`);
    assert.equal(sel?.local.relayProtocol, transport, `${transport}: rtcpeer reaches coturn over ${transport}`);
    assert.deepEqual(report.ice?.relays.map((r) => [r.url, r.transport, r.state, r.relayed]), [[url, transport, 'allocated', `${sel?.local.address}:${sel?.local.port}`]], `${transport}: the one TURN server is allocated`);
  } catch (e) {
    throw withLogs(e, rtc, b);
  } finally {
    await stopAll(rtc, b);
  }
}

/** turns: whose certificate rtcpeer must refuse: not trusted (no tlsCa), or trusted but for another name. */
async function refusedTls(lab: Lab, caFile: string, why: 'untrusted' | 'wrong-name'): Promise<void> {
  const server = { urls: [turnUrl(lab, 'tls')], username: TURN_USER, credential: TURN_PASS, tlsServerName: why === 'wrong-name' ? 'other.lab.test' : TURN_NAME };
  const rtc = facadeIn(lab, 'priv', { config: { iceServers: [server], iceTransportPolicy: 'relay' }, ...(why === 'wrong-name' ? { tlsCaFile: caFile } : {}), log: 'warn' });
  try {
    await rtc.request('init', { bind: lab.addr('priv'), trickle: true }, 30_000);
    await rtc.request('channel', { key: 'main', label: 'main', options: {} });
    await rtc.request('offer');
    const report = await facadeReportWhen(rtc, (r) => r.ice?.relays[0]?.state === 'failed', 15_000);
    const relay = report.ice?.relays[0];
    console.log(`tls ${why}: relay ${JSON.stringify(relay)}; signalled ${JSON.stringify(trickled(rtc))}; log: ${rtc.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    assert.equal(relay?.state, 'failed', `tls ${why}: the TURN server fails`);
    assert.match(relay?.error?.reason ?? '', why === 'untrusted' ? /tlsCa/ : /other\.lab\.test/, `tls ${why}: the reason says what to do`);
    assert.deepEqual(trickled(rtc), [], `tls ${why}: no relay candidate`);
  } catch (e) {
    throw withLogs(e, rtc);
  } finally {
    await stopAll(rtc);
  }
}

// One lab and one coturn for the whole file (made in before(), removed in after() whatever happened;
// lab.ts also tears down on process exit); each case is its own test and stays well under a minute.
let env: { lab: Lab; caFile: string; turn: Coturn; cleanup: () => void } | undefined;

before(async () => {
  if (skip) return;
  const lab = Lab.create({ nat: 'symmetric', turn: true, name: 'rtc' });
  const cert = makeSelfSigned([TURN_NAME], [lab.addr('turn')]);
  try {
    const turn = await startCoturn({ ip: lab.addr('turn'), port: 3478, tlsPort: 5349, certFile: cert.certFile, keyFile: cert.keyFile, minPort: 49152, maxPort: 49407, prefix: ['ip', 'netns', 'exec', lab.ns('turn')] });
    env = { lab, caFile: cert.certFile, turn, cleanup: () => cert.cleanup() };
  } catch (e) {
    cert.cleanup();
    await lab.destroy();
    throw e;
  }
});

after(async () => {
  if (!env) return;
  const log = env.turn.log();
  console.log(`coturn: ${(log.match(/ALLOCATE processed, success/g) ?? []).length} allocations, ${(log.match(/CHANNEL_BIND processed, success/g) ?? []).length} channel binds, ${(log.match(/CREATE_PERMISSION processed, success/g) ?? []).length} permissions`);
  await env.turn.stop();
  env.cleanup();
  await env.lab.destroy();
});

const setup = (): { lab: Lab; caFile: string } => {
  if (!env) throw new Error('the lab was not set up (see before())');
  return env;
};

for (const kind of ['chromium', 'rtcpeer'] as const) {
  const name = kind === 'chromium' ? 'Chromium' : 'rtcpeer facade';
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    test(`lab: rtcpeer facade (relay-only, symmetric NAT) <-> ${name} through coturn over ${transport.toUpperCase()}`, { skip: kind === 'chromium' ? (skip ?? chromiumSkipReason()) : skip, timeout: 60_000 }, () =>
      throughTurn(setup().lab, transport, setup().caFile, kind),
    );
  }
}

for (const why of ['untrusted', 'wrong-name'] as const) {
  test(`lab: turns: with ${why === 'untrusted' ? 'an untrusted certificate (no tlsCa)' : 'a certificate for another name (tlsServerName)'} fails that server with a reason`, { skip, timeout: 60_000 }, () =>
    refusedTls(setup().lab, setup().caFile, why),
  );
}
