import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../core/rng.js';
import { isUsageError } from '../../core/errors.js';
import { nodeCrypto } from '../../io/node-crypto.js';
import { resolveSctpOptions, type SctpOptions } from './options.js';

const base = { rng: new SeededRng(1), crypto: nodeCrypto };

test('SCTP options: defaults, given values, and an explicit undefined takes the default', () => {
  const d = resolveSctpOptions(base);
  assert.equal(d.mtu, 1200);
  assert.equal(d.sackDelay, 20);
  assert.equal(d.maxInitRetransmits, Infinity);
  assert.equal(d.snap, undefined);
  const o = resolveSctpOptions({ ...base, mtu: 1400, sackDelay: 0, zeroChecksum: false, mtuUnknown: 1 } as typeof base);
  assert.deepEqual([o.mtu, o.sackDelay, o.zeroChecksum], [1400, 0, false]);
  assert.equal('mtuUnknown' in o, false, 'only known options are kept');
  // as a JavaScript caller may write it (TypeScript's exactOptionalPropertyTypes refuses it)
  assert.equal(resolveSctpOptions({ ...base, mtu: undefined, receiveWindow: undefined } as unknown as SctpOptions).mtu, 1200);
  // one shape for every association: the same keys in the same order, whatever was given
  assert.deepEqual(Object.keys(o), Object.keys(d));
});

test('SCTP options: a bad value is a UsageError naming the field', () => {
  for (const [field, bad] of [['mtu', 100], ['sackDelay', 600], ['maxStreams', 0], ['receiveWindow', 1000]] as const) {
    try {
      resolveSctpOptions({ ...base, [field]: bad });
      assert.fail(`${field}: ${bad} accepted`);
    } catch (e) {
      assert.ok(isUsageError(e), String(e));
      assert.match(e.code, /^sctp\.options\./);
    }
  }
});
