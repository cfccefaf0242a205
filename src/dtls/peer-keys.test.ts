import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DtlsCryptoProvider, VerifyKey } from './crypto.js';
import { PEER_KEY_CACHE_SIZE, peerCertificateKey } from './peer-keys.js';
import { nodeDtlsCrypto } from '../io/node-dtls-crypto.js';
import { generateCertificate } from './certificate.js';
import { SeededRng } from '../core/rng.js';

/** A provider whose certificateKey counts its calls; DER starting with 0 is "unparsable". */
function counting(): { crypto: DtlsCryptoProvider; calls: () => number } {
  let n = 0;
  const crypto = {
    ...nodeDtlsCrypto,
    certificateKey(der: Uint8Array): VerifyKey | undefined {
      n++;
      return der[0] === 0 ? undefined : { kind: 'ecdsa-p256', handle: der[1] };
    },
  };
  return { crypto, calls: () => n };
}

test('a certificate is parsed once; equal bytes in a new buffer hit; other bytes miss', () => {
  const { crypto, calls } = counting();
  const a = peerCertificateKey(crypto, Uint8Array.of(1, 7, 7));
  assert.equal(peerCertificateKey(crypto, Uint8Array.of(1, 7, 7)), a);
  assert.equal(calls(), 1);
  assert.notEqual(peerCertificateKey(crypto, Uint8Array.of(1, 8, 7)), a);
  assert.equal(calls(), 2);
});

test('unparsable certificates are not remembered; the cache stays bounded, least recently used out first', () => {
  const { crypto, calls } = counting();
  assert.equal(peerCertificateKey(crypto, Uint8Array.of(0, 1)), undefined);
  assert.equal(peerCertificateKey(crypto, Uint8Array.of(0, 1)), undefined);
  assert.equal(calls(), 2);
  const first = Uint8Array.of(1, 0, 0);
  peerCertificateKey(crypto, first);
  for (let i = 1; i < PEER_KEY_CACHE_SIZE + 10; i++) {
    peerCertificateKey(crypto, Uint8Array.of(1, i & 255, i >> 8));
    peerCertificateKey(crypto, first); // kept fresh: never the least recently used
  }
  const before = calls();
  peerCertificateKey(crypto, first);
  assert.equal(calls(), before, 'the recently used one is still there');
  peerCertificateKey(crypto, Uint8Array.of(1, 1, 0));
  assert.equal(calls(), before + 1, 'an old one was evicted');
});

test('with node:crypto: the same key for a real certificate, large DER included', () => {
  const cert = generateCertificate({ crypto: nodeDtlsCrypto, rng: new SeededRng(5) });
  const k1 = peerCertificateKey(nodeDtlsCrypto, cert.der);
  assert.equal(k1?.kind, 'ecdsa-p256');
  assert.equal(peerCertificateKey(nodeDtlsCrypto, cert.der.slice()), k1);
  const big = new Uint8Array(10_000).fill(3);
  assert.equal(peerCertificateKey(nodeDtlsCrypto, big), undefined);
});

test("the memo is keyed by the certificate's SHA-256: the caller's digest is used, none computed again", () => {
  const { crypto, calls } = counting();
  let hashes = 0;
  const counted: DtlsCryptoProvider = { ...crypto, hash: (alg, ...d) => (hashes++, crypto.hash(alg, ...d)) };
  const der = Uint8Array.of(1, 4, 4);
  const digest = nodeDtlsCrypto.hash('sha256', der);
  const k = peerCertificateKey(counted, der, digest);
  assert.equal(hashes, 0);
  assert.equal(peerCertificateKey(counted, der.slice()), k, 'computed digest finds the entry');
  assert.equal(hashes, 1);
  assert.equal(calls(), 1);
  assert.equal(peerCertificateKey(counted, Uint8Array.of(1, 9, 9), digest), k, 'the digest is the identity');
  assert.equal(calls(), 1);
});
