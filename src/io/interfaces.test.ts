import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { InterfaceCache, listHostAddresses } from './interfaces.js';

const info = (address: string, internal = false): NetworkInterfaceInfo =>
  address.includes(':')
    ? { address, family: 'IPv6', internal, netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 0 }
    : { address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null };

// A made-up interface table (documentation ranges): tests never touch this machine's real addresses.
const table = {
  lo: [info('127.0.0.1', true), info('::1', true)],
  eth0: [info('2001:db8::5'), info('fe80::1'), info('198.51.100.7')],
  wlan0: [info('203.0.113.9'), info('198.51.100.7')],
};

test('defaults: no loopback, no link-local, IPv4 first, de-duplicated', () => {
  assert.deepEqual(
    listHostAddresses({}, table).map((a) => a.address),
    ['198.51.100.7', '203.0.113.9', '2001:db8::5'],
  );
});

test('options: loopback, IPv4 only, link-local with zone, only', () => {
  assert.deepEqual(listHostAddresses({ includeLoopback: true, includeIPv6: false }, table).map((a) => a.address), ['127.0.0.1', '198.51.100.7', '203.0.113.9']);
  assert.deepEqual(listHostAddresses({ includeLinkLocal: true }, table).map((a) => a.address), ['198.51.100.7', '203.0.113.9', '2001:db8::5', 'fe80::1%eth0']);
  assert.deepEqual(listHostAddresses({ only: ['127.0.0.1', '::1'] }, table), [
    { address: '127.0.0.1', family: 'ipv4', interfaceName: 'lo', loopback: true },
    { address: '::1', family: 'ipv6', interfaceName: 'lo', loopback: true },
  ]);
  assert.deepEqual(listHostAddresses({ only: ['wlan0'] }, table).map((a) => a.address), ['203.0.113.9', '198.51.100.7']);
});

test('reads os.networkInterfaces() by default (loopback always exists)', () => {
  const lo = listHostAddresses({ only: ['127.0.0.1'] });
  assert.deepEqual(lo.map((a) => [a.address, a.loopback]), [['127.0.0.1', true]]);
  assert.equal(listHostAddresses().some((a) => a.loopback), false);
});

test('InterfaceCache lists the interfaces at most once per ttl, then again', () => {
  let reads = 0;
  let now = 0;
  const cache = new InterfaceCache(1000, () => (reads++, reads === 1 ? table : { lo: table.lo }), { now: () => now });
  assert.equal(cache.get(), table);
  now = 999;
  assert.equal(cache.get(), table, 'within the ttl: the same table, not listed again');
  assert.equal(reads, 1);
  now = 1000;
  assert.deepEqual(cache.get(), { lo: table.lo }, 'after the ttl: listed again (an interface went away)');
  assert.equal(reads, 2);
});
