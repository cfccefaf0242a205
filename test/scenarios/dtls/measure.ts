// Quick measurement (not a test): `npx tsx test/scenarios/dtls/measure.ts` prints certificate generation time,
// AEAD seal/open cost per record for each suite and the CPU cost of an in-memory handshake.
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { CryptoRng } from '../../../src/io/node-crypto.js';
import { generateCertificate } from '../../../src/dtls/certificate.js';
import { cipherSuite } from '../../../src/dtls/cipher/suites.js';
import { RecordProtection } from '../../../src/dtls/record/protect.js';
import { decodeRecords } from '../../../src/dtls/record/header.js';
import { makePair, Pump } from './pump.js';
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
