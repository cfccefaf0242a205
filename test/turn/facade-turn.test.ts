// TURN through the public API: WebRTCPeerConnection.initialize({ iceServers }) with the Node binding,
// against a real coturn on 127.0.0.1 (ephemeral-range ports), over UDP, TCP and TLS (self-signed
// certificate made here, trusted through the `tlsCa` ice-server field), with `localhost` URLs
// resolved by src/io/dns.ts. Only loopback is used; DNS failures are injected, never looked up.
// Skips (with the reason) when coturn or openssl is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createLogger, type LogRecord } from '../../src/core/logger.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../src/facade/index.js';
import { nodeBinding, type NodeBindingOptions } from '../../src/facade/node-binding.js';
import { pollUntil, wireMinimal } from '../scenarios/stack/minimal.js';
import { coturnSkipReason, startLoopbackCoturn, TURN_PASS, TURN_USER, type Coturn } from './coturn.js';
import { makeSelfSigned, opensslSkipReason, type SelfSigned } from './self-signed.js';

const skip = coturnSkipReason() ?? opensslSkipReason();
const creds = { username: TURN_USER, credential: TURN_PASS };

interface Pair {
  readonly p1: WebRTCPeerConnection;
  readonly p2: WebRTCPeerConnection;
  readonly logs: LogRecord[];
  readonly cands: string[];
}

/** p1 gets `config` (and its log), p2 gathers host candidates on 127.0.0.1; p1 offers. */
async function connect(config: Record<string, unknown>, extra: NodeBindingOptions = {}): Promise<Pair & { up: boolean }> {
  const logs: LogRecord[] = [];
  const env = nodeBinding({ addresses: ['127.0.0.1'], ...extra });
  const p1 = new WebRTCPeerConnection({ env, logger: createLogger((r) => logs.push(r), 'info') });
  const p2 = new WebRTCPeerConnection({ env: nodeBinding({ addresses: ['127.0.0.1'] }) });
  const cands: string[] = [];
  assert.equal(p1.initialize(config), GodotError.OK);
  const ch1 = p1.createDataChannel('c', { id: 1, negotiated: true });
  const ch2 = p2.createDataChannel('c', { id: 1, negotiated: true });
  assert.ok(ch1 && ch2);
  p1.connect('ice_candidate_created', (_m, _i, n) => cands.push(n));
  wireMinimal(p1, p2);
  assert.equal(p1.createOffer(), GodotError.OK);
  const open = (): boolean => ch1.getReadyState() === WebRTCDataChannel.STATE_OPEN && ch2.getReadyState() === WebRTCDataChannel.STATE_OPEN;
  let up = await pollUntil(open, [p1, p2], 15_000);
  if (up) {
    ch1.putPacket(Uint8Array.of(1, 2, 3));
    ch2.putPacket(Uint8Array.of(4, 5));
    up = await pollUntil(() => ch1.getAvailablePacketCount() > 0 && ch2.getAvailablePacketCount() > 0, [p1, p2], 5000);
    if (up) {
      assert.deepEqual([...(ch2.getPacket() ?? [])], [1, 2, 3]);
      assert.deepEqual([...(ch1.getPacket() ?? [])], [4, 5]);
    }
  }
  // Data may flow on a valid pair before ICE nominates one: wait for the selection itself.
  if (up) up = await pollUntil(() => p1.getIceStats()?.selectedPair != null, [p1, p2], 10_000);
  return { p1, p2, logs, cands, up };
}

