import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toHex } from '../../core/bytes/hex.js';
import { isParseError } from '../../core/errors.js';
import { nodeDtlsCrypto } from '../../io/node-dtls-crypto.js';
import { cipherSuite } from '../cipher/suites.js';
import { DTLS12 } from '../constants.js';
import { decodeRecords } from './header.js';
import { RecordProtection } from './protect.js';
import { REPLAY_WINDOW, ReplayWindow } from './replay-window.js';

test('replay window: new, duplicate, too old, ahead (RFC 6347 §4.1.2.6)', () => {
  const w = new ReplayWindow();
  for (const s of [0, 1, 5, 3]) {
    assert.ok(w.check(s));
    w.mark(s);
  }
  assert.ok(!w.check(3));
  assert.ok(w.check(2));
  w.mark(1000);
  assert.ok(!w.check(1000 - REPLAY_WINDOW));
  assert.ok(w.check(1000 - REPLAY_WINDOW + 1));
  assert.ok(!w.check(1000));
  assert.ok(w.check(2 ** 48 - 1));
  assert.ok(w.isRecentDuplicate(1000));
  assert.ok(!w.isRecentDuplicate(3), 'too old is not a duplicate verdict');
  assert.ok(!w.isRecentDuplicate(999));
});

test('property: replay window agrees with a set-based model', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 400 }), (seqs) => {
      const w = new ReplayWindow();
      const seen = new Set<number>();
      let max = -1;
      for (const s of seqs) {
        const expect = !seen.has(s) && s > max - REPLAY_WINDOW;
        assert.equal(w.check(s), expect, `seq ${s}`);
        if (expect) {
          w.mark(s);
          seen.add(s);
          max = Math.max(max, s);
        }
      }
    }),
  );
});

for (const id of [0xc02b, 0xc02c, 0xcca9, 0xc02f]) {
  test(`AEAD protect/unprotect 0x${id.toString(16)}: round trip, tamper and wrong key rejected`, () => {
    const suite = cipherSuite(id)!;
    const key = new Uint8Array(suite.keyLength).fill(3);
    const iv = new Uint8Array(suite.fixedIvLength).fill(9);
    const tx = new RecordProtection(nodeDtlsCrypto, suite, key, iv);
    const rx = new RecordProtection(nodeDtlsCrypto, suite, key, iv);
    const other = new RecordProtection(nodeDtlsCrypto, suite, new Uint8Array(suite.keyLength).fill(4), iv);
    const rec = tx.seal(23, DTLS12, 1, 0x0102030405, Uint8Array.of(1, 2, 3, 4));
    assert.equal(rec.length, 13 + suite.explicitNonceLength + 4 + 16);
    if (suite.explicitNonceLength) assert.equal(toHex(rec.subarray(13, 21)), '0001000102030405'); // explicit nonce = epoch ‖ seq
    const [raw] = decodeRecords(rec);
    assert.deepEqual(Array.from(rx.open(raw!) ?? []), [1, 2, 3, 4]);
    assert.equal(other.open(raw!), undefined);
    for (const i of [0, 4, 10, 13, rec.length - 1]) {
      const bad = rec.slice();
      bad[i] = (bad[i] as number) ^ 1;
      const [r2] = decodeRecords(bad);
      if (r2) assert.equal(rx.open(r2), undefined, `byte ${i} flipped`);
    }
  });
}

test('AES-128-GCM record matches an independent node:crypto computation (RFC 5288 §3 nonce, RFC 5246 §6.2.3.3 AAD)', async () => {
  const { createCipheriv } = await import('node:crypto');
  const suite = cipherSuite(0xc02b)!;
  const key = Uint8Array.from({ length: 16 }, (_, i) => i);
  const iv = Uint8Array.of(0xa, 0xb, 0xc, 0xd);
  const rec = new RecordProtection(nodeDtlsCrypto, suite, key, iv).seal(23, DTLS12, 1, 7, Uint8Array.of(0x68, 0x69));
  const c = createCipheriv('aes-128-gcm', key, Buffer.from('0a0b0c0d0001000000000007', 'hex'));
  c.setAAD(Buffer.from('000100000000000717fefd0002', 'hex'));
  const expect = Buffer.concat([c.update(Buffer.of(0x68, 0x69)), c.final(), c.getAuthTag()]);
  assert.equal(toHex(rec.subarray(21)), expect.toString('hex'));
});

test('several records in one datagram (RFC 6347 §4.1.1): each opens, in order; a truncated tail keeps the ones before', () => {
  const suite = cipherSuite(0xc02b)!;
  const key = new Uint8Array(16).fill(5);
  const iv = new Uint8Array(4).fill(6);
  const tx = new RecordProtection(nodeDtlsCrypto, suite, key, iv);
  const rx = new RecordProtection(nodeDtlsCrypto, suite, key, iv);
  const sealed = [1, 2, 3].map((n) => tx.seal(23, DTLS12, 1, n, new Uint8Array(n * 100).fill(n)));
  const datagram = new Uint8Array(sealed.reduce((s, r) => s + r.length, 0));
  let o = 0;
  for (const r of sealed) {
    datagram.set(r, o);
    o += r.length;
  }
  const recs = decodeRecords(datagram);
  const second = recs[1]!;
  assert.deepEqual([second.header.contentType, second.header.version, second.header.epoch, second.header.length], [23, DTLS12, 1, second.fragment.length]);
  assert.deepEqual(second.headerBytes, datagram.subarray(sealed[0]!.length, sealed[0]!.length + 13));
  assert.deepEqual(second.fragment, datagram.subarray(sealed[0]!.length + 13, sealed[0]!.length + sealed[1]!.length));
  assert.deepEqual(
    recs.map((r) => [r.header.sequence, Array.from(new Set(rx.open(r)))]),
    [
      [1, [1]],
      [2, [2]],
      [3, [3]],
    ],
  );
  const into: ReturnType<typeof decodeRecords> = [];
  assert.throws(() => decodeRecords(datagram.subarray(0, datagram.length - 1), into), (e: unknown) => isParseError(e));
  assert.deepEqual(
    into.map((r) => r.header.sequence),
    [1, 2],
  );
});

test('sealed records do not share bytes: sealing more never changes one already sealed', () => {
  const suite = cipherSuite(0xcca9)!;
  const tx = new RecordProtection(nodeDtlsCrypto, suite, new Uint8Array(32).fill(1), new Uint8Array(12).fill(2));
  for (const size of [1200, 16384]) {
    const first = tx.seal(23, DTLS12, 1, 0, new Uint8Array(size).fill(9));
    const copy = first.slice();
    for (let i = 1; i < 200; i++) tx.seal(23, DTLS12, 1, i, new Uint8Array(size + (i % 7)).fill(i));
    assert.deepEqual(first, copy, `${size} B records`);
  }
});
