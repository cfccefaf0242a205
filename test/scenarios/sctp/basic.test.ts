import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pair } from './pump.js';

test('both ends connect at once (INIT collision) and exchange a message each way', () => {
  const p = new Pair(1);
  p.connectBoth();
  p.a.send(p.now, 1, 51, new TextEncoder().encode('hello'));
  p.b.send(p.now, 1, 53, Uint8Array.of(1, 2, 3));
  p.drain();
  p.runUntil(() => p.messages(0).length === 1 && p.messages(1).length === 1);
  assert.equal(new TextDecoder().decode(p.messages(1)[0]?.data), 'hello');
  assert.deepEqual([...(p.messages(0)[0]?.data ?? [])], [1, 2, 3]);
  assert.equal(p.messages(0)[0]?.ppid, 53);
});
