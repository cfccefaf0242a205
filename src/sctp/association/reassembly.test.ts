import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DataChunk } from '../chunks/index.js';
import { Reassembly, type InboundMessage } from './reassembly.js';

function frag(tsn: number, o: Partial<DataChunk> & { data: number[] }): DataChunk {
  return {
    kind: 'data', tsn, streamId: o.streamId ?? 1, ssn: o.ssn ?? 0, ppid: o.ppid ?? 53, unordered: o.unordered ?? false,
    beginning: o.beginning ?? false, ending: o.ending ?? false, immediate: false, userData: Uint8Array.from(o.data),
  };
}

test('ordered messages are delivered by SSN, whole, whatever the arrival order (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }), fc.nat(), (counts, seed) => {
      const chunks: DataChunk[] = [];
      let tsn = 100;
      counts.forEach((n, ssn) => {
        for (let k = 0; k < n; k++) chunks.push(frag(tsn++, { ssn, beginning: k === 0, ending: k === n - 1, data: [ssn, k] }));
      });
      // deterministic shuffle
      let s = seed;
      for (let i = chunks.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) >>> 0;
        const j = s % (i + 1);
        [chunks[i], chunks[j]] = [chunks[j] as DataChunk, chunks[i] as DataChunk];
      }
      const out: InboundMessage[] = [];
      const r = new Reassembly((m) => out.push(m));
      for (const c of chunks) r.add(c);
      assert.deepEqual(out.map((m) => [...m.data]), counts.map((n, ssn) => Array.from({ length: n }, (_, k) => [ssn, k]).flat()));
      assert.equal(r.bytes, 0);
    }),
  );
});

test('unordered fragments assemble only from a consecutive B..E run (pion/sctp#71)', () => {
  const out: InboundMessage[] = [];
  const r = new Reassembly((m) => out.push(m));
  // message A = 10,11,12 ; message B = 13,14 ; 11 missing: B completes alone, A waits
  r.add(frag(10, { unordered: true, beginning: true, data: [1] }));
  r.add(frag(12, { unordered: true, ending: true, data: [3] }));
  r.add(frag(14, { unordered: true, ending: true, data: [5] }));
  r.add(frag(13, { unordered: true, beginning: true, data: [4] }));
  assert.deepEqual(out.map((m) => [...m.data]), [[4, 5]]);
  r.add(frag(11, { unordered: true, data: [2] }));
  assert.deepEqual(out.map((m) => [...m.data]), [[4, 5], [1, 2, 3]]);
  assert.equal(r.fragmentCount, 0);
});

test('FORWARD-TSN purges unordered and ordered fragments and skips SSNs (pion/sctp#106)', () => {
  const out: InboundMessage[] = [];
  const r = new Reassembly((m) => out.push(m));
  r.add(frag(1, { unordered: true, beginning: true, data: [1, 1] }));
  r.add(frag(3, { ssn: 0, beginning: true, data: [2] }));
  r.add(frag(6, { ssn: 1, beginning: true, ending: true, data: [9] })); // waits for SSN 0
  assert.ok(r.bytes > 0);
  r.forward(5, [{ streamId: 1, ssn: 0 }]);
  assert.equal(r.fragmentCount, 0);
  assert.deepEqual(out.map((m) => [...m.data]), [[9]]);
  assert.equal(r.bytes, 0);
});

test('a stream reset restarts the expected SSN at 0', () => {
  const out: InboundMessage[] = [];
  const r = new Reassembly((m) => out.push(m));
  r.add(frag(1, { ssn: 0, beginning: true, ending: true, data: [1] }));
  r.resetStream(1);
  assert.equal(r.streamCount, 0);
  r.add(frag(2, { ssn: 0, beginning: true, ending: true, data: [2] }));
  assert.equal(out.length, 2);
});

test('FORWARD-TSN delivers complete ordered messages that only waited for skipped SSNs, in SSN order', () => {
  const out: InboundMessage[] = [];
  const r = new Reassembly((m) => out.push(m));
  // SSN 0 lost and abandoned, SSN 1 and 3 complete, SSN 2 abandoned, SSN 4 complete, SSN 5 still due
  r.add(frag(14, { ssn: 4, beginning: true, ending: true, data: [4] }));
  r.add(frag(11, { ssn: 1, beginning: true, ending: true, data: [1] }));
  r.add(frag(13, { ssn: 3, beginning: true, ending: true, data: [3] }));
  r.forward(12, [{ streamId: 1, ssn: 2 }]);
  assert.deepEqual(out.map((m) => [...m.data]), [[1], [3], [4]]);
  assert.equal(r.bytes, 0);
  r.add(frag(15, { ssn: 5, beginning: true, ending: true, data: [5] }));
  assert.deepEqual(out.map((m) => m.data[0]), [1, 3, 4, 5]);
});
