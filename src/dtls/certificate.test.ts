import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { SeededRng } from '../core/rng.js';
import { nodeDtlsCrypto } from '../io/node-dtls-crypto.js';
import { generateCertificate } from './certificate.js';
import { certificateFingerprint, certificateMatches, expectedFingerprints, fingerprintBytes, fingerprintMatches, validateFingerprints } from './fingerprint.js';
import type { CryptoProvider } from '../core/crypto.js';
import { isUsageError } from '../core/errors.js';

test('generated certificate: X.509 v3, self-signed ECDSA P-256 / SHA-256, parsable and verifiable by node', () => {
  const c = generateCertificate({ crypto: nodeDtlsCrypto, rng: new SeededRng(1), commonName: 'rtcpeer-test' });
  const x = new X509Certificate(c.der);
  assert.equal(x.subject, 'CN=rtcpeer-test');
  assert.equal(x.issuer, 'CN=rtcpeer-test');
  assert.equal(x.publicKey.asymmetricKeyType, 'ec');
  assert.equal(x.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.ok(x.verify(x.publicKey), 'self-signature verifies');
  assert.equal(x.validFrom, 'Jan  1 00:00:00 2024 GMT');
  assert.equal(x.validTo, 'Dec 31 23:59:59 2049 GMT');
  assert.equal(c.fingerprint('sha-256'), x.fingerprint256);
  assert.equal(c.fingerprint('sha-1'), x.fingerprint);
  assert.equal(c.fingerprint('sha-512'), x.fingerprint512);
  assert.equal(c.privateKey.kind, 'ecdsa-p256');
});

test('fresh certificates differ (key, serial, name)', () => {
  const rng = new SeededRng(2);
  const n = 20;
  const certs = Array.from({ length: n }, () => generateCertificate({ crypto: nodeDtlsCrypto, rng }));
  assert.equal(new Set(certs.map((c) => c.fingerprint())).size, n);
});

test('fingerprint matching: case-insensitive hex with colons, any entry, unknown algorithms rejected by validation', () => {
  const c = generateCertificate({ crypto: nodeDtlsCrypto, rng: new SeededRng(3) });
  const fp = certificateFingerprint(nodeDtlsCrypto, c.der, 'sha-384');
  assert.match(fp, /^([0-9A-F]{2}:){47}[0-9A-F]{2}$/);
  assert.ok(fingerprintMatches(nodeDtlsCrypto, c.der, [{ algorithm: 'SHA-384', value: fp.toLowerCase() }]));
  assert.ok(!fingerprintMatches(nodeDtlsCrypto, c.der, [{ algorithm: 'sha-256', value: fp }]));
  assert.ok(!fingerprintMatches(nodeDtlsCrypto, c.der, []));
  assert.throws(() => validateFingerprints([{ algorithm: 'md5', value: 'AA' }]), isUsageError);
  assert.throws(() => validateFingerprints([{ algorithm: 'sha-256', value: 'zz:yy' }]), isUsageError);
});

test('fingerprint bytes: colon-separated hex pairs, any case, surrounding whitespace; anything else undefined', () => {
  assert.deepEqual(fingerprintBytes(' aB:09:fF '), Uint8Array.of(0xab, 0x09, 0xff));
  assert.deepEqual(fingerprintBytes('00'), Uint8Array.of(0));
  for (const bad of ['', 'A', 'ABC', 'AB:', 'AB:C', 'AB-CD', 'AB::CD', 'ABCD', 'AG:00', ':AB', 'AB:CD:', 'A B']) {
    assert.equal(fingerprintBytes(bad), undefined, bad);
    assert.throws(() => validateFingerprints([{ algorithm: 'sha-256', value: bad }]), isUsageError, bad);
  }
});

test('expected fingerprints: parsed once, unknown hashes left out; a certificate is hashed once per hash', () => {
  const c = generateCertificate({ crypto: nodeDtlsCrypto, rng: new SeededRng(4) });
  const fp = c.fingerprint('sha-256');
  const expected = expectedFingerprints([
    { algorithm: 'md5', value: 'AA' },
    { algorithm: 'SHA-256', value: '00:11' },
    { algorithm: 'sha-256', value: fp.toLowerCase() },
  ]);
  assert.equal(expected.length, 2);
  let hashes = 0;
  const counting: CryptoProvider = { ...nodeDtlsCrypto, hash: (alg, ...d) => (hashes++, nodeDtlsCrypto.hash(alg, ...d)) };
  assert.ok(certificateMatches(counting, c.der, expected));
  assert.equal(hashes, 1);
  assert.ok(!certificateMatches(counting, c.der, expected.slice(0, 1)));
  assert.ok(!certificateMatches(counting, c.der, []));
});

test('a certificate fingerprint is computed once per algorithm', () => {
  let hashes = 0;
  const counting = { ...nodeDtlsCrypto, hash: (alg: 'sha256', ...d: Uint8Array[]) => (hashes++, nodeDtlsCrypto.hash(alg, ...d)) };
  const c = generateCertificate({ crypto: counting, rng: new SeededRng(5) });
  const before = hashes;
  const fp = c.fingerprint('sha-256');
  assert.equal(c.fingerprint(), fp);
  assert.equal(c.fingerprint('sha-256'), fp);
  assert.equal(hashes, before + 1);
  assert.notEqual(c.fingerprint('sha-1'), fp);
  assert.equal(hashes, before + 2);
});
