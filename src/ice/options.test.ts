// Local ICE credentials: valid ice-chars of RFC 8839 lengths, and drawn in one rng.bytes() call (a
// u32() per character made 32 small arrays per agent with the crypto Rng: issue 6, setup garbage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../core/rng.js';
import type { Rng } from '../core/rng.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { checkCredentials, randomCredentials, resolveIceAgentOptions } from './options.js';
import { IceAgent } from './ice-agent.js';

function counting(seed: number): { rng: Rng; calls: { u32: number; bytes: number } } {
  const inner = new SeededRng(seed);
  const calls = { u32: 0, bytes: 0 };
  const rng: Rng = {
    u32: () => (calls.u32++, inner.u32()),
    bytes: (n) => (calls.bytes++, inner.bytes(n)),
  };
  return { rng, calls };
}

test('random credentials: 8 and 24 ice-chars, a 64-bit tie-breaker, one rng draw', () => {
  const { rng, calls } = counting(1);
  const o = resolveIceAgentOptions({ rng, crypto: nodeCrypto });
  assert.equal(o.localUfrag.length, 8);
  assert.equal(o.localPwd.length, 24);
  checkCredentials(o.localUfrag, o.localPwd);
  assert.ok(o.tieBreaker >= 0n && o.tieBreaker < 1n << 64n);
  assert.deepEqual(calls, { u32: 0, bytes: 1 });
});

test('random credentials differ between draws and use the whole alphabet', () => {
  const rng = new SeededRng(2);
  const seen = new Set<string>();
  const chars = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const c = randomCredentials(rng);
    seen.add(c.ufrag + c.pwd);
    for (const ch of c.ufrag + c.pwd) chars.add(ch);
  }
  assert.equal(seen.size, 200);
  assert.equal(chars.size, 64);
});

test('given credentials are kept and draw nothing; an ICE restart draws once', () => {
  const { rng, calls } = counting(3);
  const agent = new IceAgent({ rng, crypto: nodeCrypto, localUfrag: 'abcd', localPwd: 'abcdefghijklmnopqrstuv', tieBreaker: 5n });
  assert.equal(agent.localUfrag, 'abcd');
  assert.deepEqual(calls, { u32: 0, bytes: 0 });
  agent.setRemoteCredentials(0, 'wxyz', 'abcdefghijklmnopqrstuv');
  agent.restart(0);
  assert.notEqual(agent.localUfrag, 'abcd');
  checkCredentials(agent.localUfrag, agent.localPwd);
  assert.deepEqual(calls, { u32: 0, bytes: 1 });
});
