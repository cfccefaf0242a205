import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nodeCrypto } from '../../io/node-crypto.js';
import { makeCookie, openCookie, type CookieData } from './cookie.js';

const secret = new Uint8Array(32).fill(7);
const data: CookieData = {
  myTag: 0x11223344, peerTag: 0x55667788, myInitialTsn: 1, peerInitialTsn: 0xffffffff, peerArwnd: 5242880,
  outStreams: 1024, inStreams: 65535, tieMy: 0, tiePeer: 9, created: 123456, peerZeroChecksum: true,
  peerForwardTsn: true, peerReconfig: false, peerPad: true,
};

test('a cookie opens to what was sealed, within its lifetime', () => {
  const c = makeCookie(data, secret, nodeCrypto);
  assert.equal(c.length, 76);
  assert.deepEqual(openCookie(c, secret, nodeCrypto, 123456 + 60000, 60000), { ok: true, data });
});

test('stale, forged and malformed cookies are refused', () => {
  const c = makeCookie(data, secret, nodeCrypto);
  assert.deepEqual(openCookie(c, secret, nodeCrypto, 123456 + 60001, 60000), { ok: false, why: 'stale' });
  assert.deepEqual(openCookie(c, new Uint8Array(32), nodeCrypto, 123456, 60000), { ok: false, why: 'bad-mac' });
  assert.deepEqual(openCookie(c.subarray(1), secret, nodeCrypto, 123456, 60000), { ok: false, why: 'malformed' });
});

test('any single-byte change is detected (property)', () => {
  const c = makeCookie(data, secret, nodeCrypto);
  fc.assert(
    fc.property(fc.nat(c.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
      const m = c.slice();
      m[i] = (m[i] as number) ^ x;
      assert.equal(openCookie(m, secret, nodeCrypto, 123456, 60000).ok, false);
    }),
  );
});
