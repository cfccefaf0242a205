import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Deadlines, minDeadline } from './deadlines.js';
import { SeededRng, randomInt, randomIceString } from './rng.js';
import { Queue } from './event-queue.js';
import { ParseError, UsageError, isParseError, isProtocolError, isUsageError } from './errors.js';
import { createLogger, silentLogger, type LogRecord } from './logger.js';

test('deadlines: earliest and due keys in time order', () => {
  const d = new Deadlines<'a' | 'b' | 'c'>();
  d.arm('a', 30);
  d.arm('b', 10);
  d.arm('c', 20);
  assert.equal(d.earliest(), 10);
  assert.deepEqual(d.takeDue(25), ['b', 'c']);
  assert.equal(d.earliest(), 30);
  d.disarm('a');
  assert.equal(d.earliest(), undefined);
  assert.equal(minDeadline(undefined, 5, 3), 3);
});

test('seeded rng is deterministic and spread', () => {
  const a = new SeededRng(42);
  const b = new SeededRng(42);
  const xs = Array.from({ length: 1000 }, () => a.u32());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.u32()));
  assert.equal(new Set(xs).size, 1000);
  const r = new SeededRng(1);
  for (let i = 0; i < 1000; i++) {
    const v = randomInt(r, 3, 7);
    assert.ok(v >= 3 && v <= 7);
  }
  assert.match(randomIceString(r, 24), /^[A-Za-z0-9+/]{24}$/);
});

test('queue keeps FIFO order across compaction', () => {
  const q = new Queue<number>();
  for (let i = 0; i < 5000; i++) q.push(i);
  for (let i = 0; i < 3000; i++) assert.equal(q.shift(), i);
  q.push(5000);
  assert.equal(q.length, 2001);
  for (let i = 3000; i <= 5000; i++) assert.equal(q.shift(), i);
  assert.equal(q.shift(), undefined);
  assert.equal(q.length, 0);
  q.push(1);
  q.push(2);
  q.clear();
  assert.equal(q.length, 0);
  assert.equal(q.shift(), undefined);
});

test('queue: interleaved push/shift bursts behave as an array FIFO (kept and dropped arrays alike)', () => {
  const q = new Queue<number>();
  const model: number[] = [];
  const rng = new SeededRng(9);
  let next = 0;
  for (let round = 0; round < 200; round++) {
    const pushes = rng.u32() % (round % 20 === 0 ? 3000 : 40);
    for (let i = 0; i < pushes; i++) {
      q.push(next);
      model.push(next++);
    }
    const shifts = rng.u32() % (pushes + 20);
    for (let i = 0; i < shifts; i++) assert.equal(q.shift(), model.shift());
    assert.equal(q.length, model.length);
    assert.equal(q.peek(), model[0]);
  }
  while (model.length > 0) assert.equal(q.shift(), model.shift());
  assert.equal(q.shift(), undefined);
});

test('error guards use the brand, not duck typing', () => {
  const p = new ParseError('stun.truncated', 'short', 3);
  assert.ok(isProtocolError(p) && isParseError(p) && !isUsageError(p));
  assert.ok(isUsageError(new UsageError('api.state', 'closed')));
  assert.ok(!isProtocolError(new Error('x')) && !isProtocolError(undefined) && !isProtocolError({ code: 'x' }));
});

test('logger is silent by default and structured when asked', () => {
  assert.equal(silentLogger.enabled('error'), false);
  const seen: LogRecord[] = [];
  const log = createLogger((r) => seen.push(r), 'debug').child({ layer: 'ice' });
  log.log('trace', 'dropped');
  log.log('warn', 'check failed', { code: 401 });
  assert.deepEqual(seen, [{ level: 'warn', msg: 'check failed', fields: { layer: 'ice', code: 401 } }]);
});

test('deadlines: disarmed keys stay out of earliest, takeDue and size, with few or many keys', () => {
  const d = new Deadlines<string>();
  d.arm('sack', 5);
  d.disarm('sack');
  d.disarm('sack');
  assert.equal(d.size, 0);
  assert.equal(d.isArmed('sack'), false);
  assert.equal(d.get('sack'), undefined);
  assert.equal(d.earliest(), undefined);
  assert.deepEqual(d.takeDue(100), []);
  d.armIfIdle('sack', 7);
  d.armIfIdle('sack', 3);
  assert.equal(d.get('sack'), 7);
  for (let i = 0; i < 40; i++) d.arm(`k${i}`, 100 + i);
  for (let i = 0; i < 40; i += 2) d.disarm(`k${i}`);
  assert.equal(d.size, 21);
  assert.equal(d.earliest(), 7);
  assert.deepEqual(d.takeDue(103), ['sack', 'k1', 'k3']);
  assert.equal(d.size, 18);
  assert.equal(d.earliest(), 105);
  d.clear();
  assert.equal(d.size, 0);
  d.arm('sack', 1);
  assert.equal(d.size, 1);
});

test('minDeadline: the smallest defined instant of two or three, undefined when none', () => {
  const v = [undefined, 0, 3, 5.5, 10];
  for (const a of v) {
    for (const b of v) {
      for (const c of v) {
        const defined = [a, b, c].filter((x): x is number => x !== undefined);
        assert.equal(minDeadline(a, b, c), defined.length ? Math.min(...defined) : undefined, `${a} ${b} ${c}`);
      }
      const two = [a, b].filter((x): x is number => x !== undefined);
      assert.equal(minDeadline(a, b), two.length ? Math.min(...two) : undefined);
    }
  }
});

test('property: Deadlines agrees with a plain model under any mix of arm, armIfIdle, disarm and takeDue', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('arm', 'idle', 'disarm', 'take'), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 300 }),
      (ops) => {
        const d = new Deadlines<string>();
        const model = new Map<string, number>();
        for (const [op, k, t] of ops) {
          const key = `k${k}`;
          if (op === 'arm') {
            d.arm(key, t);
            model.set(key, t);
          } else if (op === 'idle') {
            d.armIfIdle(key, t);
            if (!model.has(key)) model.set(key, t);
          } else if (op === 'disarm') {
            d.disarm(key);
            model.delete(key);
          } else {
            const want = [...model].filter(([, at]) => at <= t).sort((a, b) => a[1] - b[1]);
            const got = d.takeDue(t);
            assert.deepEqual(got.map((x) => model.get(x)), want.map(([, at]) => at), 'due instants, earliest first');
            assert.deepEqual([...got].sort(), want.map(([x]) => x).sort());
            for (const [x] of want) model.delete(x);
          }
          assert.equal(d.size, model.size);
          assert.equal(d.earliest(), model.size === 0 ? undefined : Math.min(...model.values()));
          assert.equal(d.get(key), model.get(key));
        }
      },
    ),
  );
});
