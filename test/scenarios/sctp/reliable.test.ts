import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../../../src/core/rng.js';
import { Pair } from './pump.js';

function payload(total: number, seed: number): Uint8Array {
  return new SeededRng(seed).bytes(total);
}

test('16 MiB reliable ordered arrives byte-exact under 5% loss, reordering and duplication', () => {
  const total = 16 * 1024 * 1024;
  const msg = 64 * 1024;
  const src = payload(total, 7);
  const p = new Pair(42, [{ maxMessageSize: 262144 }, { maxMessageSize: 262144 }], { loss: 0.05, duplicate: 0.02, reorder: 0.05, delay: 10 });
  p.connectBoth();
  let sent = 0;
  const pushMore = (): void => {
    while (sent < total && p.a.bufferedAmount(1) < 1024 * 1024) {
      p.a.send(p.now, 1, 53, src.subarray(sent, sent + msg));
      sent += msg;
    }
  };
  p.a.setBufferedAmountLowThreshold(1, 512 * 1024);
  const got = new Uint8Array(total);
  let at = 0;
  p.onEvent = (side, e) => {
    if (side === 0 && e.type === 'buffered-amount-low') pushMore();
    if (side === 1 && e.type === 'message') {
      assert.equal(e.data.length, msg);
      got.set(e.data, at);
      at += e.data.length;
    }
  };
  pushMore();
  p.drain();
  p.runUntil(() => at === total, 600_000);
  assert.ok(Buffer.from(got).equals(Buffer.from(src)), 'byte-exact');
  const s = p.a.stats;
  assert.ok((s.retransmissions ?? 0) > 0, 'loss was recovered by retransmissions');
  p.runUntil(() => p.a.stats.outstanding === 0);
  assert.equal(p.b.stats.recvBytes, 0);
});