/** A loopback TCP port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function withCoturn(fn: (turn: Coturn, cert: SelfSigned, port: number) => Promise<void>): Promise<void> {
  const cert = makeSelfSigned(['localhost', 'turn.test'], ['127.0.0.1']);
  const { turn, base: port } = await startLoopbackCoturn((b) => ({ port: b, tlsPort: b + 1, certFile: cert.certFile, keyFile: cert.keyFile, minPort: b + 10, maxPort: b + 90 }));
  try {
    await fn(turn, cert, port);
  } finally {
    await turn.stop();
    cert.cleanup();
  }
}

const relayCandidates = (cands: readonly string[]): string[] => cands.filter((c) => c.startsWith('candidate:')).map((c) => c.split(' ')[7] ?? '');

test('initialize(): relay-only through coturn over UDP, TCP and TLS (localhost names, tlsCa, tlsServerName); data both ways, selected pair relay', { skip }, async () => {
  await withCoturn(async (_turn, cert, port) => {
    const cases = [
      { transport: 'udp', server: { urls: `turn:localhost:${port}`, ...creds } },
      { transport: 'tcp', server: { urls: [`turn:localhost:${port}?transport=tcp`], ...creds } },
      { transport: 'tls', server: { urls: [`turns:localhost:${port + 1}`], ...creds, tlsCa: cert.cert } },
      { transport: 'tls', server: { urls: [`turns:127.0.0.1:${port + 1}`], ...creds, tlsCa: [cert.cert], tlsServerName: 'turn.test' } },
    ];
    const tcpHandles = (): number => process.getActiveResourcesInfo().filter((x) => x === 'TCPSocketWrap').length;
    for (const c of cases) {
      const before = tcpHandles();
      const r = await connect({ iceServers: [c.server], iceTransportPolicy: 'relay' });
      let closed = false;
      try {
        const stats = r.p1.getIceStats();
        assert.ok(r.up, `${c.transport}: not connected: ${JSON.stringify(stats)} ${JSON.stringify(r.logs.map((l) => [l.msg, l.fields]))}`);
        assert.equal(stats?.selectedPair?.local.type, 'relay', JSON.stringify(stats));
        assert.equal(stats?.selectedPair?.local.relayProtocol, c.transport);
        assert.equal(stats?.selectedPair?.remote.type, 'host');
        assert.deepEqual(relayCandidates(r.cands), ['relay'], r.cands.join('\n'));
        assert.equal(stats?.relays.length, 1);
        assert.equal(stats?.relays[0]?.state, 'allocated');
        assert.equal(stats?.relays[0]?.transport, c.transport);
        console.log(`${c.transport} ${JSON.stringify(c.server.urls)}: selected ${JSON.stringify(stats?.selectedPair)}`);
        const during = tcpHandles();
        if (c.transport !== 'udp') assert.ok(during >= 1 && during >= before, 'a TURN stream for the connection');
        r.p1.close();
        r.p2.close();
        closed = true;
        // The stream is closed with the connection.
        if (c.transport !== 'udp') assert.ok(await pollUntil(() => tcpHandles() < during, [], 3000), `TCP handles ${tcpHandles()} after close, ${during} while connected`);
      } finally {
        if (!closed) {
          r.p1.close();
          r.p2.close();
        }
      }
    }
  });
});

test('initialize(): wrong password, unreachable TCP/TLS, untrusted certificate and an unresolved name are logged and reported per server; the good server and host candidates still connect', { skip }, async () => {
  await withCoturn(async (_turn, _cert, port) => {
    const dead = await closedPort();
    const lookup: NonNullable<NonNullable<NodeBindingOptions['dns']>['lookup']> = (name) =>
      name === 'nowhere.test' ? Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })) : Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const iceServers = [
      { urls: `turn:127.0.0.1:${port}`, username: TURN_USER, credential: 'wrong' },
      { urls: [`turn:127.0.0.1:${dead}?transport=tcp`, `turns:127.0.0.1:${dead}`], ...creds },
      { urls: `turns:localhost:${port + 1}`, ...creds },
      { urls: 'turn:nowhere.test:3478?transport=tcp', ...creds },
      { urls: `turn:localhost:${port}?transport=tcp`, ...creds },
      { urls: `turns:127.0.0.1:${port + 1}?transport=udp`, ...creds },
    ];
    for (const policy of ['relay', 'all']) {
      const r = await connect({ iceServers, iceTransportPolicy: policy }, { dns: { lookup } });
      try {
        const settled = (): boolean => r.p1.getIceStats()?.relays.every((x) => x.state === 'failed' || x.state === 'allocated') ?? false;
        assert.ok(await pollUntil(settled, [r.p1, r.p2], 10_000), JSON.stringify(r.p1.getIceStats()));
        const stats = r.p1.getIceStats();
        assert.ok(r.up, `${policy}: not connected: ${JSON.stringify(stats)}`);
        assert.equal(stats?.selectedPair?.local.type, policy === 'relay' ? 'relay' : 'host', JSON.stringify(stats?.selectedPair));
        const byUrl = new Map(stats?.relays.map((x) => [x.url, x]));
        const expect: Array<[string, string, RegExp]> = [
          [`turn:127.0.0.1:${port}`, 'failed', /401.*wrong username or credential/],
          [`turn:127.0.0.1:${dead}?transport=tcp`, 'failed', /connection refused/],
          [`turns:127.0.0.1:${dead}`, 'failed', /connection refused/],
          [`turns:localhost:${port + 1}`, 'failed', /certificate not trusted/],
          ['turn:nowhere.test:3478?transport=tcp', 'failed', /nowhere\.test not resolved/],
          [`turn:localhost:${port}?transport=tcp`, 'allocated', /^$/],
          [`turns:127.0.0.1:${port + 1}?transport=udp`, 'failed', /^refused: turns: over UDP \(DTLS\) is not supported/],
        ];
        for (const [url, state, reason] of expect) {
          const s = byUrl.get(url);
          assert.equal(s?.state, state, `${url}: ${JSON.stringify(s)}`);
          assert.match(s?.error?.reason ?? '', reason, url);
        }
        const warned = r.logs.filter((l) => l.level === 'warn').map((l) => `${l.msg} ${JSON.stringify(l.fields)}`);
        for (const needle of [`:${dead}?transport=tcp`, 'wrong username or credential', 'nowhere.test', 'certificate not trusted']) {
          assert.ok(warned.some((w) => w.includes(needle)), `no warning mentions ${needle}:\n${warned.join('\n')}`);
        }
        if (policy === 'relay') console.log(`failures reported:\n  ${warned.join('\n  ')}`);
      } finally {
        r.p1.close();
        r.p2.close();
      }
    }
  });
});

test('initialize(): a stun:localhost URL is resolved and asked by the ICE agent (a loopback UDP socket stands in for the STUN server)', async () => {
  const got: Array<{ from: number; type: number }> = [];
  const sock = createSocket('udp4');
  sock.on('message', (m, rinfo) => got.push({ from: rinfo.port, type: m.readUInt16BE(0) }));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const port = sock.address().port;
  const logs: LogRecord[] = [];
  const pc = new WebRTCPeerConnection({ env: nodeBinding({ addresses: ['127.0.0.1'] }), logger: createLogger((r) => logs.push(r), 'info') });
  try {
    assert.equal(pc.initialize({ iceServers: [{ urls: [`stun:localhost:${port}`] }] }), GodotError.OK);
    await delay(300); // the name resolves and the UDP socket binds before the offer makes the agent
    assert.equal(pc.createOffer(), GodotError.OK);
    const end = Date.now() + 3000;
    while (got.length === 0 && Date.now() < end) await delay(10);
    assert.ok(got.length > 0, `no STUN request reached 127.0.0.1:${port}`);
    assert.equal(got[0]?.type, 0x0001, 'a STUN Binding request');
  } finally {
    pc.close();
    sock.close();
  }
});
