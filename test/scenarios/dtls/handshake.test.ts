import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pump, makePair } from './pump.js';
import { utf8, fromUtf8 } from '../../../src/core/bytes/hex.js';

function handshake(seed: number, extra: Parameters<typeof makePair>[1] = {}, faults = {}): Pump {
  const { client, server } = makePair(seed, extra);
  const p = new Pump(client, server, faults, seed);
  client.start(0);
  server.start(0);
  return p;
}

test('clean handshake then application data both ways, then close_notify', () => {
  const p = handshake(1);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000), JSON.stringify(p.events));
  const ev = p.events.a.find((e) => e.type === 'connected');
  assert.equal(ev?.type === 'connected' && ev.cipherSuite, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
  p.a.send(p.now, utf8('hello server'));
  p.b.send(p.now, utf8('hello client'));
  assert.ok(p.runUntil(() => p.events.a.some((e) => e.type === 'data') && p.events.b.some((e) => e.type === 'data')));
  const db = p.events.b.find((e) => e.type === 'data');
  const da = p.events.a.find((e) => e.type === 'data');
  assert.equal(db?.type === 'data' && fromUtf8(db.data), 'hello server');
  assert.equal(da?.type === 'data' && fromUtf8(da.data), 'hello client');
  p.a.close(p.now);
  assert.ok(p.runUntil(() => p.events.b.some((e) => e.type === 'closed')));
  assert.equal(p.b.state, 'closed');
});

for (const suite of [0xc02b, 0xc02c, 0xcca9]) {
  test(`cipher suite 0x${suite.toString(16)} negotiates and carries data`, () => {
    const p = handshake(2, { client: { cipherSuites: [suite] } });
    assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000), JSON.stringify(p.events));
    const ev = p.events.b.find((e) => e.type === 'connected');
    assert.equal(ev?.type === 'connected' && ev.cipherSuiteId, suite);
    p.a.send(p.now, new Uint8Array(1000).fill(7));
    assert.ok(p.runUntil(() => p.events.b.some((e) => e.type === 'data' && e.data.length === 1000 && e.data[999] === 7)));
  });
}
