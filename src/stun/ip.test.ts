import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv6 as netIsIPv6 } from 'node:net';
import fc from 'fast-check';
import { formatIp, parseIp } from './ip.js';

test('IP literals parse and print (RFC 5952 text, IPv4-mapped as node prints it)', () => {
  const cases: Array<[string, string]> = [
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
  ];
  for (const [input, out] of cases) assert.equal(formatIp(parseIp(input) as Uint8Array), out, input);
  for (const bad of ['', '1.2.3', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'x.local', '1:2:3:4:5:6:7::8'])
    assert.equal(parseIp(bad), undefined, bad);
});

test('property: IPv6 and IPv4 text round-trips through bytes', () => {
  fc.assert(
    fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (ip) => {
      const b = parseIp(ip);
      assert.ok(b, ip);
      assert.equal(netIsIPv6(formatIp(b)) || formatIp(b).split('.').length === 4, true);
      assert.deepEqual(parseIp(formatIp(b)), b);
    }),
    { numRuns: 2000 },
  );
});
