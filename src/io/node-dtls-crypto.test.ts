import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { NamedGroup, SignatureScheme } from '../dtls/constants.js';
import { generateCertificate } from '../dtls/certificate.js';
import { SeededRng } from '../core/rng.js';
import { nodeDtlsCrypto as c, signingKeyFromPem } from './node-dtls-crypto.js';

test('ECDHE: both groups agree, bad points are refused', () => {
  for (const g of [NamedGroup.x25519, NamedGroup.secp256r1]) {
    const a = c.generateKeyShare(g);
    const b = c.generateKeyShare(g);
    assert.equal(a.publicKey.length, g === NamedGroup.x25519 ? 32 : 65);
    assert.deepEqual(c.deriveSharedSecret(a, b.publicKey), c.deriveSharedSecret(b, a.publicKey));
    assert.equal(c.deriveSharedSecret(a, new Uint8Array(7)), undefined);
  }
  const p = c.generateKeyShare(NamedGroup.secp256r1);
  const offCurve = new Uint8Array(65).fill(1);
  offCurve[0] = 4;
  assert.equal(c.deriveSharedSecret(p, offCurve), undefined);
  assert.equal(c.deriveSharedSecret(c.generateKeyShare(NamedGroup.x25519), new Uint8Array(32)), undefined, 'small-order point gives all-zero secret');
});

test('signatures: ECDSA P-256, RSA PKCS#1 and RSA-PSS with SHA-256; wrong scheme or data fails', () => {
  const data = new Uint8Array([1, 2, 3]);
  const ec = generateCertificate({ crypto: c, rng: new SeededRng(1) });
  const ecKey = c.certificateKey(ec.der)!;
  assert.equal(ecKey.kind, 'ecdsa-p256');
  const sig = c.sign(ec.privateKey, SignatureScheme.ecdsaSecp256r1Sha256, data);
  assert.ok(c.verify(ecKey, SignatureScheme.ecdsaSecp256r1Sha256, data, sig));
  assert.ok(!c.verify(ecKey, SignatureScheme.ecdsaSecp256r1Sha256, Uint8Array.of(9), sig));
  assert.ok(!c.verify(ecKey, SignatureScheme.rsaPkcs1Sha256, data, sig));

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa = signingKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  assert.equal(rsa.kind, 'rsa');
  const rsaPub = { kind: 'rsa' as const, handle: publicKey }; // the provider's VerifyKey shape (its own test)
  for (const s of [SignatureScheme.rsaPkcs1Sha256, SignatureScheme.rsaPssRsaeSha256]) {
    const sg = c.sign(rsa, s, data);
    assert.ok(c.verify(rsaPub, s, data, sg), `scheme ${s.toString(16)}`);
    assert.ok(!c.verify(rsaPub, s === SignatureScheme.rsaPkcs1Sha256 ? SignatureScheme.rsaPssRsaeSha256 : SignatureScheme.rsaPkcs1Sha256, data, sg));
  }
  assert.equal(c.certificateKey(Uint8Array.of(0x30, 0x03, 1, 2, 3)), undefined);
});

test('X25519 share: the raw public key is the one in the key SPKI (RFC 7748 u-coordinate), and the secret matches node over DER', () => {
  const share = c.generateKeyShare(NamedGroup.x25519);
  const spki = createPublicKey(share.secret as KeyObject).export({ format: 'der', type: 'spki' });
  assert.deepEqual(new Uint8Array(spki.subarray(spki.length - 32)), share.publicKey);
  const peer = c.generateKeyShare(NamedGroup.x25519);
  const viaDer = diffieHellman({
    privateKey: share.secret as KeyObject,
    publicKey: createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), peer.publicKey]), format: 'der', type: 'spki' }),
  });
  assert.deepEqual(c.deriveSharedSecret(share, peer.publicKey), new Uint8Array(viaDer));
});

test('certificate keys: each certificate gives its own key, which verifies only its signatures', () => {
  const one = generateCertificate({ crypto: c, rng: new SeededRng(2) });
  const two = generateCertificate({ crypto: c, rng: new SeededRng(3) });
  const k1 = c.certificateKey(one.der)!;
  const k2 = c.certificateKey(two.der)!;
  const data = Uint8Array.of(7);
  const sig = c.sign(two.privateKey, SignatureScheme.ecdsaSecp256r1Sha256, data);
  assert.ok(c.verify(k2, SignatureScheme.ecdsaSecp256r1Sha256, data, sig));
  assert.ok(!c.verify(k1, SignatureScheme.ecdsaSecp256r1Sha256, data, sig));
});

test("signing key: its SPKI is the DER node writes for the public half, and it verifies the key's signatures", () => {
  const { key, spki } = c.generateSigningKey();
  const pub = createPublicKey(key.handle as KeyObject);
  assert.deepEqual(spki, new Uint8Array(pub.export({ format: 'der', type: 'spki' })));
  const data = Uint8Array.of(5, 6, 7);
  const sig = c.sign(key, SignatureScheme.ecdsaSecp256r1Sha256, data);
  const fromSpki = { kind: 'ecdsa-p256' as const, handle: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }) };
  assert.ok(c.verify(fromSpki, SignatureScheme.ecdsaSecp256r1Sha256, data, sig));
});
