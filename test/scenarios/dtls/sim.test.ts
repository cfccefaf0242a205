/**
 * DTLS handshake scenarios on the simulator's layer-pair harness (virtual time, seeded links).
 * Side A = client, side B = server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayerPair, scenarioSeeds } from '../../sim/index.js';
import type { DtlsEvent } from '../../../src/dtls/events.js';
import type { DtlsEndpoint } from '../../../src/dtls/endpoint.js';
import { decodeRecords } from '../../../src/dtls/record/header.js';
import { decodeHandshakeFragments } from '../../../src/dtls/handshake/header.js';
import { ContentType } from '../../../src/dtls/constants.js';
import { makePair, testCertificates } from './pump.js';
import { utf8 } from '../../../src/core/bytes/hex.js';

function pairOn(seed: number, link: Parameters<typeof LayerPair.create>[3] = {}, extra: Parameters<typeof makePair>[1] = {}) {
  const { client, server } = makePair(seed, extra);
  const pair = LayerPair.create<DtlsEvent>(seed, client, server, link);
  client.start(pair.sim.now);
  server.start(pair.sim.now);
  return { client, server, pair };
}

const bothConnected = (pair: LayerPair<DtlsEvent>) => (): boolean => pair.a.ofType('connected').length > 0 && pair.b.ofType('connected').length > 0;

test('handshake under 20% loss, reordering and duplication (many seeds), then data both ways', () => {
  const elapsed: number[] = [];
  for (const seed of scenarioSeeds([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])) {
    const { client, server, pair } = pairOn(seed, { link: { delayMs: 30, jitterMs: 10, loss: 0.2, reorder: 0.2, duplicate: 0.2 } });
    pair.sim.runUntil(bothConnected(pair), { maxMs: 120_000 });
    elapsed.push(pair.sim.now);
    // Application data is unreliable in DTLS: send until one copy got through each way.
    for (let i = 0; i < 40 && (pair.a.ofType('data').length === 0 || pair.b.ofType('data').length === 0); i++) {
      client.send(pair.sim.now, utf8('a->b'));
      server.send(pair.sim.now, utf8('b->a'));
      pair.sim.runFor(200);
    }
    assert.ok(pair.a.ofType('data').length > 0 && pair.b.ofType('data').length > 0);
    assert.equal(client.stats.undecryptable + server.stats.undecryptable, 0);
  }
  assert.ok(elapsed.length > 0);
});

test('MTU 256: every datagram fits, the certificate flight is fragmented, handshake completes', () => {
  const sizes: number[] = [];
  let fragmented = 0;
  const { pair } = pairOn(3, { link: { delayMs: 5, mtu: 256 } }, { client: { mtu: 256 }, server: { mtu: 256 } });
  const watch = (p: { data: Uint8Array }): boolean => {
    sizes.push(p.data.length);
    for (const r of decodeRecords(p.data)) {
      if (r.header.contentType === ContentType.handshake && r.header.epoch === 0) {
        for (const f of decodeHandshakeFragments(r.fragment)) if (f.body.length < f.length) fragmented++;
      }
    }
    return false;
  };
  pair.ab.dropWhere(watch);
  pair.ba.dropWhere(watch);
  pair.sim.runUntil(bothConnected(pair), { maxMs: 10_000 });
  assert.ok(Math.max(...sizes) <= 256, `largest datagram ${Math.max(...sizes)}`);
  assert.ok(fragmented >= 4, `fragments seen: ${fragmented}`);
  assert.equal(pair.sim.dropped('mtu'), 0);
});

test('a lost final flight: the client retransmits flight 5 and the finished server answers with flight 6 again', () => {
  const { server, pair } = pairOn(5, { link: { delayMs: 20 } });
  // Drop the server's first ChangeCipherSpec+Finished datagram (flight 6).
  pair.ba.dropWhere((p) => decodeRecords(p.data).some((r) => r.header.contentType === ContentType.changeCipherSpec), 1);
  pair.sim.runUntil(() => pair.b.ofType('connected').length > 0, { maxMs: 5_000 });
  assert.equal(pair.a.ofType('connected').length, 0);
  const before = server.stats.retransmittedFlights;
  pair.sim.runUntil(bothConnected(pair), { maxMs: 5_000 });
  assert.ok(server.stats.retransmittedFlights > before, 'server re-sent its last flight after finishing');
  assert.ok(pair.sim.now >= 1000, 'the client waited for its 1 s retransmission timer');
});

test('retransmission timer: 1 s, doubling, capped at 60 s (RFC 6347 §4.2.4.1)', () => {
  const { client, pair } = pairOn(6, {}, { client: { handshakeTimeoutMs: 400_000 } });
  const sendTimes: number[] = [];
  pair.ab.dropWhere(() => {
    sendTimes.push(pair.sim.now);
    return true;
  });
  pair.sim.runFor(300_000);
  const gaps = sendTimes.slice(1).map((t, i) => Math.round(t - (sendTimes[i] as number)));
  assert.deepEqual(gaps.slice(0, 9), [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  assert.equal(client.state, 'handshaking');
});

test('handshake timeout fails the endpoint with a readable error', () => {
  const { pair } = pairOn(7, {}, { client: { handshakeTimeoutMs: 10_000 } });
  pair.ab.dropWhere(() => true);
  pair.sim.runUntil(() => pair.a.ofType('failed').length > 0, { maxMs: 20_000 });
  assert.equal(pair.a.ofType('failed')[0]?.error.code, 'dtls.handshake.timeout');
});

test('HelloVerifyRequest: a cookie-exchanging server and our client complete under loss', () => {
  for (const seed of scenarioSeeds([21, 22, 23])) {
    const { pair } = pairOn(seed, { link: { delayMs: 15, loss: 0.15 } }, { server: { cookieExchange: true } });
    let hvr = 0;
    pair.ba.dropWhere((p) => {
      for (const r of decodeRecords(p.data)) if (r.header.contentType === ContentType.handshake && r.header.epoch === 0 && decodeHandshakeFragments(r.fragment).some((f) => f.msgType === 3)) hvr++;
      return false;
    });
    pair.sim.runUntil(bothConnected(pair), { maxMs: 60_000 });
    assert.ok(hvr >= 1);
  }
});

function mismatch(side: 'client' | 'server'): { pair: LayerPair<DtlsEvent>; client: DtlsEndpoint; server: DtlsEndpoint } {
  const wrong = [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }];
  const extra = side === 'client' ? { client: { remoteFingerprints: wrong } } : { server: { remoteFingerprints: wrong } };
  const { client, server, pair } = pairOn(8, { link: { delayMs: 5 } }, extra);
  pair.sim.runUntil(() => pair.a.ofType('failed').length > 0 && pair.b.ofType('failed').length > 0, { maxMs: 5_000 });
  return { pair, client, server };
}

test('fingerprint mismatch detected by the client: bad_certificate alert, readable error on both sides', () => {
  const { pair } = mismatch('client');
  const ea = pair.a.ofType('failed')[0]!.error;
  assert.equal(ea.code, 'dtls.certificate.fingerprint');
  assert.match(ea.message, /fingerprint sha-256 [0-9A-F:]{95} matches none of the expected/);
  assert.equal(pair.b.ofType('failed')[0]!.error.code, 'dtls.alert.bad-certificate');
  assert.equal(pair.a.ofType('connected').length + pair.b.ofType('connected').length, 0);
});

test('fingerprint mismatch detected by the server: bad_certificate alert, readable error on both sides', () => {
  const { pair } = mismatch('server');
  assert.equal(pair.b.ofType('failed')[0]!.error.code, 'dtls.certificate.fingerprint');
  assert.equal(pair.a.ofType('failed')[0]!.error.code, 'dtls.alert.bad-certificate');
  assert.equal(pair.a.ofType('connected').length + pair.b.ofType('connected').length, 0);
});

test('fingerprints: sha-1/384/512, any case, any of several may match; late setRemoteFingerprints completes', () => {
  const [cc, sc] = testCertificates();
  const list = [
    { algorithm: 'sha-512', value: Array(64).fill('00').join(':') },
    { algorithm: 'SHA-1', value: sc.fingerprint('sha-1').toLowerCase() },
  ];
  const { pair } = pairOn(9, {}, { client: { remoteFingerprints: list }, server: { remoteFingerprints: [{ algorithm: 'sha-384', value: cc.fingerprint('sha-384') }] } });
  pair.sim.runUntil(bothConnected(pair), { maxMs: 5_000 });

  const late = pairOn(10, { link: { delayMs: 5 } }, { server: { remoteFingerprints: [] } });
  late.pair.sim.runUntil(() => late.server.state === 'verifying' && late.client.state === 'connected', { maxMs: 5_000 });
  late.client.send(late.pair.sim.now, utf8('early'));
  late.pair.sim.runFor(100);
  assert.equal(late.pair.b.ofType('data').length, 0, 'data held until the certificate is verified');
  late.server.setRemoteFingerprints(late.pair.sim.now, [{ algorithm: 'sha-256', value: cc.fingerprint() }]);
  late.pair.sim.runFor(1);
  assert.equal(late.pair.b.ofType('connected').length, 1);
  assert.equal(late.pair.b.ofType('data').length, 1);
});
