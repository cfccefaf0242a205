import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes/hex.js';
import { isParseError } from '../core/errors.js';
import { nodeCrypto } from '../io/node-crypto.js';
import * as V from '../../test/vectors/stun/rfc5769.js';
import { attr } from './attributes.js';
import { StunMethod } from './constants.js';
import { getAttr, unknownComprehensionRequired } from './helpers.js';
import { longTermKey, shortTermKey, userhash, verifyFingerprint, verifyIntegrity } from './integrity.js';
import { decodeStun, encodeStun, type StunMessage } from './message.js';
import { isStunPacket } from './header.js';

const key = shortTermKey(V.SHORT_TERM_PASSWORD);
const txid = fromHex('b7e7a701bc34d686fa87dfae');

/** The message with MI/FINGERPRINT removed, to re-encode them. */
function withoutTrailer(m: StunMessage): StunMessage {
  return { ...m, attributes: m.attributes.filter((a) => a.type !== 'messageIntegrity' && a.type !== 'fingerprint') };
}

test('RFC 5769 §2.1 request: parse, MI, FINGERPRINT, re-encode', () => {
  const buf = fromHex(V.REQUEST);
  assert.equal(isStunPacket(buf), true);
  const m = decodeStun(buf);
  assert.equal(m.method, StunMethod.Binding);
  assert.equal(m.cls, 'request');
  assert.deepEqual(m.transactionId, txid);
  assert.deepEqual(m.attributes.map((a) => a.type), ['software', 'priority', 'iceControlled', 'username', 'messageIntegrity', 'fingerprint']);
  assert.equal(getAttr(m, 'software'), 'STUN test client');
  assert.equal(getAttr(m, 'priority'), 0x6e0001ff);
  assert.equal(getAttr(m, 'iceControlled'), 0x932ff9b151263b36n);
  assert.equal(getAttr(m, 'username'), 'evtj:h6vY');
  assert.equal(verifyIntegrity(buf, key, nodeCrypto), true);
  assert.equal(verifyIntegrity(buf, key, nodeCrypto, 'sha1'), true);
  assert.equal(verifyIntegrity(buf, shortTermKey('wrong'), nodeCrypto), false);
  assert.equal(verifyFingerprint(buf), true);
  // The RFC pads USERNAME with spaces; we pad with zeros, so the bytes differ only there and in MI/FP.
  const again = encodeStun(withoutTrailer(m), { integrityKey: key, fingerprint: true }, nodeCrypto);
  assert.equal(again.length, buf.length);
  assert.equal(verifyIntegrity(again, key, nodeCrypto), true);
  assert.equal(verifyFingerprint(again), true);
  const spaces = again.slice();
  spaces.set([0x20, 0x20, 0x20], 73);
  assert.equal(toHex(spaces.subarray(0, 76)), toHex(buf.subarray(0, 76)));
  assert.deepEqual(withoutTrailer(decodeStun(again)), withoutTrailer(m));
});

test('RFC 5769 §2.2 IPv4 response: XOR-MAPPED-ADDRESS, byte-exact re-encode', () => {
  const buf = fromHex(V.IPV4_RESPONSE);
  const m = decodeStun(buf);
  assert.equal(m.cls, 'success');
  assert.equal(getAttr(m, 'software'), 'test vector');
  assert.deepEqual(getAttr(m, 'xorMappedAddress'), { address: '192.0.2.1', port: 32853 });
  assert.equal(verifyIntegrity(buf, key, nodeCrypto), true);
  assert.equal(verifyFingerprint(buf), true);
  const again = encodeStun(withoutTrailer(m), { integrityKey: key, fingerprint: true }, nodeCrypto);
  // SOFTWARE "test vector" is padded with one 0x20 in the RFC; fix that byte, then compare the rest.
  const patched = again.slice();
  patched[35] = 0x20;
  assert.equal(toHex(patched.subarray(0, 44)), toHex(buf.subarray(0, 44)));
  assert.equal(verifyIntegrity(again, key, nodeCrypto) && verifyFingerprint(again), true);
});

