import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUsageError } from '../core/errors.js';
import { SeededRng } from '../core/rng.js';
import { newTransactionId } from './helpers.js';
import { ClientTransactions, RetransmitSchedule, resolveRetransmitOptions, retransmitTimeline } from './transaction.js';

test('RFC 8489 §6.2.1 default schedule: 7 requests, give up at 39.5 s', () => {
  assert.deepEqual(retransmitTimeline(), { sends: [0, 500, 1500, 3500, 7500, 15500, 31500], timeout: 39500 });
});

test('configurable counts (ICE-style and STUN-server gathering)', () => {
  assert.deepEqual(retransmitTimeline({ rto: 250, maxRequests: 3, lastWaitMultiplier: 2 }), { sends: [0, 250, 750], timeout: 1250 });
  assert.deepEqual(retransmitTimeline({ rto: 500, maxRequests: 6, maxRto: 1600 }), { sends: [0, 500, 1500, 3100, 4700, 6300], timeout: 14300 });
  assert.deepEqual(retransmitTimeline({ maxRequests: 1 }), { sends: [0], timeout: 8000 });
  for (const bad of [{ rto: 0 }, { maxRequests: 0 }, { maxRequests: 1.5 }, { lastWaitMultiplier: -1 }, { rto: 500, maxRto: 100 }]) {
    assert.throws(() => resolveRetransmitOptions(bad), isUsageError, JSON.stringify(bad));
  }
});

test('schedule waits before its deadline, counts requests, and stops', () => {
  const s = new RetransmitSchedule(1000);
  assert.equal(s.deadline, 1500);
  assert.equal(s.onTimeout(1499), 'wait');
  assert.equal(s.onTimeout(1600), 'retransmit'); // late timer: next interval counts from now
  assert.equal(s.requestsSent, 2);
  assert.equal(s.deadline, 2600);
  s.stop();
  assert.equal(s.deadline, undefined);
  assert.equal(s.onTimeout(1e9), 'wait');
});

test('ClientTransactions: retransmits, matches responses by id, times out the rest', () => {
  const rng = new SeededRng(1);
  const t = new ClientTransactions<string>();
  const a = newTransactionId(rng);
  const b = newTransactionId(rng);
  t.start(0, a, Uint8Array.of(1), 'a', { maxRequests: 2, lastWaitMultiplier: 4, rto: 100 });
  t.start(50, b, Uint8Array.of(2), 'b', { maxRequests: 3, rto: 100 });
  assert.equal(t.pollTimeout(), 100);
  assert.deepEqual(t.handleTimeout(100), { retransmit: [{ bytes: Uint8Array.of(1), context: 'a' }], timedOut: [] });
  assert.equal(t.pollTimeout(), 150);
  assert.deepEqual(t.handleTimeout(150).retransmit.map((r) => r.context), ['b']);
  assert.equal(t.take(b), 'b');
  assert.equal(t.take(b), undefined, 'a second response to the same id is stray');
  assert.equal(t.pollTimeout(), 500);
  assert.deepEqual(t.handleTimeout(500), { retransmit: [], timedOut: ['a'] });
  assert.equal(t.size, 0);
  assert.equal(t.pollTimeout(), undefined);
  t.start(0, a, Uint8Array.of(1), 'again');
  assert.deepEqual(t.clear(), ['again']);
});

test('ClientTransactions.cancel: only transactions that sent enough requests; no more retransmissions, a response is still taken, the timeout is silent', () => {
  const rng = new SeededRng(5);
  const t = new ClientTransactions<string>();
  const opts = { rto: 100, maxRequests: 7, lastWaitMultiplier: 4 };
  const a = newTransactionId(rng);
  const b = newTransactionId(rng);
  const c = newTransactionId(rng);
  t.start(0, a, new Uint8Array([1]), 'a', opts);
  t.start(0, b, new Uint8Array([2]), 'b', opts);
  t.start(50, c, new Uint8Array([3]), 'c', opts);
  assert.deepEqual(t.handleTimeout(100).retransmit.map((r) => r.context), ['a', 'b']);
  // a and b sent twice, c once: asking for >= 2 requests leaves c alone; b does not match
  assert.equal(t.cancel(120, (ctx) => ctx !== 'b', 2), 1);
  assert.equal(t.cancel(120, (ctx) => ctx !== 'b', 2), 0, 'cancelled once');
  const later = t.handleTimeout(300);
  assert.deepEqual(later.retransmit.map((r) => r.context), ['b', 'c'], 'a is not retransmitted');
  assert.equal(t.pollTimeout(), 500, "c's next retransmission (a's last wait ends at 520)");
  assert.equal(t.take(a), 'a', 'a response to the cancelled request still matches');
  t.start(400, a, new Uint8Array([1]), 'a2', opts);
  assert.equal(t.cancel(400, (ctx) => ctx === 'a2'), 1, 'minRequests defaults to 1');
  const end = t.handleTimeout(400 + 4 * 100);
  assert.ok(!end.timedOut.includes('a2'), 'the cancelled transaction times out silently');
  assert.equal(t.has(a), false, 'and is gone');
});
