import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Addr, Datagram } from '../core/types.js';
import { StunMethod, attr, encodeStun, stunRequest, successResponse } from '../stun/index.js';
import fc from 'fast-check';
import { MuxRouter } from './udp-mux-router.js';

const L: Addr = { address: '127.0.0.1', port: 4000 };
const R1: Addr = { address: '127.0.0.1', port: 5001 };
const R2: Addr = { address: '127.0.0.1', port: 5002 };
const R3: Addr = { address: '::1', port: 5003 };
const dtls = (n: number): Uint8Array => Uint8Array.of(22, 254, 253, 0, n);
const txid = (n: number): Uint8Array => new Uint8Array(12).fill(n);
const request = (username: string | undefined, id = 1): Uint8Array =>
  encodeStun(stunRequest(StunMethod.Binding, txid(id), username === undefined ? [] : [attr('username', username)]), { fingerprint: true });
const response = (id: number): Uint8Array => encodeStun(successResponse({ method: StunMethod.Binding, transactionId: txid(id) }, [attr('xorMappedAddress', L)]));
const incoming = (from: Addr, data: Uint8Array): Datagram => ({ from, to: L, data });
const outgoing = (to: Addr, data: Uint8Array): Datagram => ({ from: L, to, data });

function twoConnections() {
  const conflicts: string[] = [];
  const router = new MuxRouter<{ name: string }>({ onConflict: (_ep, remote) => conflicts.push(remote) });
  const a = { name: 'a' };
  const b = { name: 'b' };
  router.add(a);
  router.add(b);
  router.setUfrag(a, 'ufragA');
  router.setUfrag(b, 'ufragB');
  return { router, a, b, conflicts };
}

test('a Binding request goes to the connection named by its USERNAME, which then owns the source address', () => {
  const { router, a, b } = twoConnections();
  assert.equal(router.route(incoming(R1, dtls(1))), undefined, 'nothing known from R1 yet');
  assert.equal(router.route(incoming(R1, request('ufragB:peer1'))), b);
  assert.equal(router.route(incoming(R2, request('ufragA:peer2'))), a);
  assert.equal(router.route(incoming(R1, dtls(2))), b, 'DTLS from R1 follows the request');
  assert.equal(router.route(incoming(R2, dtls(3))), a);
  assert.equal(router.route(incoming(R1, request('ufragA:peer1'))), a, 'a request names its connection even from an owned address');
  assert.equal(router.route(incoming(R1, dtls(4))), b, 'but the address keeps its first owner');
  assert.deepEqual(router.stats, { byAddress: 3, byUfrag: 3, byTransaction: 0, dropped: 1, conflicts: 1 });
});

test('unknown ufrags, requests without USERNAME and malformed STUN are dropped and counted', () => {
  const { router, a } = twoConnections();
  assert.equal(router.route(incoming(R1, request('nobody:peer'))), undefined);
  assert.equal(router.route(incoming(R1, request(undefined))), undefined);
  assert.equal(router.route(incoming(R1, request('ufragA'))), undefined, 'no colon: not an ICE username');
  const broken = request('ufragA:peer');
  broken[22] = 0xff; // USERNAME's length now runs past the end of the message
  assert.equal(router.route(incoming(R1, broken)), undefined);
  assert.equal(router.route(incoming(R1, Uint8Array.of(200, 1, 2))), undefined);
  assert.equal(router.stats.dropped, 5);
  assert.equal(router.routeCount, 0);
  // USERNAME found after other attributes (odd lengths padded), value up to the colon only.
  const later = encodeStun(stunRequest(StunMethod.Binding, txid(2), [attr('priority', 1), attr('software', 'x'), attr('username', 'ufragA:p:q')]), { fingerprint: true });
  assert.equal(router.route(incoming(R1, later)), a);
  assert.equal(router.stats.byUfrag, 1);
});

test('non-STUN sends claim the address pair; STUN requests sent are answered by transaction id', () => {
  const { router, a, b } = twoConnections();
  router.sent(a, outgoing(R1, dtls(1)));
  router.sent(a, outgoing(R3, dtls(1)));
  assert.equal(router.route(incoming(R1, dtls(2))), a);
  assert.equal(router.route({ from: R3, to: { address: '::1', port: 4000 }, data: dtls(2) }), undefined, 'another local socket is another pair');
  // Both ask the same STUN server (same remote address): each response reaches the one that asked.
  router.sent(a, outgoing(R2, request(undefined, 7)));
  router.sent(b, outgoing(R2, request(undefined, 8)));
  assert.equal(router.route(incoming(R2, response(8))), b);
  assert.equal(router.route(incoming(R2, response(7))), a);
  assert.equal(router.route(incoming(R2, response(7))), undefined, 'a transaction is answered once');
  assert.equal(router.routeCount, 2, 'STUN requests claim no address');
});

