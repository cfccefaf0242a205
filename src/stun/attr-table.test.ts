import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex } from '../core/bytes/hex.js';
import { isParseError, isUsageError } from '../core/errors.js';
import { nodeCrypto } from '../io/node-crypto.js';
import * as V from '../../test/vectors/stun/rfc5769.js';
import { ATTRIBUTE_BY_CODE, ATTRIBUTE_TABLE } from './attr-table.js';
import { attr, type AttrName, type AttrValues, type StunAttribute } from './attributes.js';
import { decodeStun, encodeStun, type StunMessage } from './message.js';
import { verifyFingerprint, verifyIntegrity } from './integrity.js';

const txid = fromHex('0102030405060708090a0b0c');

/** One sample value per known attribute: the mapped type forces a row for every table entry. */
const SAMPLES: { [K in AttrName]: AttrValues[K] } = {
  mappedAddress: { address: '198.18.100.1', port: 5000 },
  xorMappedAddress: { address: '2001:db8::1', port: 65535 },
  xorPeerAddress: { address: '203.0.113.9', port: 1 },
  xorRelayedAddress: { address: 'fe80::1:2:3:4', port: 3478 },
  alternateServer: { address: '::1', port: 3479 },
  username: 'abcd:efgh',
  userhash: new Uint8Array(32).fill(7),
  messageIntegrity: new Uint8Array(20).fill(1),
  messageIntegritySha256: new Uint8Array(28).fill(2),
  fingerprint: 0xdeadbeef,
  errorCode: { code: 487, reason: 'Role Conflict' },
  unknownAttributes: [0x7777, 0x0031, 0x0002],
  realm: 'example.org',
  nonce: 'f//499k954d6OL34oL9FSTvy64sA',
  software: 'rtcpeer ✓',
  passwordAlgorithm: { algorithm: 1, parameters: fromHex('aabbcc') },
  passwordAlgorithms: [{ algorithm: 2, parameters: new Uint8Array(0) }, { algorithm: 1, parameters: fromHex('01') }],
  priority: 2130706431,
  useCandidate: true,
  iceControlled: 0xffffffffffffffffn,
  iceControlling: 1n,
  channelNumber: 0x4000,
  lifetime: 600,
  data: fromHex('16fefd000102'),
  requestedTransport: 17,
  requestedAddressFamily: 'ipv6',
  additionalAddressFamily: 'ipv4',
  evenPort: { reserveNext: true },
  dontFragment: true,
  reservationToken: fromHex('0102030405060708'),
  metaDtlsInStun: fromHex('16fefd0000000000000000'),
  metaDtlsInStunAck: fromHex('cbf43926'),
};

function msgWith(attributes: StunAttribute[]): StunMessage {
  return { method: 0x003, cls: 'request', transactionId: txid, attributes };
}

test('every attribute in the table round-trips', () => {
  const names = Object.keys(ATTRIBUTE_TABLE) as AttrName[];
  assert.equal(ATTRIBUTE_BY_CODE.size, names.length, 'codes are unique');
  for (const name of names) {
    const a = attr(name, SAMPLES[name]);
    // FINGERPRINT must be last and MI hides what follows, so each attribute goes alone in a message.
    const m = decodeStun(encodeStun(msgWith([a])));
    assert.deepEqual(m.attributes, [a], name);
  }
  const withoutTrailer = names.filter((n) => n !== 'fingerprint' && n !== 'messageIntegrity' && n !== 'messageIntegritySha256');
  const all = withoutTrailer.map((n) => attr(n, SAMPLES[n]));
  assert.deepEqual(decodeStun(encodeStun(msgWith(all))).attributes, all);
});

test('XOR addresses differ on the wire from plain ones and depend on the transaction id (IPv6)', () => {
  const a = { address: '2001:db8::1', port: 4242 };
  const x1 = encodeStun(msgWith([attr('xorMappedAddress', a)]));
  const x2 = encodeStun({ ...msgWith([attr('xorMappedAddress', a)]), transactionId: new Uint8Array(12) });
  assert.notDeepEqual(x1.subarray(24), x2.subarray(24));
  assert.deepEqual(decodeStun(x2).attributes, [attr('xorMappedAddress', a)]);
});

