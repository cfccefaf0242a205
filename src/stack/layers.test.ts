import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackPath, pathMaxPacketSize, type PathInfo } from './layers.js';

const pair = (localType: 'host' | 'relay' | 'srflx', base: string, remote: string): PathInfo => ({ local: { type: localType }, remote: { address: remote }, base: { address: base } });

test('path cap: one full DTLS record on a loopback pair, Ethernet size elsewhere, 1200 without a pair', () => {
  assert.equal(pathMaxPacketSize(pair('host', '127.0.0.1', '127.0.0.1')), 16384);
  assert.equal(pathMaxPacketSize(pair('host', '::1', '::1')), 16384);
  assert.equal(pathMaxPacketSize(pair('host', '198.18.0.1', '198.18.0.2')), 1500 - 28 - 37, 'IPv4: 1435');
  assert.equal(pathMaxPacketSize(pair('host', '2001:db8::1', '2001:db8::2')), 1500 - 48 - 37, 'IPv6: 1415');
  assert.equal(pathMaxPacketSize(pair('host', '127.0.0.1', '198.18.0.2')), 1435, 'only both ends on loopback count');
  assert.equal(pathMaxPacketSize(pair('relay', '127.0.0.1', '127.0.0.1')), 1500 - 28 - 37 - 52, 'a relayed pair is never loopback-sized');
  assert.equal(pathMaxPacketSize(undefined), 1200);
});

test('a stable path (SCTP may cut fragments to the PLPMTU) is a non-relayed loopback pair only', () => {
  assert.equal(isLoopbackPath(pair('host', '127.0.0.1', '127.0.0.1')), true);
  assert.equal(isLoopbackPath(pair('host', '::1', '::1')), true);
  assert.equal(isLoopbackPath(pair('host', '127.0.0.1', '198.18.0.2')), false);
  assert.equal(isLoopbackPath(pair('relay', '127.0.0.1', '127.0.0.1')), false);
  assert.equal(isLoopbackPath(undefined), false);
});
