import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/bytes/hex.js';
import { isParseError } from '../core/errors.js';
import * as V from '../../test/vectors/stun/rfc5769.js';
import { decodeChannelData, encodeChannelData } from './channel-data.js';
import { StreamDeframer, frameForStream } from './stream-framing.js';

test('ChannelData layout (RFC 8656 §12.4), padding only when asked', () => {
  assert.equal(toHex(encodeChannelData(0x4001, fromHex('010203'))), '40010003010203');
  assert.equal(toHex(encodeChannelData(0x4001, fromHex('010203'), true)), '4001000301020300');
  assert.deepEqual(decodeChannelData(fromHex('4001000301020300')), { channel: 0x4001, data: fromHex('010203') });
  for (const [hex, code] of [['40', 'turn.truncated'], ['3fff0000', 'turn.channel'], ['50000000', 'turn.channel'], ['40000005 0102', 'turn.truncated']] as const) {
    assert.throws(() => decodeChannelData(fromHex(hex)), (e: unknown) => isParseError(e) && e.code === code, hex);
  }
});

test('property: ChannelData round trip; random bytes give a value or a ParseError', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0x4000, max: 0x4fff }), fc.uint8Array({ maxLength: 100 }), fc.boolean(), (ch, data, pad) => {
      assert.deepEqual(decodeChannelData(encodeChannelData(ch, data, pad)), { channel: ch, data });
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      try {
        decodeChannelData(b);
      } catch (e: unknown) {
        if (!isParseError(e)) throw e;
      }
    }),
  );
});

const stun = fromHex(V.IPV4_RESPONSE);
const cd = encodeChannelData(0x4002, fromHex('0a0b0c0d0e'));

test('stream deframing: STUN and padded ChannelData split at any chunk boundary', () => {
  const stream = new Uint8Array([...frameForStream(stun), ...frameForStream(cd), ...frameForStream(stun)]);
  assert.equal(frameForStream(cd).length, 12);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }), (cuts) => {
      const d = new StreamDeframer();
      const frames: Uint8Array[] = [];
      let p = 0;
      for (const c of cuts) {
        frames.push(...d.push(stream.subarray(p, Math.min(stream.length, p + c))));
        p = Math.min(stream.length, p + c);
      }
      frames.push(...d.push(stream.subarray(p)));
      assert.deepEqual(frames.map((f) => toHex(f)), [toHex(stun), toHex(cd), toHex(stun)], 'ChannelData comes out without its padding');
      assert.equal(d.buffered, 0);
    }),
  );
  assert.deepEqual(decodeChannelData(frameForStream(cd)).data, fromHex('0a0b0c0d0e'));
});

test('RFC 4571 framing (ICE-TCP, RFC 6544 §3) and a broken stream', () => {
  const d = new StreamDeframer('rfc4571');
  const wire = new Uint8Array([...frameForStream(cd, 'rfc4571'), ...frameForStream(stun, 'rfc4571')]);
  assert.deepEqual(d.push(wire.subarray(0, 3)), []);
  assert.deepEqual(d.push(wire.subarray(3)).map((f) => toHex(f)), [toHex(cd), toHex(stun)]);
  assert.throws(() => new StreamDeframer().push(fromHex('80000000')), (e: unknown) => isParseError(e) && e.code === 'turn.stream');
});
