import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HandshakeReassembler } from './reassembly.js';
import type { HandshakeFragment } from './header.js';

function cut(msgType: number, seq: number, body: Uint8Array, bounds: number[]): HandshakeFragment[] {
  const pts = [0, ...bounds.map((b) => b % (body.length + 1)).sort((a, b) => a - b), body.length];
  const out: HandshakeFragment[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i] as number;
    const b = pts[i + 1] as number;
    out.push({ msgType, length: body.length, messageSeq: seq, fragmentOffset: a, body: body.subarray(a, b) });
  }
  return out;
}

test('property: any fragment pattern (out of order, overlapping, duplicated, re-cut retransmits) reassembles in order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ minLength: 0, maxLength: 600 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 2, maxLength: 3 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
      (bodies, cuttings, shuffle) => {
        // Two or three "transmissions" of the whole flight, each cut at other boundaries, all mixed.
        const frags: HandshakeFragment[] = [];
        for (const c of cuttings) bodies.forEach((b, seq) => frags.push(...cut(seq + 1, seq, b, c)));
        for (let i = frags.length - 1; i > 0; i--) {
          const j = (shuffle[i % shuffle.length] as number) % (i + 1);
          [frags[i], frags[j]] = [frags[j] as HandshakeFragment, frags[i] as HandshakeFragment];
        }
        const r = new HandshakeReassembler();
        const got: Array<{ t: number; s: number; b: number[] }> = [];
        for (const f of frags) {
          r.push(f);
          for (let m = r.pop(); m; m = r.pop()) got.push({ t: m.msgType, s: m.messageSeq, b: Array.from(m.body) });
        }
        assert.deepEqual(got, bodies.map((b, seq) => ({ t: seq + 1, s: seq, b: Array.from(b) })));
        assert.equal(r.bufferedBytes, 0);
      },
    ),
    { numRuns: 300 },
  );
});

test('old messages are reported, inconsistent and out-of-bound fragments dropped, memory bounded', () => {
  const r = new HandshakeReassembler({ maxMessageLength: 1000, maxAhead: 2, maxBufferedBytes: 1500 });
  const f = (seq: number, len: number, off: number, n: number, t = 1): HandshakeFragment => ({ msgType: t, length: len, messageSeq: seq, fragmentOffset: off, body: new Uint8Array(n) });
  assert.equal(r.push(f(0, 10, 0, 10)), 'accepted');
  assert.equal(r.pop()?.messageSeq, 0);
  assert.equal(r.push(f(0, 10, 0, 10)), 'old');
  assert.equal(r.push(f(1, 2000, 0, 10)), 'dropped'); // longer than maxMessageLength
  assert.equal(r.push(f(9, 10, 0, 10)), 'dropped'); // beyond maxAhead
  assert.equal(r.push(f(1, 900, 0, 10)), 'accepted');
  assert.equal(r.push(f(1, 800, 0, 10)), 'dropped'); // other length for the same message
  assert.equal(r.push(f(1, 900, 0, 10, 2)), 'dropped'); // other type
  assert.equal(r.push(f(2, 900, 0, 10)), 'dropped'); // would exceed maxBufferedBytes
  assert.equal(r.bufferedBytes, 900);
  assert.equal(r.pop(), undefined);
});