test('a second connection sending to an owned address is a conflict, reported once, and does not take it', () => {
  const { router, a, b, conflicts } = twoConnections();
  router.sent(a, outgoing(R1, dtls(1)));
  router.sent(b, outgoing(R1, dtls(1)));
  router.sent(b, outgoing(R1, dtls(2)));
  assert.equal(router.route(incoming(R1, dtls(3))), a);
  assert.equal(router.stats.conflicts, 2);
  assert.deepEqual(conflicts, ['127.0.0.1:4000>127.0.0.1:5001']);
});

test('remove() forgets routes, ufrag and transactions; an ICE restart moves the ufrag', () => {
  const { router, a, b } = twoConnections();
  router.route(incoming(R1, request('ufragA:peer')));
  router.sent(a, outgoing(R2, dtls(1)));
  router.sent(a, outgoing(R3, request(undefined, 9)));
  router.setUfrag(b, 'ufragB2');
  const R4: Addr = { address: '127.0.0.1', port: 5004 };
  assert.equal(router.route(incoming(R4, request('ufragB:peer'))), undefined, 'old ufrag forgotten');
  assert.equal(router.route(incoming(R4, request('ufragB2:peer'))), b);
  router.remove(a);
  assert.equal(router.route(incoming(R1, dtls(1))), undefined);
  assert.equal(router.route(incoming(R2, dtls(1))), undefined);
  assert.equal(router.route(incoming(R3, response(9))), undefined);
  assert.equal(router.route(incoming(R1, request('ufragA:peer'))), undefined);
  assert.equal(router.routeCount, 1, 'only b keeps its route');
  router.sent(b, outgoing(R1, dtls(2)));
  assert.equal(router.route(incoming(R1, dtls(3))), b, 'a freed address can be claimed again');
});

test('outstanding transactions are bounded: the oldest is forgotten first', () => {
  const router = new MuxRouter<object>({ maxTransactions: 2 });
  const a = {};
  router.add(a);
  for (const id of [1, 2, 3]) router.sent(a, outgoing(R2, request(undefined, id)));
  assert.equal(router.route(incoming(R2, response(1))), undefined);
  assert.equal(router.route(incoming(R2, response(2))), a);
  assert.equal(router.route(incoming(R2, response(3))), a);
});

test('a connection owns a bounded number of address pairs; requests naming it from more are still delivered', () => {
  const router = new MuxRouter<object>({ maxRoutesPerConnection: 2 });
  const a = {};
  router.add(a);
  router.setUfrag(a, 'ufragA');
  const from = (port: number): Addr => ({ address: '127.0.0.1', port });
  for (const port of [6001, 6002, 6003]) assert.equal(router.route(incoming(from(port), request('ufragA:peer'))), a);
  assert.equal(router.routeCount, 2);
  assert.equal(router.route(incoming(from(6002), dtls(1))), a);
  assert.equal(router.route(incoming(from(6003), dtls(1))), undefined, 'the third address got no route');
});

test('peers sending from the same port on different addresses are told apart', () => {
  const { router, a, b } = twoConnections();
  router.sent(a, outgoing({ address: '127.0.0.2', port: 7000 }, dtls(1)));
  router.sent(b, outgoing({ address: '127.0.0.3', port: 7000 }, dtls(1)));
  assert.equal(router.route(incoming({ address: '127.0.0.3', port: 7000 }, dtls(2))), b);
  assert.equal(router.route(incoming({ address: '127.0.0.2', port: 7000 }, dtls(2))), a);
  router.remove(b);
  assert.equal(router.route(incoming({ address: '127.0.0.3', port: 7000 }, dtls(3))), undefined);
  assert.equal(router.route(incoming({ address: '127.0.0.2', port: 7000 }, dtls(3))), a);
});

test('property: any bytes, STUN-looking or not, are routed or dropped, never thrown on', () => {
  const { router, a, b } = twoConnections();
  const stunLike = fc.uint8Array({ minLength: 0, maxLength: 120 }).map((body) => {
    const len = body.length & ~3;
    const out = new Uint8Array(20 + len);
    out.set([0x00, 0x01, len >> 8, len & 0xff, 0x21, 0x12, 0xa4, 0x42]);
    out.set(body.subarray(0, len), 20);
    return out;
  });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), stunLike), (data) => {
      const ep = router.route(incoming(R1, data));
      assert.ok(ep === undefined || ep === a || ep === b);
      router.sent(a, outgoing(R2, data));
    }),
  );
});
