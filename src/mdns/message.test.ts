import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/bytes/hex.js';
import { isParseError } from '../core/errors.js';
import { decodeDns, encodeQuery, encodeResponse, RR_A, RR_AAAA } from './message.js';

// Golden vectors produced by the independent `dns-packet` 5.x encoder (npm; a dependency of
// multicast-dns) with a Chrome-style UUID name; the compressed one is hand-assembled from RFC 1035 §4.1.4.
const NAME = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9.local';
const LABELS = '2431663265336434632d356236612d343937382d383639352d613462336332643165306639056c6f63616c00';
const QUERY = `000000000002000000000000${LABELS}00010001${LABELS}001c0001`;
const RESPONSE = `000084000000000200000000${LABELS}00018001000000780004c6120102${LABELS}001c8001000000780010fe800000000000000000000000000001`;
// answers 'a.local' A 10.0.0.1 and 'b' + pointer to offset 12 ('b.a.local') A 10.0.0.2
const COMPRESSED = '000084000000000200000000' + '0161056c6f63616c00' + '000100010000007800040a000001' + '0162c00c' + '00010001' + '0000003c00040a000002';

test('query golden vector (A + AAAA for a UUID .local name, RFC 6762 §18)', () => {
  assert.equal(toHex(encodeQuery([NAME])), QUERY);
  const m = decodeDns(fromHex(QUERY));
  assert.equal(m.response, false);
  assert.deepEqual(m.questions, [
    { name: NAME, type: RR_A, unicastResponse: false },
    { name: NAME, type: RR_AAAA, unicastResponse: false },
  ]);
});

test('response golden vector: A and AAAA with cache-flush and TTL 120', () => {
  assert.equal(toHex(encodeResponse(NAME, ['198.18.1.2', 'fe80::1'])), RESPONSE);
  const m = decodeDns(fromHex(RESPONSE));
  assert.equal(m.response, true);
  assert.equal(m.authoritative, true);
  assert.deepEqual(
    m.answers.map((a) => [a.name, a.type, a.cacheFlush, a.ttl, a.address]),
    [
      [NAME, RR_A, true, 120, '198.18.1.2'],
      [NAME, RR_AAAA, true, 120, 'fe80::1'],
    ],
  );
});

test('compression pointers are followed; loops and forward pointers are ParseErrors', () => {
  const m = decodeDns(fromHex(COMPRESSED));
  assert.deepEqual(m.answers.map((a) => [a.name, a.address, a.ttl]), [['a.local', '10.0.0.1', 120], ['b.a.local', '10.0.0.2', 60]]);
  const selfLoop = '000000000001000000000000' + 'c00c' + '00010001';
  const forward = '000000000001000000000000' + 'c00e' + '00010001';
  const reserved = '000000000001000000000000' + '4001' + '00010001';
  for (const [hex, code] of [[selfLoop, 'mdns.name.pointer'], [forward, 'mdns.name.pointer'], [reserved, 'mdns.name.label'], ['0000', 'mdns.truncated']] as const) {
    assert.throws(() => decodeDns(fromHex(hex)), (e: unknown) => isParseError(e) && e.code === code, hex);
  }
});

test('names longer than 255 octets are refused on both sides', () => {
  const long = `${Array.from({ length: 5 }, () => 'x'.repeat(60)).join('.')}.local`;
  assert.throws(() => encodeQuery([long]), /255/);
  assert.throws(() => encodeQuery(['bad..local']), /label/);
});

const label = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => `${ls.join('.')}.local`);
const ipv4 = fc.ipV4();

test('property: query and response round trip', () => {
  fc.assert(
    fc.property(fc.array(name, { minLength: 1, maxLength: 3 }), (names) => {
      assert.deepEqual(decodeDns(encodeQuery(names, [RR_A])).questions.map((q) => q.name), names);
    }),
  );
  fc.assert(
    fc.property(name, fc.array(ipv4, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 0xffffffff }), (n, addrs, ttl) => {
      const m = decodeDns(encodeResponse(n, addrs, ttl));
      assert.deepEqual(m.answers.map((a) => [a.name, a.address, a.ttl]), addrs.map((a) => [n, a, ttl]));
    }),
  );
});

test('property: random and mutated bytes give a message or a ParseError, nothing else', () => {
  const check = (b: Uint8Array): void => {
    try {
      decodeDns(b);
    } catch (e: unknown) {
      if (!isParseError(e)) throw e;
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check));
  const golden = [fromHex(QUERY), fromHex(RESPONSE), fromHex(COMPRESSED)];
  fc.assert(
    fc.property(fc.constantFrom(...golden), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(), (g, muts, cut) => {
      const b = g.slice(0, g.length - (cut % 8));
      for (const [i, v] of muts) b[i % b.length] = v;
      check(b);
    }),
  );
});