test('encoding rejects values that cannot be encoded with UsageError', () => {
  const bad: StunAttribute[] = [
    attr('xorMappedAddress', { address: 'host.local', port: 1 }),
    attr('mappedAddress', { address: '1.2.3.4', port: 70000 }),
    attr('messageIntegrity', new Uint8Array(19)),
    attr('errorCode', { code: 200, reason: '' }),
    attr('username', 'x'.repeat(513)),
  ];
  for (const a of bad) assert.throws(() => encodeStun(msgWith([a])), isUsageError, a.type);
  assert.throws(() => encodeStun({ ...msgWith([]), transactionId: new Uint8Array(11) }), isUsageError);
  assert.throws(() => encodeStun(msgWith([]), { integrityKey: new Uint8Array(1) }), isUsageError);
});

const vectors = [V.REQUEST, V.IPV4_RESPONSE, V.IPV6_RESPONSE, V.LONG_TERM_REQUEST, V.SHA256_REQUEST].map((h) => fromHex(h));

/** decodeStun and the raw-byte checks either succeed or fail with a ParseError; nothing else. */
function total(buf: Uint8Array): void {
  try {
    decodeStun(buf);
  } catch (e: unknown) {
    if (!isParseError(e)) throw e;
    assert.match(e.code, /^stun\./);
  }
  verifyFingerprint(buf);
  verifyIntegrity(buf, new Uint8Array(16), nodeCrypto);
}

test('property: random bytes give a message or a ParseError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => total(b)), { numRuns: 3000 });
  // Random attribute sections behind a valid header reach the attribute decoders.
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), fc.integer({ min: 0, max: 0x3fff }), (body, type) => {
      const n = body.length - (body.length % 4);
      const buf = new Uint8Array(20 + n);
      buf.set([type >> 8, type & 0xff, n >> 8, n & 0xff, 0x21, 0x12, 0xa4, 0x42], 0);
      buf.set(body.subarray(0, n), 20);
      total(buf);
    }),
    { numRuns: 3000 },
  );
});

test('property: mutated RFC vectors give a message or a ParseError; FINGERPRINT catches every single-byte flip', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...vectors),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(8),
      (v, flips, cut) => {
        const b = v.slice();
        for (const [pos, x] of flips) b[pos % b.length] = (b[pos % b.length] as number) ^ x;
        total(b);
        total(b.subarray(0, Math.max(0, b.length - cut)));
        if (flips.length === 1 && verifyFingerprint(v)) assert.equal(verifyFingerprint(b), false);
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: attribute lists round-trip through encode/decode', () => {
  const names = (Object.keys(SAMPLES) as AttrName[]).filter((n) => !['fingerprint', 'messageIntegrity', 'messageIntegritySha256'].includes(n));
  const strAttr = fc.record({ name: fc.constantFrom('username', 'realm', 'software'), s: fc.string({ maxLength: 60, unit: 'grapheme' }) }).map(({ name, s }) => attr(name as 'username', s));
  const prio = fc.nat().map((p) => attr('priority', p));
  const tie = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((t) => attr('iceControlling', t));
  const v4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 65535 })).map(([address, port]) => attr('xorPeerAddress', { address, port }));
  // comprehension-optional codes the table does not know (0xC070, META-DTLS-IN-STUN, is one it knows)
  const unknownCode = fc.integer({ min: 0xc000, max: 0xffff }).filter((c) => !ATTRIBUTE_BY_CODE.has(c));
  const unknown = fc.record({ code: unknownCode, value: fc.uint8Array({ maxLength: 13 }) }).map((u): StunAttribute => ({ type: 'unknown', ...u }));
  const fixed = fc.constantFrom(...names).map((n) => attr(n, SAMPLES[n]));
  fc.assert(
    fc.property(fc.array(fc.oneof(strAttr, prio, tie, v4, unknown, fixed), { maxLength: 12 }), (attrs) => {
      assert.deepEqual(decodeStun(encodeStun(msgWith(attrs))).attributes, attrs);
    }),
    { numRuns: 500 },
  );
});
