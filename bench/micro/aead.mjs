// node:crypto AEAD cost per DTLS record (seal + open), one core:
//   node bench/micro/aead.mjs [--json]
// Variants: a new createCipheriv/createDecipheriv per record with a Buffer key or a KeyObject made
// once; WebCrypto (async, key imported once); and AES-128-GCM from one reused AES-128-ECB context
// plus a JS GHASH (./ghash.mjs, checked against node:crypto first).
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, webcrypto } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { EcbGcm } from './ghash.mjs';
import { json, measure, printRows } from './timing.mjs';

const key16 = randomBytes(16);
const key32 = randomBytes(32);
const aad = randomBytes(13); // DTLS 1.2 AEAD additional data: seq(8) type(1) version(2) length(2)
const nonce = randomBytes(12);

function sealOpen(alg, key) {
  return (pt) => () => {
    const c = createCipheriv(alg, key, nonce, { authTagLength: 16 });
    c.setAAD(aad, { plaintextLength: pt.length });
    const ct = Buffer.concat([c.update(pt), c.final()]);
    const tag = c.getAuthTag();
    const d = createDecipheriv(alg, key, nonce, { authTagLength: 16 });
    d.setAAD(aad, { plaintextLength: ct.length });
    d.setAuthTag(tag);
    d.update(ct);
    d.final();
  };
}

function sealOnly(alg, key) {
  return (pt) => () => {
    const c = createCipheriv(alg, key, nonce, { authTagLength: 16 });
    c.setAAD(aad, { plaintextLength: pt.length });
    c.update(pt);
    c.final();
    c.getAuthTag();
  };
}

async function webcryptoRate(size, ms = 1000) {
  const k = await webcrypto.subtle.importKey('raw', key16, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const pt = randomBytes(size);
  const p = { name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 };
  let ops = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    // 64 records in flight at once, as a sender with a full window could
    await Promise.all(Array.from({ length: 64 }, async () => webcrypto.subtle.decrypt(p, k, await webcrypto.subtle.encrypt(p, k, pt))));
    ops += 64;
  }
  const secs = (performance.now() - t0) / 1000;
  return { name: `AES-128-GCM ${size} B seal+open: WebCrypto, 64 in flight`, opsPerSec: ops / secs, usPerOp: (secs * 1e6) / ops, MBps: (ops * size) / secs / 1e6 };
}

function checkEcbGcm() {
  const pt = randomBytes(1200);
  const ref = createCipheriv('aes-128-gcm', key16, nonce);
  ref.setAAD(aad);
  const want = Buffer.concat([ref.update(pt), ref.final(), ref.getAuthTag()]);
  const got = new EcbGcm(key16).seal(nonce, aad, pt);
  if (!want.equals(got)) throw new Error('EcbGcm does not match node:crypto aes-128-gcm');
}

const rows = [];
const aesKo = createSecretKey(key16);
const chachaKo = createSecretKey(key32);
for (const size of [1200, 16384]) {
  const pt = randomBytes(size);
  const o = { bytes: size };
  rows.push(measure(`AES-128-GCM ${size} B seal only: createCipheriv, Buffer key`, sealOnly('aes-128-gcm', key16)(pt), o));
  rows.push(measure(`AES-128-GCM ${size} B seal+open: new (de)cipher, Buffer key`, sealOpen('aes-128-gcm', key16)(pt), o));
  rows.push(measure(`AES-128-GCM ${size} B seal+open: new (de)cipher, KeyObject`, sealOpen('aes-128-gcm', aesKo)(pt), o));
  rows.push(measure(`ChaCha20-Poly1305 ${size} B seal only: Buffer key`, sealOnly('chacha20-poly1305', key32)(pt), o));
  rows.push(measure(`ChaCha20-Poly1305 ${size} B seal+open: new, Buffer key`, sealOpen('chacha20-poly1305', key32)(pt), o));
  rows.push(measure(`ChaCha20-Poly1305 ${size} B seal+open: new, KeyObject`, sealOpen('chacha20-poly1305', chachaKo)(pt), o));
  rows.push(await webcryptoRate(size));
}
checkEcbGcm();
const ecb = new EcbGcm(key16);
for (const size of [1200, 16384]) {
  const pt = randomBytes(size);
  rows.push(measure(`AES-128-GCM ${size} B seal only: reused ECB ctx + JS GHASH`, () => ecb.seal(nonce, aad, pt), { bytes: size, batch: 10 }));
}
const ecbOnly = createCipheriv('aes-128-ecb', key16, null).setAutoPadding(false);
const blocks = Buffer.alloc(1216);
rows.push(measure('AES-128-ECB keystream for 1200 B (76 blocks), reused ctx', () => ecbOnly.update(blocks), { bytes: 1200 }));
rows.push(measure('createCipheriv(aes-128-gcm) alone, KeyObject', () => createCipheriv('aes-128-gcm', aesKo, nonce), {}));
if (json) console.log(JSON.stringify(rows));
else printRows(`AEAD per record, one core (Node ${process.version})`, rows);
