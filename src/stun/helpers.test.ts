import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../core/rng.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { attr } from './attributes.js';
import { StunMethod } from './constants.js';
import { messageType, splitMessageType } from './header.js';
import { errorResponse, getAttr, hasAttr, newTransactionId, stunRequest, successResponse, unknownAttributesResponse } from './helpers.js';
import { shortTermKey, verifyFingerprint, verifyIntegrity } from './integrity.js';
import { decodeStun, encodeStun } from './message.js';

test('message types: class bits interleave with the method (RFC 8489 §5)', () => {
  assert.equal(messageType(StunMethod.Binding, 'request'), 0x0001);
  assert.equal(messageType(StunMethod.Binding, 'success'), 0x0101);
  assert.equal(messageType(StunMethod.Binding, 'error'), 0x0111);
  assert.equal(messageType(StunMethod.Binding, 'indication'), 0x0011);
  assert.equal(messageType(StunMethod.Allocate, 'error'), 0x0113);
  assert.equal(messageType(StunMethod.Send, 'indication'), 0x0016);
  assert.equal(messageType(StunMethod.Data, 'indication'), 0x0017);
  for (let m = 0; m <= 0xfff; m += 37) {
    for (const cls of ['request', 'indication', 'success', 'error'] as const) assert.deepEqual(splitMessageType(messageType(m, cls)), { method: m, cls });
  }
});

test('ICE check round trip: request, 487 error and success response with credentials', () => {
  const rng = new SeededRng(7);
  const req = stunRequest(StunMethod.Binding, newTransactionId(rng), [
    attr('username', 'R:L'),
    attr('priority', 1853824767),
    attr('iceControlling', 42n),
    attr('useCandidate', true),
  ]);
  const remote = shortTermKey('remote-pwd-22-chars-xx');
  const wire = encodeStun(req, { integrityKey: remote, fingerprint: true }, nodeCrypto);
  const got = decodeStun(wire);
  assert.equal(verifyIntegrity(wire, remote, nodeCrypto) && verifyFingerprint(wire), true);
  assert.equal(getAttr(got, 'iceControlling'), 42n);
  assert.equal(hasAttr(got, 'useCandidate'), true);
  assert.equal(getAttr(got, 'iceControlled'), undefined);

  const err = decodeStun(encodeStun(errorResponse(got, 487), { fingerprint: true }));
  assert.equal(err.cls, 'error');
  assert.deepEqual(err.transactionId, req.transactionId);
  assert.deepEqual(getAttr(err, 'errorCode'), { code: 487, reason: 'Role Conflict' });

  const ok = decodeStun(encodeStun(successResponse(got, [attr('xorMappedAddress', { address: '127.0.0.1', port: 9 })])));
  assert.equal(ok.cls, 'success');
  assert.deepEqual(getAttr(ok, 'xorMappedAddress'), { address: '127.0.0.1', port: 9 });

  const u = decodeStun(encodeStun(unknownAttributesResponse(got, [0x7001, 0x7002, 0x7003])));
  assert.deepEqual(getAttr(u, 'errorCode'), { code: 420, reason: 'Unknown Attribute' });
  assert.deepEqual(getAttr(u, 'unknownAttributes'), [0x7001, 0x7002, 0x7003]);
});
