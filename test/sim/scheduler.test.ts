import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SeededRng } from '../../src/core/rng.js';
import { Scheduler } from './scheduler.js';

test('scheduler pops by time, ties in insertion order', () => {
  const s = new Scheduler();
  const order: string[] = [];
  s.at(5, () => order.push('c'));
  s.at(1, () => order.push('a'));
  s.at(5, () => order.push('d'));
  s.at(2, () => order.push('b'));
  s.at(5, () => order.push('e'));
  for (let e = s.pop(); e; e = s.pop()) e.run();
  assert.deepEqual(order, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(s.size, 0);
});

test('scheduler rejects non-finite times', () => {
  assert.throws(() => new Scheduler().at(Infinity, () => undefined), RangeError);
  assert.throws(() => new Scheduler().at(NaN, () => undefined), RangeError);
});

test('scheduler order equals a stable sort by time (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
      const s = new Scheduler();
      times.forEach((t, i) => s.at(t, () => i));
      const got: number[] = [];
      for (let e = s.pop(); e; e = s.pop()) got.push(e.seq);
      const want = times.map((t, i) => ({ t, i })).sort((x, y) => x.t - y.t || x.i - y.i).map((x) => x.i);
      assert.deepEqual(got, want);
    }),
  );
});

test('scheduler interleaved push/pop keeps the heap order', () => {
  const rng = new SeededRng(3);
  const s = new Scheduler();
  let last = -1;
  let clock = 0;
  for (let i = 0; i < 5000; i++) {
    if (rng.u32() % 3 !== 0) s.at(clock + (rng.u32() % 100), () => undefined);
    else {
      const e = s.pop();
      if (e) {
        assert.ok(e.time >= last, `popped ${e.time} after ${last}`);
        last = e.time;
        clock = e.time;
      }
    }
  }
});
