import { test } from 'node:test';
import { createPrivateKey } from 'node:crypto';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../../core/bytes/hex.js';
import { nodeDtlsCrypto } from '../../io/node-dtls-crypto.js';
import { NamedGroup } from '../constants.js';
import { extendedMasterSecret, keyBlock, masterSecret, prf } from './prf.js';

// Vectors from protocol.md §6.3 (IETF TLS list PRF vector; X25519 → master → key block as in werift
// packages/dtls/tests/cipher/prf.test.ts and pion/dtls pkg/crypto/prf/prf_test.go).
const crypto = nodeDtlsCrypto;
const clientRandom = Uint8Array.from({ length: 32 }, (_, i) => i);
const serverRandom = Uint8Array.from({ length: 32 }, (_, i) => 0x70 + i);

test('TLS 1.2 PRF (SHA-256) vector', () => {
  const out = prf(crypto, 'sha256', fromHex('9bbe436ba940f017b17652849a71db35'), 'test label', fromHex('a0ba9f936cda311827a6f796ffd5198c'), 100);
  assert.equal(out.length, 100);
  assert.equal(toHex(out.subarray(0, 16)), 'e3f229ba727be17b8d122620557cd453');
});

test('X25519 premaster, master secret and AES-128-GCM key block vectors', () => {
  // Our provider with a fixed private key: build a KeyShare through node's own X25519 import.
  const priv = fromHex('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f');
  const share = x25519ShareFromPrivate(priv);
  const pre = crypto.deriveSharedSecret(share, fromHex('9fd7ad6dcff4298dd3f96d5b1b2af910a0535b1488d7f8fabb349a982880b615'));
  assert.equal(toHex(pre ?? new Uint8Array()), 'df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624');
  const ms = masterSecret(crypto, 'sha256', pre as Uint8Array, clientRandom, serverRandom);
  assert.equal(toHex(ms), '916abf9da55973e13614ae0a3f5d3f37b023ba129aee02cc9134338127cd7049781c8e19fc1eb2a7387ac06ae237344c');
  const kb = keyBlock(crypto, 'sha256', ms, clientRandom, serverRandom, 16, 4);
  assert.equal(toHex(kb.clientWriteKey), '1b7d117c7d5f690bc263cae8ef60af0f');
  assert.equal(toHex(kb.serverWriteKey), '1878acc22ad8bdd8c601a617126f6354');
  assert.equal(toHex(kb.clientWriteIv), '0eb20906');
  assert.equal(toHex(kb.serverWriteIv), 'f781fad2');
});

test('extended master secret is PRF(premaster, "extended master secret", session_hash) (RFC 7627 §4)', () => {
  const pre = fromHex('df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624');
  const sessionHash = crypto.hash('sha256', Uint8Array.of(1, 2, 3));
  const ems = extendedMasterSecret(crypto, 'sha256', pre, sessionHash);
  assert.equal(ems.length, 48);
  assert.deepEqual(ems, prf(crypto, 'sha256', pre, 'extended master secret', sessionHash, 48));
  assert.notDeepEqual(ems, masterSecret(crypto, 'sha256', pre, clientRandom, serverRandom));
});

function x25519ShareFromPrivate(priv: Uint8Array) {
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), priv]), format: 'der', type: 'pkcs8' });
  return { group: NamedGroup.x25519, publicKey: new Uint8Array(32), secret: key };
}
