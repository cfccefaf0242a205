import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/bytes/hex.js';
import { isParseError } from '../core/errors.js';
import { ChannelType, channelTypeFor, decodeDcep, encodeDcepAck, encodeDcepOpen, reliabilityOf } from './messages.js';
import { Ppid, decodeUserMessage, encodeUserMessage } from './ppid.js';

// Golden vector built field by field from the RFC 8832 §5.1 figure: what Chrome sends for
// createDataChannel('chat', { ordered: false, maxRetransmits: 3, protocol: 'json' }) (priority 256).
const GOLDEN_OPEN = '03 81 0100 00000003 0004 0004 63686174 6a736f6e';

test('DATA_CHANNEL_OPEN golden vector (RFC 8832 §5.1 layout)', () => {
  const m = decodeDcep(fromHex(GOLDEN_OPEN));
  assert.deepEqual(m, { type: 'open', channelType: 0x81, priority: 256, reliabilityParameter: 3, label: 'chat', protocol: 'json' });
  const enc = encodeDcepOpen({ channelType: ChannelType.PartialReliableRexmitUnordered, priority: 256, reliabilityParameter: 3, label: 'chat', protocol: 'json' });
  assert.equal(toHex(enc), GOLDEN_OPEN.replace(/ /g, ''));
  assert.deepEqual(decodeDcep(fromHex('02')), { type: 'ack' });
  assert.deepEqual(encodeDcepAck(), Uint8Array.of(2));
});

test('all six channel types map to and from reliability', () => {
  const cases = [
    [{ ordered: true }, 0x00, 0],
    [{ ordered: false }, 0x80, 0],
    [{ ordered: true, maxRetransmits: 5 }, 0x01, 5],
    [{ ordered: false, maxRetransmits: 0 }, 0x81, 0],
    [{ ordered: true, maxPacketLifeTime: 1500 }, 0x02, 1500],
    [{ ordered: false, maxPacketLifeTime: 100 }, 0x82, 100],
  ] as const;
  for (const [rel, type, param] of cases) {
    assert.deepEqual(channelTypeFor(rel), { channelType: type, reliabilityParameter: param });
    assert.deepEqual(reliabilityOf({ channelType: type, reliabilityParameter: param }), rel);
    const wire = encodeDcepOpen({ channelType: type, priority: 512, reliabilityParameter: param, label: 'é', protocol: '' });
    assert.equal(wire[1], type);
    assert.equal(decodeDcep(wire).type, 'open');
  }
});

test('UTF-8 label lengths are in bytes', () => {
  const wire = encodeDcepOpen({ channelType: 0, priority: 256, reliabilityParameter: 0, label: 'héllo✓', protocol: 'p' });
  assert.equal((wire[8] as number) * 256 + (wire[9] as number), 9);
  const m = decodeDcep(wire);
  assert.equal(m.type === 'open' && m.label, 'héllo✓');
});

test('malformed DCEP gives typed errors', () => {
  for (const [hex, code] of [
    ['', 'dcep.truncated'],
    ['07', 'dcep.message-type'],
    ['03 05 0100 00000000 0000 0000', 'dcep.channel-type'],
    ['03 00 0100 00000000 0005 0000 6162', 'dcep.truncated'],
    ['03 00 0100 00000000 0002 0000 c328', 'dcep.utf8'],
  ] as const) {
    assert.throws(() => decodeDcep(fromHex(hex)), (e: unknown) => isParseError(e) && e.code === code, hex);
  }
});

test('property: OPEN round trip', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(0x00, 0x80, 0x01, 0x81, 0x02, 0x82),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      (channelType, priority, reliabilityParameter, label, protocol) => {
        const m = { channelType: channelType as ChannelType, priority, reliabilityParameter, label, protocol };
        assert.deepEqual(decodeDcep(encodeDcepOpen(m)), { type: 'open', ...m });
      },
    ),
  );
});

test('property: random and mutated bytes give a message or a typed ParseError', () => {
  const golden = fromHex(GOLDEN_OPEN);
  const mutated = fc.array(fc.tuple(fc.nat(golden.length + 2), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }).chain((edits) =>
    fc.nat(golden.length).map((cut) => {
      const b = golden.slice(0, cut === 0 ? golden.length : cut);
      for (const [i, v] of edits) if (i < b.length) b[i] = v;
      return b;
    }),
  );
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated), (bytes) => {
      try {
        const m = decodeDcep(bytes);
        assert.ok(m.type === 'open' || m.type === 'ack');
      } catch (e) {
        assert.ok(isParseError(e) && e.code.startsWith('dcep.'), String(e));
      }
    }),
    { numRuns: 3000 },
  );
});

test('PPIDs: strings, binary, and empty messages as one byte with PPID 56/57 (RFC 8831 §6.6)', () => {
  assert.deepEqual(encodeUserMessage(new Uint8Array(0), true), { ppid: Ppid.StringEmpty, payload: Uint8Array.of(0) });
  assert.deepEqual(encodeUserMessage(new Uint8Array(0), false), { ppid: Ppid.BinaryEmpty, payload: Uint8Array.of(0) });
  assert.equal(encodeUserMessage(Uint8Array.of(1), true).ppid, 51);
  assert.equal(encodeUserMessage(Uint8Array.of(1), false).ppid, 53);
  assert.deepEqual(decodeUserMessage(56, Uint8Array.of(0)), { data: new Uint8Array(0), isString: true });
  assert.deepEqual(decodeUserMessage(57, Uint8Array.of(0)), { data: new Uint8Array(0), isString: false });
  assert.deepEqual(decodeUserMessage(53, Uint8Array.of(7)), { data: Uint8Array.of(7), isString: false });
  assert.equal(decodeUserMessage(50, Uint8Array.of(2)), undefined);
  assert.equal(decodeUserMessage(99, Uint8Array.of(2)), undefined);
});