test('RFC 5769 §2.3 IPv6 response', () => {
  const buf = fromHex(V.IPV6_RESPONSE);
  const m = decodeStun(buf);
  assert.deepEqual(getAttr(m, 'xorMappedAddress'), { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
  assert.equal(verifyIntegrity(buf, key, nodeCrypto), true);
  assert.equal(verifyFingerprint(buf), true);
  const again = encodeStun(withoutTrailer(m), { integrityKey: key, fingerprint: true }, nodeCrypto);
  assert.equal(toHex(again.subarray(36, 60)), toHex(buf.subarray(36, 60)), 'XOR-MAPPED-ADDRESS bytes');
  assert.equal(verifyIntegrity(again, key, nodeCrypto) && verifyFingerprint(again), true);
});

test('RFC 5769 §2.4 long-term credentials: SASLprep key, MI, byte-exact re-encode', () => {
  const buf = fromHex(V.LONG_TERM_REQUEST);
  const m = decodeStun(buf);
  assert.equal(getAttr(m, 'username'), V.LONG_TERM_USERNAME);
  assert.equal(getAttr(m, 'realm'), V.LONG_TERM_REALM);
  assert.equal(getAttr(m, 'nonce'), V.LONG_TERM_NONCE);
  const k = longTermKey(V.LONG_TERM_USERNAME, V.LONG_TERM_REALM, V.LONG_TERM_PASSWORD_RAW, nodeCrypto);
  assert.deepEqual(k, longTermKey(V.LONG_TERM_USERNAME, V.LONG_TERM_REALM, 'TheMatrIX', nodeCrypto));
  assert.equal(verifyIntegrity(buf, k, nodeCrypto), true);
  assert.equal(verifyFingerprint(buf), false, 'no FINGERPRINT in this vector');
  assert.equal(toHex(encodeStun(withoutTrailer(m), { integrityKey: k }, nodeCrypto)), toHex(buf));
  const tampered = buf.slice();
  tampered[25] = (tampered[25] as number) ^ 1;
  assert.equal(verifyIntegrity(tampered, k, nodeCrypto), false);
});

test('RFC 8489 B.1: USERHASH, PASSWORD-ALGORITHM, MESSAGE-INTEGRITY-SHA256, byte-exact re-encode', () => {
  const buf = fromHex(V.SHA256_REQUEST);
  const m = decodeStun(buf);
  assert.deepEqual(getAttr(m, 'userhash'), userhash(V.LONG_TERM_USERNAME, V.LONG_TERM_REALM, nodeCrypto));
  assert.deepEqual(getAttr(m, 'passwordAlgorithm'), { algorithm: 2, parameters: new Uint8Array(0) });
  const k = longTermKey(V.LONG_TERM_USERNAME, V.LONG_TERM_REALM, V.LONG_TERM_PASSWORD_RAW, nodeCrypto, 'sha256');
  assert.equal(verifyIntegrity(buf, k, nodeCrypto), true);
  assert.equal(verifyIntegrity(buf, k, nodeCrypto, 'sha256'), true);
  assert.equal(verifyIntegrity(buf, k, nodeCrypto, 'sha1'), false, 'no SHA1 MI present');
  const plain = { ...m, attributes: m.attributes.filter((a) => a.type !== 'messageIntegritySha256') };
  assert.equal(toHex(encodeStun(plain, { integrityKey: k, integrity: 'sha256' }, nodeCrypto)), toHex(buf));
});

test('both MI and MI-SHA256 with FINGERPRINT verify; attributes after MI are ignored', () => {
  const msg: StunMessage = { method: StunMethod.Binding, cls: 'request', transactionId: txid, attributes: [attr('username', 'a:b')] };
  const k = shortTermKey('pw');
  const buf = encodeStun(msg, { integrityKey: k, integrity: 'both', fingerprint: true }, nodeCrypto);
  assert.equal(verifyIntegrity(buf, k, nodeCrypto, 'sha1'), true);
  assert.equal(verifyIntegrity(buf, k, nodeCrypto, 'sha256'), true);
  assert.equal(verifyFingerprint(buf), true);
  assert.deepEqual(decodeStun(buf).attributes.map((a) => a.type), ['username', 'messageIntegrity', 'messageIntegritySha256', 'fingerprint']);
  // An attribute placed after MI (here: PRIORITY) is dropped by the decoder.
  const late = encodeStun({ ...msg, attributes: [attr('messageIntegrity', new Uint8Array(20)), attr('priority', 5)] });
  assert.deepEqual(decodeStun(late).attributes.map((a) => a.type), ['messageIntegrity']);
});

test('unknown attributes: comprehension-required reported, optional ignored', () => {
  const msg: StunMessage = {
    method: StunMethod.Binding,
    cls: 'request',
    transactionId: txid,
    attributes: [{ type: 'unknown', code: 0xc057, value: fromHex('00010000') }, { type: 'unknown', code: 0x7777, value: fromHex('01') }],
  };
  const m = decodeStun(encodeStun(msg));
  assert.deepEqual(unknownComprehensionRequired(m), [0x7777]);
  assert.deepEqual(m.attributes, msg.attributes);
});

test('malformed messages give typed ParseErrors', () => {
  const good = fromHex(V.IPV4_RESPONSE);
  const cases: Array<[Uint8Array, string]> = [
    [good.subarray(0, 3), 'stun.truncated'],
    [good.subarray(0, 19), 'stun.length'],
    [Uint8Array.of(0x80, ...good.subarray(1)), 'stun.not-stun'],
    [Uint8Array.from(good, (b, i) => (i === 4 ? 0 : b)), 'stun.cookie'],
    [good.subarray(0, good.length - 4), 'stun.length'],
    [fromHex('0001 0008 2112a442 000000000000000000000000 0020 0004 00010000'), 'stun.truncated'],
    [fromHex('0001 0008 2112a442 000000000000000000000000 0020 0004 00030000'), 'stun.attr.family'],
    [fromHex('0001 0008 2112a442 000000000000000000000000 0024 0003 00000000'), 'stun.truncated'],
    [fromHex('0001 000c 2112a442 000000000000000000000000 0024 0008 0000000000000000'), 'stun.attr.length'],
    [fromHex('0001 000c 2112a442 000000000000000000000000 8028 0004 00000000 0025 0000'), 'stun.after-fingerprint'],
    [fromHex('0001 0008 2112a442 000000000000000000000000 0006 0002 c328 0000'), 'stun.attr.utf8'],
  ];
  for (const [buf, code] of cases) {
    assert.throws(() => decodeStun(buf), (e: unknown) => isParseError(e) && e.code === code, `${toHex(buf)} -> ${code}`);
  }
});
