/**
 * A lost flight during the handshake costs the peer's first retransmission timer, not ours (issue 6):
 * the server answers a retransmitted ClientHello at once even when its own timer is far off, for
 * clients whose first timer is as short as the browsers' (50 ms), and the WebRTC binding's endpoints
 * start at 100 ms instead of RFC 6347's 1 s. Side A = client, side B = server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayerPair } from '../../sim/index.js';
import type { DtlsEvent } from '../../../src/dtls/events.js';
import { decodeRecords } from '../../../src/dtls/record/header.js';
import { ContentType, HandshakeType } from '../../../src/dtls/constants.js';
import { SeededRng } from '../../../src/core/rng.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { dtlsFactory, WEBRTC_DTLS_INITIAL_RETRANSMIT_MS } from '../../../src/stack/dtls-binding.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { DtlsEndpoint } from '../../../src/dtls/endpoint.js';
import { makePair } from './pump.js';

/** True when the datagram carries an epoch-0 handshake message of `type`. */
function carries(data: Uint8Array, type: number): boolean {
  return decodeRecords(data).some((r) => r.header.contentType === ContentType.handshake && r.header.epoch === 0 && r.fragment[0] === type);
}

const bothConnected = (pair: LayerPair<DtlsEvent>) => (): boolean => pair.a.ofType('connected').length > 0 && pair.b.ofType('connected').length > 0;

test('the server answers a retransmitted ClientHello at once when its first flight was lost (client timer 50 ms, server 1 s)', () => {
  const { client, server } = makePair(71, { client: { initialRetransmitMs: 50 }, server: { initialRetransmitMs: 1000 } });
  const pair = LayerPair.create<DtlsEvent>(71, client, server, { link: { delayMs: 5 } });
  const hellos: number[] = [];
  const flights: number[] = [];
  pair.ab.tap((p, now) => void (carries(p.data, HandshakeType.clientHello) && hellos.push(now)));
  pair.ba.tap((p, now) => void (carries(p.data, HandshakeType.serverHello) && flights.push(now)));
  pair.ba.dropWhere((p) => carries(p.data, HandshakeType.serverHello), 1);
  client.start(pair.sim.now);
  pair.sim.runUntil(bothConnected(pair), { maxMs: 5_000 });
  assert.deepEqual(hellos, [0, 50], 'ClientHello, then its retransmission at the client timer');
  // Each way takes 5 ms: the retransmitted ClientHello arrives at 55 and is answered at once, not
  // at the server's own 1 s timer (and not held back by a resend gap longer than the peer's timer).
  assert.deepEqual(flights, [5, 55]);
  assert.ok(pair.sim.now < 100, `connected at ${pair.sim.now} ms`);
  assert.equal(server.stats.retransmittedFlights, 1);
});

test('the datagrams of one retransmitted flight get one answer, not one each', () => {
  // MTU 256: the client's second flight (Certificate .. Finished) spans several datagrams.
  const { client, server } = makePair(72, { client: { initialRetransmitMs: 50, mtu: 256 }, server: { initialRetransmitMs: 1000, mtu: 256 } });
  const pair = LayerPair.create<DtlsEvent>(72, client, server, { link: { delayMs: 5, mtu: 256 } });
  let finals = 0;
  pair.ba.tap((p) => void (decodeRecords(p.data).some((r) => r.header.contentType === ContentType.changeCipherSpec) && finals++));
  // Lose the server's ChangeCipherSpec+Finished once: the client resends its whole flight.
  pair.ba.dropWhere((p) => decodeRecords(p.data).some((r) => r.header.contentType === ContentType.changeCipherSpec), 1);
  client.start(pair.sim.now);
  pair.sim.runUntil(bothConnected(pair), { maxMs: 5_000 });
  pair.sim.runFor(200);
  assert.equal(finals, 2, 'the final flight went out twice: the lost one and one answer to the multi-datagram retransmission');
});

test('the WebRTC binding starts its endpoints at a 100 ms first retransmission, doubling', () => {
  assert.equal(WEBRTC_DTLS_INITIAL_RETRANSMIT_MS, 100);
  const rng = new SeededRng(73);
  const f = dtlsFactory({ rng, crypto: nodeDtlsCrypto });
  const g = dtlsFactory({ rng, crypto: nodeDtlsCrypto });
  const client = f.create('client', [g.fingerprint], silentLogger) as DtlsEndpoint;
  const server = g.create('server', [f.fingerprint], silentLogger) as DtlsEndpoint;
  assert.equal(client.options.initialRetransmitMs, 100);
  const pair = LayerPair.create<DtlsEvent>(73, client, server, { link: { delayMs: 5 } });
  const sent: number[] = [];
  pair.ab.dropWhere((_p) => (sent.push(pair.sim.now), true));
  client.start(pair.sim.now);
  pair.sim.runFor(1600);
  assert.deepEqual(sent, [0, 100, 300, 700, 1500]);
});
