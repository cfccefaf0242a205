// A DTLS client's false start (RFC 7918 shape, DtlsOptions.falseStart): once its Finished is out and
// the server's certificate matched its fingerprint, the client says 'writable' and may send before the
// server's Finished arrives; the server reads that data right after the client's Finished. Off by
// default, never on a server, and not while the fingerprint check waits for the remote description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pump, makePair, testCertificates } from './pump.js';
import { utf8, fromUtf8 } from '../../../src/core/bytes/hex.js';
import { isUsageError } from '../../../src/core/errors.js';

function pair(seed: number, extra: Parameters<typeof makePair>[1]): Pump {
  const { client, server } = makePair(seed, extra);
  const p = new Pump(client, server, {}, seed);
  client.start(0);
  server.start(0);
  return p;
}

const writable = (p: Pump): boolean => p.events.a.some((e) => e.type === 'writable');

test('falseStart: writable after the client Finished, data sent then reaches the server with that Finished', () => {
  const p = pair(41, { client: { falseStart: true } });
  assert.ok(p.runUntil(() => writable(p), 10_000), JSON.stringify(p.events.a));
  assert.equal(p.a.state, 'handshaking', 'the server Finished has not come yet');
  const sentAt = p.now;
  p.a.send(p.now, utf8('early'));
  assert.ok(p.runUntil(() => p.events.b.some((e) => e.type === 'data'), 10_000));
  const b = p.events.b.map((e) => e.type);
  assert.ok(b.indexOf('connected') >= 0 && b.indexOf('connected') < b.indexOf('data'), `server events: ${b.join(' ')}`);
  const data = p.events.b.find((e) => e.type === 'data');
  assert.equal(data?.type === 'data' && fromUtf8(data.data), 'early');
  assert.equal(p.now, sentAt + 10, 'one trip: it arrived with the Finished, not after the server answered it');
  assert.ok(p.runUntil(() => p.connected('a'), 10_000));
  const a = p.events.a.map((e) => e.type);
  assert.ok(a.indexOf('writable') < a.indexOf('connected'), `client events: ${a.join(' ')}`);
  assert.equal(a.filter((t) => t === 'writable').length, 1);
});

test('without falseStart: no writable, and send() before the server Finished is a usage error', () => {
  const p = pair(42, {});
  let refused = '';
  assert.ok(
    p.runUntil(() => {
      if (!refused && p.a.state === 'handshaking' && p.sent.a.length >= 2) {
        try {
          p.a.send(p.now, utf8('too early'));
        } catch (e) {
          refused = isUsageError(e) ? e.code : String(e);
        }
      }
      return p.connected('a') && p.connected('b');
    }, 10_000),
  );
  assert.equal(refused, 'dtls.not-connected');
  assert.ok(!writable(p));
});

test('falseStart waits for the fingerprint: no writable while the remote description is missing', () => {
  const [, sc] = testCertificates();
  const p = pair(43, { client: { falseStart: true, remoteFingerprints: [] } });
  assert.ok(p.runUntil(() => p.a.state === 'verifying', 10_000));
  assert.ok(p.connected('b'));
  assert.ok(!writable(p), 'no false start before the certificate was checked');
  p.a.setRemoteFingerprints(p.now, [{ algorithm: 'sha-256', value: sc.fingerprint('sha-256') }]);
  assert.ok(p.runUntil(() => p.connected('a'), 10_000));
  assert.ok(!writable(p));
});

test('falseStart is a client option: a server given it says nothing early', () => {
  const p = pair(44, { server: { falseStart: true } });
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000));
  assert.ok(!p.events.b.some((e) => e.type === 'writable'));
  assert.ok(!writable(p));
});
