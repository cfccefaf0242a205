import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Congestion } from './congestion.js';
import { Rto } from './rto.js';
import { tsnLe } from './tsn.js';

test('RTO follows RFC 6298 with bounds and a capped backoff', () => {
  const r = new Rto(500, 400, 60000, 3000);
  assert.equal(r.value, 500);
  r.measure(100); // srtt 100, rttvar 50 -> 300, clamped to 400
  assert.equal(r.value, 400);
  r.measure(1000); // rttvar 0.75*50+0.25*900=262.5, srtt 212.5 -> 1262.5
  assert.equal(r.value, 1262.5);
  assert.equal(r.timer(1), 2525);
  assert.equal(r.timer(5), 3000, 'backoff capped at 3 s');
});

test('congestion: 10 MTU start, slow start growth, halving on fast retransmit, 1 MTU after T3', () => {
  const c = new Congestion(1200, 10, 1 << 20);
  assert.equal(c.cwnd, 12000);
  c.onCumulativeAck(5000, 12000, 10, tsnLe);
  assert.equal(c.cwnd, 13200, 'slow start adds at most one MTU per ack');
  c.onFastRetransmit(50);
  assert.equal(c.cwnd, 6600);
  c.onCumulativeAck(5000, 6600, 20, tsnLe);
  assert.equal(c.cwnd, 6600, 'no growth in fast recovery');
  c.onCumulativeAck(1200, 6600, 50, tsnLe);
  assert.equal(c.inFastRecovery, false);
  c.onT3();
  assert.equal(c.cwnd, 1200);
  assert.equal(c.ssthresh, 4800);
});
