// The DTLS record path of rtcpeer per record, one core, CPU time (process.cpuUsage, all threads):
//   npm run build && node bench/micro/record.mjs [--json]
// Two DtlsEndpoints (dist/) finish a handshake in memory, then:
//  - send: endpoint.send(payload) + pollTransmit()       (seal: record header, nonce, AEAD, output)
//  - receive: endpoint.handleInput(record) + pollEvent() (split, replay window, open, event)
// each record with a fresh sequence number, as on the wire. Allocation and GC are included: that is
// why CPU time and not wall time is counted. Next to each, the floor: node:crypto alone doing the
// same AEAD (createCipheriv + setAAD + update + final + getAuthTag, and the decipher's five calls),
// so the rows show what rtcpeer's record layer adds. `--suite aes` or `--suite chacha`: one suite.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { cpuRow, json, measureCpu, printRows } from './timing.mjs';

const dist = (p) => import(new URL(`../../dist/${p}`, import.meta.url).href);
const { DtlsEndpoint, generateCertificate } = await dist('dtls/index.js');
const { SeededRng } = await dist('core/rng.js');
const { nodeDtlsCrypto } = await dist('io/node-dtls-crypto.js');

function connectedPair(suite) {
  const rng = new SeededRng(7);
  const mk = (role) => {
    const certificate = generateCertificate({ crypto: nodeDtlsCrypto, rng });
    return { role, certificate };
  };
  const c = mk('client');
  const s = mk('server');
  const fp = (x) => [{ algorithm: 'sha-256', value: x.certificate.fingerprint('sha-256') }];
  const opts = { rng, crypto: nodeDtlsCrypto, cipherSuites: [suite] };
  const a = new DtlsEndpoint({ ...opts, role: 'client', certificate: c.certificate, remoteFingerprints: fp(s) });
  const b = new DtlsEndpoint({ ...opts, role: 'server', certificate: s.certificate, remoteFingerprints: fp(c) });
  a.start(0);
  for (let i = 0; i < 20 && (a.state !== 'connected' || b.state !== 'connected'); i++) {
    for (let d = a.pollTransmit(); d; d = a.pollTransmit()) b.handleInput(i, d);
    for (let d = b.pollTransmit(); d; d = b.pollTransmit()) a.handleInput(i, d);
  }
  while (a.pollEvent() || b.pollEvent());
  if (a.state !== 'connected' || b.state !== 'connected') throw new Error(`handshake did not finish: ${a.state}/${b.state}`);
  return { a, b };
}

/**
 * Receiving, in rounds: `a` seals a batch of records (not counted), then `b` takes each once
 * (counted). Every record has a fresh sequence number, as on the wire, so none is a replay.
 */
function receiveCpu(name, a, b, payload, { ms = 1000, batch = 256, rounds = 5 } = {}) {
  const ring = [];
  const round = () => {
    ring.length = 0;
    for (let i = 0; i < batch; i++) {
      a.send(0, payload);
      ring.push(a.pollTransmit());
    }
    const c0 = process.cpuUsage();
    for (const rec of ring) {
      b.handleInput(0, rec);
      if (b.pollEvent()?.type !== 'data') throw new Error('record not delivered');
    }
    const c = process.cpuUsage(c0);
    return c.user + c.system;
  };
  for (let i = 0; i < 20; i++) round();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let cpu = 0;
    let ops = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < (2 * ms) / rounds) {
      cpu += round();
      ops += batch;
    }
    best = Math.min(best, cpu / ops);
  }
  return cpuRow(name, best, payload.length);
}

/** node:crypto alone: seal and open of `size` bytes with a KeyObject made once. */
function floorRows(alg, keyLength, label, size) {
  const key = createSecretKey(randomBytes(keyLength));
  const nonce = randomBytes(12);
  const aad = randomBytes(13);
  const pt = new Uint8Array(size).fill(7);
  const c = createCipheriv(alg, key, nonce);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(pt), c.final()]);
  const tag = c.getAuthTag();
  return [
    measureCpu(`${label} ${size} B node:crypto seal alone`, () => {
      const e = createCipheriv(alg, key, nonce);
      e.setAAD(aad);
      e.update(pt);
      e.final();
      e.getAuthTag();
    }, { bytes: size }),
    measureCpu(`${label} ${size} B node:crypto open alone`, () => {
      const d = createDecipheriv(alg, key, nonce);
      d.setAAD(aad);
      d.setAuthTag(tag);
      d.update(ct);
      d.final();
    }, { bytes: size }),
  ];
}

const suiteArg = process.argv.indexOf('--suite');
const SUITES = [
  [0xc02b, 'ECDHE-ECDSA-AES128-GCM', 'aes-128-gcm', 16, 'aes'],
  [0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305', 'chacha20-poly1305', 32, 'chacha'],
].filter((s) => suiteArg < 0 || s[4] === process.argv[suiteArg + 1]);
const rows = [];
for (const [suite, name, alg, keyLength] of SUITES) {
  for (const size of [1200, 16384]) {
    const { a, b } = connectedPair(suite);
    const payload = new Uint8Array(size).fill(7);
    rows.push(
      measureCpu(`${name} ${size} B send (seal)`, () => {
        a.send(0, payload);
        a.pollTransmit();
      }, { bytes: size }),
    );
    rows.push(receiveCpu(`${name} ${size} B receive (open)`, a, b, payload));
    rows.push(...floorRows(alg, keyLength, name, size));
  }
}
if (json) console.log(JSON.stringify(rows));
else printRows(`DTLS record path per record, CPU time (Node ${process.version})`, rows);
