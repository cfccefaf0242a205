/**
 * DTLS 1.2 interop with the machine's OpenSSL command line (a peer no one here wrote), over loopback
 * UDP with ephemeral ports: rtcpeer as client against `openssl s_server -dtls1_2` (which also makes
 * us go through its HelloVerifyRequest cookie exchange), rtcpeer as server against
 * `openssl s_client -dtls1_2`; every cipher suite both support, mutual authentication (s_server
 * -Verify 1 requires our certificate; s_client presents one and we check its fingerprint), and
 * application data both ways. openssl processes are always killed by PID in `finally`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { DtlsEndpoint } from '../../src/dtls/endpoint.js';
import type { DtlsEvent } from '../../src/dtls/events.js';
import { certificateFromDer, generateCertificate, type DtlsCertificate } from '../../src/dtls/certificate.js';
import { nodeDtlsCrypto, signingKeyFromPem } from '../../src/io/node-dtls-crypto.js';
import { CryptoRng } from '../../src/io/node-crypto.js';
import { fromUtf8, utf8 } from '../../src/core/bytes/hex.js';
import { decodeRecords } from '../../src/dtls/record/header.js';
import { decodeHandshakeFragments } from '../../src/dtls/handshake/header.js';
import { ContentType, HandshakeType } from '../../src/dtls/constants.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'rtcpeer-openssl-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function opensslCert(name: string, kind: 'ec' | 'rsa'): { cert: string; key: string; fingerprint: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const newkey = kind === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  const r = spawnSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { cert, key, fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256 };
}

/** Runs a DtlsEndpoint over one loopback UDP socket with the real clock and one re-armed timer. */
class UdpPump {
  readonly events: DtlsEvent[] = [];
  /** HelloVerifyRequests received (OpenSSL's s_server does the cookie exchange). */
  helloVerifyRequests = 0;
  /** Partial handshake fragments received (OpenSSL fragmenting at a small MTU). */
  partialFragments = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = performance.now();
  private waiters: Array<() => void> = [];

  constructor(
    readonly ep: DtlsEndpoint,
    readonly sock: Socket,
    public remote?: { address: string; port: number },
  ) {
    sock.on('message', (msg, rinfo) => {
      this.remote ??= { address: rinfo.address, port: rinfo.port };
      const counts = countHandshake(new Uint8Array(msg));
      this.helloVerifyRequests += counts.hvr;
      this.partialFragments += counts.partial;
      ep.handleInput(this.now(), new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
      this.flush();
    });
  }

  now(): number {
    return performance.now() - this.t0;
  }

  flush(): void {
    for (let d = this.ep.pollTransmit(); d !== undefined; d = this.ep.pollTransmit()) {
      if (this.remote) this.sock.send(d, this.remote.port, this.remote.address);
    }
    for (let e = this.ep.pollEvent(); e !== undefined; e = this.ep.pollEvent()) this.events.push(e);
    if (this.timer) clearTimeout(this.timer);
    const at = this.ep.pollTimeout();
    if (at !== undefined) {
      this.timer = setTimeout(() => {
        this.ep.handleTimeout(this.now());
        this.flush();
      }, Math.max(0, at - this.now()));
    }
    for (const w of this.waiters) w();
  }

  waitFor(pred: () => boolean, what: string, ms = 8000): Promise<void> {
    return waitUntil(pred, what, ms, (cb) => this.waiters.push(cb));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sock.close();
  }
}

function countHandshake(d: Uint8Array): { hvr: number; partial: number } {
  const n = { hvr: 0, partial: 0 };
  try {
    for (const r of decodeRecords(d)) {
      if (r.header.epoch !== 0 || r.header.contentType !== ContentType.handshake) continue;
      for (const f of decodeHandshakeFragments(r.fragment)) {
        if (f.msgType === HandshakeType.helloVerifyRequest) n.hvr++;
        if (f.body.length < f.length) n.partial++;
      }
    }
  } catch {
    return n;
  }
  return n;
}

function waitUntil(pred: () => boolean, what: string, ms: number, subscribe: (cb: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    const check = (): void => {
      if (pred()) {
        clearTimeout(done);
        resolve();
      }
    };
    subscribe(check);
    const poll = setInterval(() => {
      check();
      if (pred()) clearInterval(poll);
    }, 20);
    setTimeout(() => clearInterval(poll), ms + 10);
    check();
  });
}

