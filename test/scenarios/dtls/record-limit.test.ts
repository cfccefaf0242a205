// DtlsOptions.maxRecordPlaintext: by default send() takes at most 2^14 bytes of plaintext (RFC 6347);
// towards a peer that said it reads larger records (SDP a=x-dtls-record-limit, between rtcpeer peers)
// the endpoint is given a larger limit and sends such records, which our record layer reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pump, makePair } from './pump.js';
import { EXTENDED_MAX_PLAINTEXT, MAX_PLAINTEXT, RECORD_PLAINTEXT_CEILING } from '../../../src/dtls/constants.js';
import { isUsageError } from '../../../src/core/errors.js';

function connected(seed: number, extra: Parameters<typeof makePair>[1]): Pump {
  const { client, server } = makePair(seed, extra);
  const p = new Pump(client, server, {}, seed);
  client.start(0);
  server.start(0);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000));
  return p;
}

function usageCode(f: () => void): string {
  try {
    f();
  } catch (e) {
    return isUsageError(e) ? e.code : String(e);
  }
  return 'no error';
}

test('default limit: a 2^14-byte record is sent, one byte more is a usage error', () => {
  const p = connected(51, {});
  assert.equal(p.a.maxPayload <= MAX_PLAINTEXT, true);
  p.a.send(p.now, new Uint8Array(MAX_PLAINTEXT).fill(1));
  assert.equal(usageCode(() => p.a.send(p.now, new Uint8Array(MAX_PLAINTEXT + 1))), 'dtls.too-large');
  assert.ok(p.runUntil(() => p.events.b.some((e) => e.type === 'data'), 1000));
});

test('extended limit: records up to maxRecordPlaintext leave whole and arrive whole; above it a usage error', () => {
  const limit = EXTENDED_MAX_PLAINTEXT;
  const p = connected(52, { client: { maxRecordPlaintext: limit, mtu: 65507 } });
  const big = new Uint8Array(limit).map((_, i) => i & 0xff);
  const before = p.sent.a.length;
  p.a.send(p.now, big);
  assert.equal(usageCode(() => p.a.send(p.now, new Uint8Array(limit + 1))), 'dtls.too-large');
  assert.ok(p.runUntil(() => p.events.b.some((e) => e.type === 'data'), 1000));
  assert.equal(p.sent.a.length, before + 1, 'one datagram');
  assert.equal(p.sent.a[before]?.length, 13 + 8 + limit + 16, 'one record: header, explicit nonce, plaintext, tag');
  const got = p.events.b.find((e) => e.type === 'data');
  assert.deepEqual(got?.type === 'data' ? got.data : undefined, big);
  assert.equal(p.a.maxPayload, limit, 'maxPayload follows the limit when the MTU allows');
});

test('maxRecordPlaintext is validated: 16384..RECORD_PLAINTEXT_CEILING integers', () => {
  for (const bad of [MAX_PLAINTEXT - 1, RECORD_PLAINTEXT_CEILING + 1, 20000.5, Number.NaN]) {
    assert.equal(usageCode(() => makePair(53, { client: { maxRecordPlaintext: bad } })), 'dtls.options', String(bad));
  }
  assert.equal(usageCode(() => makePair(53, { client: { maxRecordPlaintext: RECORD_PLAINTEXT_CEILING } })), 'no error');
});
