import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackPath, loopbackWindow, pathMaxPacketSize, type PathInfo } from './layers.js';

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

test('path cap on a loopback pair follows the record limit both ends declared (a=x-dtls-record-limit); elsewhere it does not', () => {
  assert.equal(pathMaxPacketSize(pair('host', '127.0.0.1', '127.0.0.1'), 65000), 65000);
  assert.equal(pathMaxPacketSize(pair('host', '198.18.0.1', '198.18.0.2'), 65000), 1435);
});

test('loopback receive window: half the socket buffer the kernel reports, at least 64 KiB; none elsewhere or unknown', () => {
  const lo = pair('host', '127.0.0.1', '127.0.0.1');
  assert.equal(loopbackWindow(lo, 425984), 212992, "Linux's default rmem_max: 208 KiB");
  assert.equal(loopbackWindow(lo, 2 * 1024 * 1024), 1024 * 1024);
  assert.equal(loopbackWindow(lo, 50000), 65536);
  assert.equal(loopbackWindow(lo, undefined), undefined);
  assert.equal(loopbackWindow(pair('host', '198.18.0.1', '198.18.0.2'), 425984), undefined, 'paced by a real link: the whole window');
  assert.equal(loopbackWindow(pair('relay', '127.0.0.1', '127.0.0.1'), 425984), undefined);
  assert.equal(loopbackWindow(undefined, 425984), undefined);
});
