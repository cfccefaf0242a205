/**
 * Our agent answering the RFC 5769 §2.1 sample request (an ICE connectivity check: USERNAME
 * "evtj:h6vY", PRIORITY, ICE-CONTROLLED, SOFTWARE, MESSAGE-INTEGRITY keyed with
 * "VOkJxbRl1RmTxUk/WvJxBt", FINGERPRINT). Vector shared from test/vectors/stun/rfc5769.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes/hex.js';
import { SeededRng } from '../core/rng.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { getAttr } from '../stun/helpers.js';
import { shortTermKey, verifyFingerprint, verifyIntegrity } from '../stun/integrity.js';
import { decodeStun } from '../stun/message.js';
import { REQUEST, SHORT_TERM_PASSWORD } from '../../test/vectors/stun/rfc5769.js';
import { IceAgent } from './ice-agent.js';

const US = { address: '192.0.2.10', port: 3478 };
const THEM = { address: '192.0.2.1', port: 32853 };

test('the RFC 5769 sample check is authenticated and answered with XOR-MAPPED-ADDRESS, MI and FINGERPRINT', () => {
  // The request's USERNAME is "<our ufrag>:<their ufrag>" = "evtj:h6vY"; its MI uses OUR password.
  const agent = new IceAgent({ rng: new SeededRng(1), crypto: nodeCrypto, controlling: true, localUfrag: 'evtj', localPwd: SHORT_TERM_PASSWORD, includeLoopback: true });
  agent.addLocalAddress(0, US);
  const req = fromHex(REQUEST);
  agent.handleDatagram(0, { from: THEM, to: US, data: req });
  const resp = agent.pollTransmit();
  assert.ok(resp);
  assert.deepEqual([resp.from, resp.to], [US, THEM]);
  const m = decodeStun(resp.data);
  assert.equal(m.cls, 'success');
  assert.deepEqual(m.transactionId, decodeStun(req).transactionId);
  assert.deepEqual(getAttr(m, 'xorMappedAddress'), THEM);
  assert.ok(verifyIntegrity(resp.data, shortTermKey(SHORT_TERM_PASSWORD), nodeCrypto, 'sha1'));
  assert.ok(verifyFingerprint(resp.data));
  assert.equal(agent.stats.unauthenticated, 0);
  // A wrong local password: 401.
  const other = new IceAgent({ rng: new SeededRng(2), crypto: nodeCrypto, localUfrag: 'evtj', localPwd: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
  other.addLocalAddress(0, US);
  other.handleDatagram(0, { from: THEM, to: US, data: req });
  const bad = other.pollTransmit();
  assert.ok(bad);
  assert.equal(getAttr(decodeStun(bad.data), 'errorCode')?.code, 401);
});
