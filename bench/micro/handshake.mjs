// DTLS handshake CPU and the node:crypto operations it is made of, one core, CPU time:
//   npm run build && node bench/micro/handshake.mjs [--json] [--cold-only]
// - per flight, cold: the first 21 handshakes of this process (as the setup benchmark runs 21
//   connections per process, so the handshake code is mostly interpreted), the CPU from a flight's
//   arrival to the next flight's departure on each side, median of handshakes 2..21 (one event-loop
//   turn between steps, where the flight would travel):
//   C1 client start -> ClientHello; S2 ClientHello in -> ServerHello..ServerHelloDone out;
//   C5 server flight in -> Certificate..Finished out; S6 client flight in -> CCS+Finished out;
//   C7 server Finished in -> connected;
// - a full DTLS 1.2 handshake between two DtlsEndpoints (dist/) in memory, both sides' CPU, warm
//   (after a warm-up), with certificates made once (as the node binding shares one per process);
// - ECDHE per side (key share + shared secret) for X25519 with keys crossing node:crypto as JWK
//   (what the provider does) and for P-256 through an ECDH object (no DER SPKI row any more: a
//   generateKeyPairSync followed by an export can deadlock Node 20, src/io/node-dtls-crypto.ts);
// - the peer certificate's public key: an X509Certificate parse against src/dtls/peer-keys.ts's memo
//   (keyed by the certificate's SHA-256, computed here as the handshake computes it).
import { X509Certificate } from 'node:crypto';
import { setImmediate } from 'node:timers';
import { cpuRow, json, measureCpu, printRows } from './timing.mjs';

const dist = (p) => import(new URL(`../../dist/${p}`, import.meta.url).href);
const { DtlsEndpoint, generateCertificate } = await dist('dtls/index.js');
const { SeededRng } = await dist('core/rng.js');
const { nodeDtlsCrypto: c } = await dist('io/node-dtls-crypto.js');
const { NamedGroup } = await dist('dtls/constants.js');
const { peerCertificateKey } = await dist('dtls/peer-keys.js');

const rng = new SeededRng(7);
const certA = generateCertificate({ crypto: c, rng });
const certB = generateCertificate({ crypto: c, rng });
const fp = (x) => [{ algorithm: 'sha-256', value: x.fingerprint('sha-256') }];

function endpoints() {
  const opts = { rng, crypto: c };
  const a = new DtlsEndpoint({ ...opts, role: 'client', certificate: certA, remoteFingerprints: fp(certB) });
  const b = new DtlsEndpoint({ ...opts, role: 'server', certificate: certB, remoteFingerprints: fp(certA) });
  return { a, b };
}

function drain(e) {
  const out = [];
  for (let d = e.pollTransmit(); d; d = e.pollTransmit()) out.push(d);
  while (e.pollEvent()) e.pollTimeout();
  return out;
}

function handshake() {
  const { a, b } = endpoints();
  a.start(0);
  for (let i = 0; i < 20 && (a.state !== 'connected' || b.state !== 'connected'); i++) {
    for (let d = a.pollTransmit(); d; d = a.pollTransmit()) b.handleInput(i, d);
    for (let d = b.pollTransmit(); d; d = b.pollTransmit()) a.handleInput(i, d);
  }
  if (a.state !== 'connected' || b.state !== 'connected') throw new Error(`handshake did not finish: ${a.state}/${b.state}`);
}

const STEPS = ['C1', 'S2', 'C5', 'S6', 'C7'];
const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** One event-loop turn: where a flight travels, and where the provider does work it deferred (key shares). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** One handshake flight by flight: the CPU µs of each side's step, in STEPS order. */
async function timedHandshake() {
  const { a, b } = endpoints();
  const sides = [a, b, a, b, a];
  const us = [];
  let flight = [];
  for (let s = 0; s < STEPS.length; s++) {
    const e = sides[s];
    await turn();
    const t0 = cpuNow();
    if (s === 0) e.start(0);
    else for (const d of flight) e.handleInput(s, d);
    flight = drain(e);
    us.push(cpuNow() - t0);
  }
  if (a.state !== 'connected' || b.state !== 'connected') throw new Error(`handshake did not finish: ${a.state}/${b.state}`);
  return us;
}

async function coldRows(n = 21) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await timedHandshake());
  const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  const later = runs.slice(1);
  const rows = [cpuRow('cold, handshake 1, all steps', runs[0].reduce((x, y) => x + y, 0))];
  STEPS.forEach((name, i) => rows.push(cpuRow(`cold, step ${name}, median of handshakes 2..${n}`, median(later.map((r) => r[i])))));
  rows.push(cpuRow(`cold, all steps, median of handshakes 2..${n}`, median(later.map((r) => r.reduce((x, y) => x + y, 0)))));
  return rows;
}

const rows = await coldRows();
if (!process.argv.includes('--cold-only')) {
  const peerX = c.generateKeyShare(NamedGroup.x25519).publicKey;
  const peerP = c.generateKeyShare(NamedGroup.secp256r1).publicKey;
  rows.push(
    measureCpu('DTLS handshake, both sides, warm (certificates made once)', () => handshake(), { batch: 2 }),
    measureCpu('ECDHE X25519 per side: provider (JWK)', () => c.deriveSharedSecret(c.generateKeyShare(NamedGroup.x25519), peerX), { batch: 10 }),
    measureCpu('ECDHE P-256 per side: provider (ECDH object)', () => c.deriveSharedSecret(c.generateKeyShare(NamedGroup.secp256r1), peerP), { batch: 10 }),
    measureCpu('peer certificate key: X509Certificate parse', () => new X509Certificate(certB.der).publicKey.asymmetricKeyDetails, { batch: 10 }),
    measureCpu('peer certificate key: peerCertificateKey (memo by SHA-256)', () => peerCertificateKey(c, certB.der), { batch: 10 }),
  );
}
if (json) console.log(JSON.stringify(rows));
else printRows(`DTLS handshake pieces, CPU time (Node ${process.version})`, rows);
