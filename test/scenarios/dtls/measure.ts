// Quick measurement (not a test): `npx tsx test/scenarios/dtls/measure.ts` prints certificate generation time,
// AEAD seal/open cost per record for each suite and the CPU cost of an in-memory handshake.
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { CryptoRng } from '../../../src/io/node-crypto.js';
import { generateCertificate } from '../../../src/dtls/certificate.js';
import { cipherSuite } from '../../../src/dtls/cipher/suites.js';
import { RecordProtection } from '../../../src/dtls/record/protect.js';
import { decodeRecords } from '../../../src/dtls/record/header.js';
import { makePair, Pump } from './pump.js';
import { createSocket, type Socket } from 'node:dgram';
import { DtlsEndpoint } from '../../../src/dtls/endpoint.js';
const rng = new CryptoRng();
for (let i = 0; i < 20; i++) generateCertificate({ crypto: nodeDtlsCrypto, rng });
let t = performance.now();
const N = 500;
for (let i = 0; i < N; i++) generateCertificate({ crypto: nodeDtlsCrypto, rng });
console.log(`certificate generation: ${((performance.now() - t) / N).toFixed(3)} ms each`);
for (const id of [0xc02b, 0xc02c, 0xcca9]) {
  const s = cipherSuite(id)!;
  const key = new Uint8Array(s.keyLength).fill(1); const iv = new Uint8Array(s.fixedIvLength).fill(2);
  const tx = new RecordProtection(nodeDtlsCrypto, s, key, iv); const rx = new RecordProtection(nodeDtlsCrypto, s, key, iv);
  for (const size of [100, 1150]) {
    const pt = new Uint8Array(size);
    const M = 200_000;
    for (let i = 0; i < 10000; i++) tx.seal(23, 0xfefd, 1, i, pt);
    t = performance.now();
    let last: Uint8Array = new Uint8Array();
    for (let i = 0; i < M; i++) last = tx.seal(23, 0xfefd, 1, i, pt);
    const seal = ((performance.now() - t) * 1000) / M;
    const [raw] = decodeRecords(last);
    t = performance.now();
    for (let i = 0; i < M; i++) rx.open(raw!);
    const open = ((performance.now() - t) * 1000) / M;
    console.log(`${s.name} ${size} B: seal ${seal.toFixed(2)} µs, open ${open.toFixed(2)} µs per record`);
  }
}
let total = 0; const H = 50;
for (let i = 0; i < H; i++) {
  const { client, server } = makePair(i);
  const p = new Pump(client, server, {}, i, 0);
  t = performance.now();
  client.start(0);
  p.runUntil(() => p.connected('a') && p.connected('b'));
  total += performance.now() - t;
}
console.log(`in-memory full handshake (both sides' CPU): ${(total / H).toFixed(2)} ms`);

// Full handshake between two rtcpeer endpoints over real loopback UDP sockets (fresh certificates included).

function drive(ep: DtlsEndpoint, sock: Socket, port: number): void {
  for (let d = ep.pollTransmit(); d !== undefined; d = ep.pollTransmit()) sock.send(d, port, '127.0.0.1');
  while (ep.pollEvent() !== undefined);
}

async function loopbackHandshake(): Promise<number> {
  const bind = (): Promise<Socket> => new Promise((r) => { const s = createSocket('udp4'); s.bind(0, '127.0.0.1', () => r(s)); });
  const [sa, sb] = await Promise.all([bind(), bind()]);
  const t0 = performance.now();
  const mk = (role: 'client' | 'server') => new DtlsEndpoint({ role, rng, crypto: nodeDtlsCrypto });
  const a = mk('client');
  const b = mk('server');
  a.setRemoteFingerprints(0, [{ algorithm: 'sha-256', value: b.options.certificate.fingerprint() }]);
  b.setRemoteFingerprints(0, [{ algorithm: 'sha-256', value: a.options.certificate.fingerprint() }]);
  const pa = sa.address().port;
  const pb = sb.address().port;
  const done = new Promise<number>((resolve) => {
    const check = (): void => { if (a.state === 'connected' && b.state === 'connected') resolve(performance.now() - t0); };
    sa.on('message', (m) => { a.handleInput(performance.now() - t0, new Uint8Array(m)); drive(a, sa, pb); check(); });
    sb.on('message', (m) => { b.handleInput(performance.now() - t0, new Uint8Array(m)); drive(b, sb, pa); check(); });
  });
  a.start(0);
  drive(a, sa, pb);
  const ms = await done;
  sa.close();
  sb.close();
  return ms;
}

const times: number[] = [];
for (let i = 0; i < 30; i++) times.push(await loopbackHandshake());
times.sort((x, y) => x - y);
console.log(`loopback UDP handshake rtcpeer↔rtcpeer incl. 2 certificate generations: median ${times[15]!.toFixed(2)} ms, min ${times[0]!.toFixed(2)} ms`);
