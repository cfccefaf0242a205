import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from './clock.js';
import { ShellTimer } from './timer.js';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Counts the setTimeout calls made while `fn` runs (ShellTimer uses the global one). */
async function countingTimeouts(fn: () => Promise<void>): Promise<number> {
  const real = globalThis.setTimeout;
  let n = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    n++;
    return real(...args);
  }) as typeof setTimeout;
  try {
    await fn();
  } finally {
    globalThis.setTimeout = real;
  }
  return n;
}

test('a deadline pushed later 100 times fires once, at the last instant, from a few setTimeouts, not 100', async () => {
  const fired: number[] = [];
  const timer = new ShellTimer(systemClock, (now) => fired.push(now));
  let last = 0;
  const calls = await countingTimeouts(async () => {
    const t0 = systemClock.now();
    for (let i = 0; i < 100; i++) timer.set((last = t0 + 5 + i * 0.2)); // like T3 restarted by each SACK
    await wait(50);
  });
  assert.equal(fired.length, 1);
  assert.ok((fired[0] as number) >= last - 1, `fired at ${fired[0]}, deadline ${last}`);
  // Two when node is on time (the first expiry re-arms once for the last deadline). Under load
  // libuv's cached loop time can lag the clock, so a timeout may expire a little early and re-arm
  // once more; a timer that re-armed on every later deadline would make 100.
  assert.ok(calls <= 5 + 1, `${calls} setTimeout calls (the test's own wait is one)`);
});

test('an earlier deadline replaces the pending one; undefined disarms; cancel leaves nothing armed', async () => {
  const fired: number[] = [];
  const timer = new ShellTimer(systemClock, (now) => fired.push(now));
  const t0 = systemClock.now();
  timer.set(t0 + 500);
  timer.set(t0 + 5);
  await wait(40);
  assert.equal(fired.length, 1);
  assert.ok((fired[0] as number) < t0 + 100);
  timer.set(systemClock.now() + 5);
  timer.set(undefined);
  await wait(30);
  assert.equal(fired.length, 1, 'disarmed');
  timer.set(systemClock.now() + 5);
  timer.cancel();
  assert.equal(process.getActiveResourcesInfo().includes('Timeout'), false);
});
