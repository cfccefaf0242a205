import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex, utf8 } from '../core/bytes/hex.js';
import { nodeCrypto } from './node-crypto.js';

test('hash: one piece (one-shot path) and several pieces give the same digests; FIPS 180-2 "abc" vectors', () => {
  assert.equal(toHex(nodeCrypto.hash('sha256', utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(nodeCrypto.hash('sha256', utf8('a'), utf8(''), utf8('bc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(nodeCrypto.hash('sha1', utf8('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  const data = Uint8Array.from({ length: 1500 }, (_, i) => i & 255);
  for (const alg of ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const) {
    const one = nodeCrypto.hash(alg, data);
    assert.ok(one instanceof Uint8Array);
    assert.deepEqual(one, nodeCrypto.hash(alg, data.subarray(0, 700), data.subarray(700)), alg);
  }
  const view = data.subarray(10, 20); // a view into a larger buffer hashes only its bytes
  assert.deepEqual(nodeCrypto.hash('sha256', view), nodeCrypto.hash('sha256', view.slice()));
});