async function bindLoopback(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

async function freePort(): Promise<number> {
  const s = await bindLoopback();
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function spawnOpenssl(args: string[]): { child: ChildProcess; out: () => string } {
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (b: Buffer) => (text += b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => (text += b.toString('utf8')));
  return { child, out: () => text };
}

function kill(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
}

const ourEcdsa: DtlsCertificate = generateCertificate({ crypto: nodeDtlsCrypto, rng: new CryptoRng() });
const sslEc = hasOpenssl ? opensslCert('openssl-ec', 'ec') : undefined;
const sslRsa = hasOpenssl ? opensslCert('openssl-rsa', 'rsa') : undefined;

interface Case {
  readonly suite: number;
  readonly openssl: string;
  readonly peerCert: 'ec' | 'rsa';
  readonly groups?: string;
  /** Small MTU on both sides: OpenSSL fragments its flights (-mtu) and must reassemble ours. */
  readonly mtu?: number;
}
const CASES: Case[] = [
  { suite: 0xc02b, openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256', peerCert: 'ec' },
  { suite: 0xc02b, openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256', peerCert: 'ec', groups: 'P-256' },
  { suite: 0xc02b, openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256', peerCert: 'ec', mtu: 300 },
  { suite: 0xc02c, openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384', peerCert: 'ec' },
  { suite: 0xcca9, openssl: 'ECDHE-ECDSA-CHACHA20-POLY1305', peerCert: 'ec' },
  { suite: 0xc02f, openssl: 'ECDHE-RSA-AES128-GCM-SHA256', peerCert: 'rsa' },
];

function suiteOf(events: DtlsEvent[]): number | undefined {
  const c = events.find((e) => e.type === 'connected');
  return c?.type === 'connected' ? c.cipherSuiteId : undefined;
}

async function exchangeData(pump: UdpPump, child: ChildProcess, out: () => string): Promise<void> {
  pump.ep.send(pump.now(), utf8('ping-from-rtcpeer\n'));
  pump.flush();
  await waitUntil(() => out().includes('ping-from-rtcpeer'), 'openssl to print our data', 8000, () => undefined);
  child.stdin?.write('pong-from-openssl\n');
  await pump.waitFor(() => pump.events.some((e) => e.type === 'data' && fromUtf8(e.data).includes('pong-from-openssl')), 'data from openssl');
}

for (const c of CASES) {
  const label = `0x${c.suite.toString(16)} ${c.openssl}${c.groups ? ` ${c.groups}` : ''}${c.mtu ? ` mtu ${c.mtu}` : ''}`;
  const mtuArgs = c.mtu ? ['-mtu', String(c.mtu)] : [];
  const mtuOpt = c.mtu ? { mtu: c.mtu } : {};
  test(`rtcpeer client ↔ openssl s_server -dtls1_2: ${label}`, { skip: !hasOpenssl && 'openssl not installed' }, async (t) => {
    const peer = c.peerCert === 'ec' ? sslEc! : sslRsa!;
    const port = await freePort();
    const groups = c.groups ? ['-groups', c.groups] : [];
    const { child, out } = spawnOpenssl(['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-cert', peer.cert, '-key', peer.key, '-Verify', '1', '-cipher', c.openssl, ...groups, ...mtuArgs]);
    const sock = await bindLoopback();
    const ep = new DtlsEndpoint({ role: 'client', rng: new CryptoRng(), crypto: nodeDtlsCrypto, certificate: ourEcdsa, remoteFingerprints: [{ algorithm: 'sha-256', value: peer.fingerprint }], ...mtuOpt });
    const pump = new UdpPump(ep, sock, { address: '127.0.0.1', port });
    try {
      await waitUntil(() => out().includes('ACCEPT'), 's_server ACCEPT', 8000, () => undefined);
      const t0 = pump.now();
      ep.start(pump.now());
      pump.flush();
      await pump.waitFor(() => ep.state === 'connected' || ep.state === 'failed', 'handshake');
      assert.equal(ep.state, 'connected', `${JSON.stringify(pump.events)}\n${out()}`);
      t.diagnostic(`handshake ${(pump.now() - t0).toFixed(1)} ms`);
      assert.equal(suiteOf(pump.events), c.suite);
      if (c.mtu) assert.ok(pump.partialFragments > 0, 'OpenSSL fragmented its flight and we reassembled it');
      await exchangeData(pump, child, out);
      assert.match(out(), /Client certificate/i, 'openssl received our certificate');
      assert.ok(pump.helloVerifyRequests >= 1, 'went through the HelloVerifyRequest cookie exchange');
    } finally {
      kill(child);
      pump.stop();
    }
  });

  test(`openssl s_client -dtls1_2 ↔ rtcpeer server: ${label}`, { skip: !hasOpenssl && 'openssl not installed' }, async (t) => {
    const ours = c.peerCert === 'ec' ? ourEcdsa : certificateFromDer(nodeDtlsCrypto, new Uint8Array(new X509Certificate(readFileSync(sslRsa!.cert)).raw), signingKeyFromPem(readFileSync(sslRsa!.key, 'utf8')));
    const sock = await bindLoopback();
    const ep = new DtlsEndpoint({ role: 'server', rng: new CryptoRng(), crypto: nodeDtlsCrypto, certificate: ours, remoteFingerprints: [{ algorithm: 'sha-256', value: sslEc!.fingerprint.toLowerCase() }], ...mtuOpt });
    const pump = new UdpPump(ep, sock);
    ep.start(pump.now());
    const groups = c.groups ? ['-groups', c.groups] : [];
    const t0 = pump.now();
    const { child, out } = spawnOpenssl(['s_client', '-dtls1_2', '-connect', `127.0.0.1:${sock.address().port}`, '-cert', sslEc!.cert, '-key', sslEc!.key, '-cipher', c.openssl, ...groups, ...mtuArgs]);
    try {
      await pump.waitFor(() => ep.state === 'connected' || ep.state === 'failed', 'handshake');
      assert.equal(ep.state, 'connected', `${JSON.stringify(pump.events)}\n${out()}`);
      t.diagnostic(`handshake (incl. openssl start) ${(pump.now() - t0).toFixed(1)} ms`);
      assert.equal(suiteOf(pump.events), c.suite);
      if (c.mtu) assert.ok(pump.partialFragments > 0, 'OpenSSL fragmented its flight and we reassembled it');
      await exchangeData(pump, child, out);
    } finally {
      kill(child);
      pump.stop();
    }
  });
}

test('fingerprint mismatch against openssl s_server: we fail with a readable error and OpenSSL sees bad_certificate', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  const port = await freePort();
  const { child, out } = spawnOpenssl(['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-cert', sslEc!.cert, '-key', sslEc!.key, '-Verify', '1']);
  const sock = await bindLoopback();
  const wrong = sslRsa!.fingerprint; // a real fingerprint, of another certificate
  const ep = new DtlsEndpoint({ role: 'client', rng: new CryptoRng(), crypto: nodeDtlsCrypto, certificate: ourEcdsa, remoteFingerprints: [{ algorithm: 'sha-256', value: wrong }] });
  const pump = new UdpPump(ep, sock, { address: '127.0.0.1', port });
  try {
    await waitUntil(() => out().includes('ACCEPT'), 's_server ACCEPT', 8000, () => undefined);
    ep.start(pump.now());
    pump.flush();
    await pump.waitFor(() => ep.state === 'failed', 'failure');
    const f = pump.events.find((e) => e.type === 'failed');
    assert.equal(f?.type === 'failed' && f.error.code, 'dtls.certificate.fingerprint');
    await waitUntil(() => /bad certificate/i.test(out()), 'openssl to report the alert', 8000, () => undefined);
  } finally {
    kill(child);
    pump.stop();
  }
});
