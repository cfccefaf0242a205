import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { utf8 } from '../core/bytes/hex.js';
import { SeededRng } from '../core/rng.js';
import type { Addr, Datagram, Millis } from '../core/types.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { FakeTurnServer } from '../../test/turn/fake-turn-server.js';
import { TurnClient } from './client.js';
import type { TurnClientOptions, TurnEvent } from './options.js';

const SERVER: Addr = { address: '198.51.100.1', port: 3478 };
const RELAY: Addr = { address: '198.51.100.1', port: 50000 };
const LOCAL: Addr = { address: '192.0.2.10', port: 40000 };
const PEER_A: Addr = { address: '203.0.113.5', port: 1111 };
const PEER_B: Addr = { address: '203.0.113.6', port: 2222 };

/** Client + fake server on a virtual clock; `drop` decides which client transmits are lost. */
function harness(opts: Partial<TurnClientOptions> = {}, password = 'pass') {
  const server = new FakeTurnServer(SERVER, RELAY, 'user', 'pass', opts.transport !== undefined && opts.transport !== 'udp');
  const client = new TurnClient({ server: SERVER, local: LOCAL, username: 'user', password, rng: new SeededRng(1), crypto: nodeCrypto, ...opts });
  const h = {
    now: 0 as Millis,
    server,
    client,
    events: [] as TurnEvent[],
    sent: [] as Array<{ at: Millis; dg: Datagram }>,
    drop: (_dg: Datagram): boolean => false,
    pump(): void {
      for (let dg = client.pollTransmit(); dg; dg = client.pollTransmit()) {
        h.sent.push({ at: h.now, dg });
        if (h.drop(dg)) continue;
        for (const r of server.handle(h.now, dg)) client.handleDatagram(h.now, r);
      }
      for (let ev = client.pollEvent(); ev; ev = client.pollEvent()) h.events.push(ev);
    },
    advance(to: Millis): void {
      for (let t = client.pollTimeout(); t !== undefined && t <= to; t = client.pollTimeout()) {
        h.now = Math.max(h.now, t);
        client.handleTimeout(h.now);
        h.pump();
      }
      h.now = to;
    },
    deliverFromPeer(peer: Addr, text: string): void {
      for (const dg of server.fromPeer(h.now, peer, text)) client.handleDatagram(h.now, dg);
      h.pump();
    },
    of<T extends TurnEvent['type']>(type: T): Array<Extract<TurnEvent, { type: T }>> {
      return h.events.filter((e): e is Extract<TurnEvent, { type: T }> => e.type === type);
    },
  };
  return h;
}

test('Allocate: 401 gives REALM/NONCE, the authenticated retry allocates', () => {
  const h = harness({ software: 'rtcpeer' });
  h.client.allocate(h.now);
  h.pump();
  assert.deepEqual(h.server.requests, ['3', '3+auth']);
  assert.equal(h.client.state, 'allocated');
  assert.deepEqual(h.of('allocated'), [{ type: 'allocated', relayed: RELAY, mapped: LOCAL, lifetimeS: 600 }]);
  assert.deepEqual(h.of('state').map((e) => e.state), ['allocating', 'allocated']);
  assert.deepEqual(h.client.relayed, RELAY);
});

test('a two-hour run: allocation, permission and channel stay alive through refreshes; data flows both ways', () => {
  const h = harness();
  h.client.createPermission(h.now, PEER_A); // asked before allocation: sent once allocated
  h.client.allocate(h.now);
  h.pump();
  const ch = h.client.bindChannel(h.now, PEER_B);
  h.pump();
  assert.equal(ch, 0x4000);
  assert.deepEqual(h.of('permission'), [{ type: 'permission', peerIp: PEER_A.address, ok: true }]);
  assert.deepEqual(h.of('channel'), [{ type: 'channel', peer: PEER_B, channel: 0x4000, ok: true }]);
  for (let t = 60_000; t <= 7_200_000; t += 60_000) {
    h.advance(t);
    assert.ok(h.client.send(h.now, PEER_A, utf8(`a${t}`)) && h.client.send(h.now, PEER_B, utf8(`b${t}`)));
    h.pump();
  }
  assert.equal(h.server.delivered.length, 240, 'every send reached the server while allowed');
  assert.ok(h.server.delivered.every((d) => (d.peer.address === PEER_A.address ? d.via === 'send' : d.via === 'channel')));
  h.deliverFromPeer(PEER_A, 'hello A');
  h.deliverFromPeer(PEER_B, 'hello B');
  assert.deepEqual(h.of('data').map((e) => [e.peer, new TextDecoder().decode(e.data)]), [[PEER_A, 'hello A'], [PEER_B, 'hello B']]);
  const refreshes = h.server.requests.filter((r) => r === '4+auth').length;
  assert.ok(refreshes >= 13 && refreshes <= 14, `refreshes every 540 s: ${refreshes}`);
  assert.equal(h.client.state, 'allocated');
});

