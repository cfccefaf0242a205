import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isParseError } from '../core/errors.js';
import { parseIceServers, parseTurnUrl } from './url.js';

test('turn:/turns: URLs (RFC 7065 examples and defaults)', () => {
  assert.deepEqual(parseTurnUrl('turn:example.org'), { host: 'example.org', port: 3478, transport: 'udp', literal: false });
  assert.deepEqual(parseTurnUrl('turns:example.org'), { host: 'example.org', port: 5349, transport: 'tls', literal: false });
  assert.deepEqual(parseTurnUrl('turn:example.org?transport=udp'), { host: 'example.org', port: 3478, transport: 'udp', literal: false });
  assert.deepEqual(parseTurnUrl('turn:example.org?transport=tcp'), { host: 'example.org', port: 3478, transport: 'tcp', literal: false });
  assert.deepEqual(parseTurnUrl('turns:example.org?transport=tcp'), { host: 'example.org', port: 5349, transport: 'tls', literal: false });
  assert.deepEqual(parseTurnUrl('TURN:198.18.3.2:3479?transport=TCP'), { host: '198.18.3.2', port: 3479, transport: 'tcp', literal: true });
  assert.deepEqual(parseTurnUrl('turn:[2001:db8::1]:80'), { host: '2001:db8::1', port: 80, transport: 'udp', literal: true });
});

test('bad turn URLs are ParseErrors with a reason a person can act on', () => {
  for (const [url, re] of [
    ['turn:lab:labpass@198.18.3.2:3478', /username\/credential/],
    ['turn:example.org?transport=sctp', /unsupported transport "sctp"/],
    ['turns:example.org?transport=udp', /DTLS/],
    ['turn:example.org:0', /bad port/],
    ['turn:example.org:70000', /bad port/],
    ['http://example.org', /not a turn/],
  ] as const) {
    assert.throws(() => parseTurnUrl(url), (e: unknown) => isParseError(e) && re.test(e.message), url);
  }
});

test('iceServers: urls as string or array, several servers, problems reported not thrown', () => {
  const { urls, problems } = parseIceServers([
    { urls: 'stun:198.18.3.2' },
    { urls: ['turn:198.18.3.2?transport=tcp', 'turns:turn.example:443', 'turn:x?transport=quic'], username: 'lab', credential: 'labpass' },
    { urls: 'turn:nocreds.example' },
    { urls: ['ftp://x'] },
  ]);
  assert.deepEqual(
    urls.map((u) => [u.kind, u.host, u.port, u.kind === 'turn' ? u.transport : '-', u.kind === 'turn' ? u.username : '-']),
    [
      ['stun', '198.18.3.2', 3478, '-', '-'],
      ['turn', '198.18.3.2', 3478, 'tcp', 'lab'],
      ['turn', 'turn.example', 443, 'tls', 'lab'],
    ],
  );
  assert.deepEqual(problems.map((p) => p.url), ['turn:x?transport=quic', 'turn:nocreds.example', 'ftp://x']);
  assert.match(problems[1]?.reason ?? '', /username and credential/);
});

test('property: parseIceServers never throws and bounds the URL count', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ urls: fc.oneof(fc.string(), fc.array(fc.string({ maxLength: 30 }), { maxLength: 30 })), username: fc.string() , credential: fc.string() }), { maxLength: 5 }), (servers) => {
      const { urls } = parseIceServers(servers);
      assert.ok(urls.length <= 16);
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (s) => {
      try {
        parseTurnUrl(`turn:${s}`);
      } catch (e: unknown) {
        if (!isParseError(e)) throw e;
      }
    }),
  );
});
