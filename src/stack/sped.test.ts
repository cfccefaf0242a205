import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpedNegotiation, isClientHello } from './sped.js';

test('SpedNegotiation: offers name both options, answers those the offer named, the mode needs one', () => {
  const on = new SpedNegotiation(true);
  assert.deepEqual(on.iceOptions('offer', undefined), ['trickle', 'sped', 'goog-sped-v1']);
  assert.deepEqual(on.iceOptions('answer', ['trickle', 'goog-sped-v1']), ['trickle', 'goog-sped-v1']);
  assert.deepEqual(on.iceOptions('answer', ['trickle']), ['trickle']);
  assert.equal(on.offerMode, 'offered');
  assert.equal(on.modeFor(['trickle', 'sped']), 'on');
  assert.equal(on.modeFor(['goog-sped-v1']), 'on');
  assert.equal(on.modeFor(['trickle', 'ice2']), 'off');
  const off = new SpedNegotiation(false);
  assert.deepEqual(off.iceOptions('offer', undefined), ['trickle']);
  assert.deepEqual(off.iceOptions('answer', ['sped']), ['trickle']);
  assert.equal(off.offerMode, 'off');
  assert.equal(off.modeFor(['sped']), 'off');
});

test('isClientHello: a handshake record whose first message is a ClientHello', () => {
  const record = (contentType: number, msgType: number): Uint8Array => {
    const r = new Uint8Array(40);
    r[0] = contentType;
    r[13] = msgType;
    return r;
  };
  assert.equal(isClientHello(record(22, 1)), true);
  assert.equal(isClientHello(record(22, 2)), false, 'ServerHello');
  assert.equal(isClientHello(record(23, 1)), false, 'application data');
  assert.equal(isClientHello(record(22, 1).subarray(0, 20)), false, 'too short');
});
