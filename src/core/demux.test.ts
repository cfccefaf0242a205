import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPacket } from './demux.js';

test('RFC 7983 §7 first-byte ranges', () => {
  const expect = (b: number): string => (b <= 3 ? 'stun' : b >= 20 && b <= 63 ? 'dtls' : b >= 64 && b <= 79 ? 'turn-channel' : b >= 128 && b <= 191 ? 'rtp' : 'unknown');
  for (let b = 0; b < 256; b++) assert.equal(classifyPacket(b), expect(b), String(b));
  assert.equal(classifyPacket(0x16), 'dtls'); // handshake content type 22
  assert.equal(classifyPacket(0x17), 'dtls'); // application data
  assert.equal(classifyPacket(0x01), 'stun'); // Binding request type 0x0001
  assert.equal(classifyPacket(0x40), 'turn-channel'); // channel 0x4000
  assert.equal(classifyPacket(16), 'unknown'); // ZRTP
  assert.equal(classifyPacket(-1), 'unknown');
});