test('438 Stale Nonce: the request is retried with the new nonce', () => {
  const h = harness();
  h.client.allocate(h.now);
  h.pump();
  h.server.staleNext = true;
  h.advance(600_000);
  assert.equal(h.client.state, 'allocated');
  assert.deepEqual(h.server.requests.slice(2), ['4+auth', '4+auth']);
  assert.equal(h.server.nonce, 'nonce-2');
});

test('wrong password fails with 401 and the server reason; quota errors fail with their code', () => {
  const bad = harness({}, 'wrong');
  bad.client.allocate(bad.now);
  bad.pump();
  assert.equal(bad.client.state, 'failed');
  assert.deepEqual(bad.of('failed'), [{ type: 'failed', code: 401, reason: 'Unauthorized' }]);
  assert.deepEqual(bad.server.requests, ['3', '3+auth'], 'no endless retry');

  const full = harness();
  full.server.allocateError = 486;
  full.client.allocate(full.now);
  full.pump();
  assert.deepEqual(full.of('failed'), [{ type: 'failed', code: 486, reason: 'Allocation Quota Reached' }]);
  assert.equal(full.client.pollTimeout(), undefined, 'nothing left armed');
});

test('UDP: lost requests are retransmitted (RFC 8489 schedule); an unreachable server fails at 39.5 s', () => {
  const lossy = harness();
  let n = 0;
  lossy.drop = () => n++ < 2;
  lossy.client.allocate(lossy.now);
  lossy.pump();
  lossy.advance(5000);
  assert.equal(lossy.client.state, 'allocated');
  assert.deepEqual(lossy.sent.slice(0, 3).map((s) => s.at), [0, 500, 1500]);

  const dead = harness();
  dead.drop = () => true;
  dead.client.allocate(dead.now);
  dead.pump();
  dead.advance(39_499);
  assert.equal(dead.client.state, 'allocating');
  dead.advance(39_500);
  assert.deepEqual(dead.sent.map((s) => s.at), [0, 500, 1500, 3500, 7500, 15500, 31500]);
  assert.deepEqual(dead.of('failed'), [{ type: 'failed', code: undefined, reason: 'no response from the TURN server' }]);
});

test('TCP: no retransmissions, Ti = 39.5 s, ChannelData padded to 4 bytes', () => {
  const dead = harness({ transport: 'tcp' });
  dead.drop = () => true;
  dead.client.allocate(dead.now);
  dead.pump();
  dead.advance(40_000);
  assert.equal(dead.sent.length, 1);
  assert.equal(dead.client.state, 'failed');

  const h = harness({ transport: 'tcp' });
  h.client.allocate(h.now);
  h.pump();
  h.client.bindChannel(h.now, PEER_B);
  h.pump();
  h.client.send(h.now, PEER_B, utf8('abcde'));
  const last = h.client.pollTransmit() as Datagram;
  assert.deepEqual([...last.data], [0x40, 0x00, 0x00, 0x05, 97, 98, 99, 100, 101, 0, 0, 0]);
});

test('close: Refresh LIFETIME=0 deallocates, then closed; failed permission and channel are reported', () => {
  const h = harness();
  h.client.allocate(h.now);
  h.pump();
  h.client.close(h.now);
  h.pump();
  assert.equal(h.client.state, 'closed');
  assert.equal(h.server.allocationExpires, undefined);
  assert.equal(h.client.send(h.now, PEER_A, utf8('x')), false);
  assert.equal(h.client.pollTimeout(), undefined);

  const g = harness();
  g.client.allocate(g.now);
  g.pump();
  g.server.allocationExpires = -1; // the server lost the allocation: 437 to everything
  g.client.createPermission(g.now, PEER_A);
  g.client.bindChannel(g.now, PEER_B);
  g.pump();
  assert.deepEqual(g.of('permission'), [{ type: 'permission', peerIp: PEER_A.address, ok: false }]);
  assert.deepEqual(g.of('channel'), [{ type: 'channel', peer: PEER_B, channel: 0x4000, ok: false }]);
  g.advance(600_000);
  assert.equal(g.client.state, 'failed', 'the refresh got 437');
});

test('property: any bytes from anywhere are dropped or handled, never thrown', () => {
  const h = harness();
  h.client.allocate(h.now);
  h.pump();
  h.client.bindChannel(h.now, PEER_B);
  h.pump();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (data, fromServer) => {
      h.client.handleDatagram(h.now, { from: fromServer ? SERVER : PEER_A, to: LOCAL, data });
      h.pump();
    }),
    { numRuns: 2000 },
  );
  assert.equal(h.client.state, 'allocated');
  assert.ok(h.client.stats.notFromServer > 0 && h.client.stats.malformed > 0);
});
