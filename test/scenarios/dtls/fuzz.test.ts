/**
 * Remote bad input never escapes handleInput: mutated copies of a real handshake's datagrams, fed to
 * fresh endpoints at every stage, give drops, counters or a failed state, never an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Pump, makePair } from './pump.js';

function recordedHandshake(): { toServer: Uint8Array[]; toClient: Uint8Array[] } {
  const { client, server } = makePair(41);
  const p = new Pump(client, server);
  client.start(0);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000));
  return { toServer: p.sent.a, toClient: p.sent.b };
}

test('property: mutated handshake datagrams never throw out of handleInput', () => {
  const rec = recordedHandshake();
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.nat({ max: 40 }),
      (toServer, which, muts, cut) => {
        const { client, server } = makePair(42);
        const target = toServer ? server : client;
        if (!toServer) client.start(0);
        const stream = toServer ? rec.toServer : rec.toClient;
        const k = which % stream.length;
        for (let i = 0; i < stream.length; i++) {
          let d = stream[i] as Uint8Array;
          if (i === k) {
            d = d.slice(0, Math.max(1, d.length - cut));
            for (const [pos, v] of muts) d[pos % d.length] = v;
          }
          target.handleInput(i, d);
          while (target.pollTransmit() !== undefined);
          while (target.pollEvent() !== undefined);
          target.handleTimeout(i + 100_000);
        }
        assert.ok(['new', 'handshaking', 'verifying', 'connected', 'failed', 'closed'].includes(target.state));
      },
    ),
    { numRuns: 300 },
  );
});
