import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pump, makePair } from './pump.js';
import { utf8, fromUtf8 } from '../../../src/core/bytes/hex.js';
import { decodeRecords, encodeRecord } from '../../../src/dtls/record/header.js';
import { decodeHandshakeFragments, encodeHandshakeFragment, type HandshakeFragment } from '../../../src/dtls/handshake/header.js';
import { decodeServerHello } from '../../../src/dtls/handshake/messages/server-hello.js';
import { ContentType, DTLS12, HandshakeType } from '../../../src/dtls/constants.js';
import type { Extension } from '../../../src/dtls/extensions.js';

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
  assert.equal(p.a.maxPayload, 1200 - 13 - 24);
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

// ---- a DTLS 1.3-capable, post-quantum-sized ClientHello (Firefox 148+ / Chrome shape) ----

function dtls13Extensions(): Extension[] {
  const keyShare = new Uint8Array(2 + 4 + 1216 + 4 + 32);
  const v = new DataView(keyShare.buffer);
  v.setUint16(0, keyShare.length - 2);
  v.setUint16(2, 0x11ec); // X25519MLKEM768
  v.setUint16(4, 1216);
  v.setUint16(6 + 1216, 0x001d);
  v.setUint16(8 + 1216, 32);
  return [
    { type: 0x0033, data: keyShare }, // key_share
    { type: 0x002b, data: Uint8Array.of(4, 0xfe, 0xfc, 0xfe, 0xfd) }, // supported_versions: DTLS 1.3, 1.2
    { type: 0x002d, data: Uint8Array.of(1, 1) }, // psk_key_exchange_modes
    { type: 0x001c, data: Uint8Array.of(0x40, 0x01) }, // record_size_limit
    { type: 0xfe0d, data: new Uint8Array(300).fill(0x5a) }, // something unknown (ECH-shaped)
    { type: 0x0015, data: new Uint8Array(1400) }, // padding
  ];
}

/** Re-cuts every ClientHello fragment into overlapping, reversed, duplicated pieces, one per datagram. */
function recutClientHello(d: Uint8Array, state: { seq: number; pieces: number; chLength: number }): Uint8Array | Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const rec of decodeRecords(d)) {
    if (rec.header.contentType !== ContentType.handshake) return d;
    for (const f of decodeHandshakeFragments(rec.fragment)) {
      if (f.msgType !== HandshakeType.clientHello) return d;
      state.chLength = f.length;
      const n = f.body.length;
      const cuts: Array<[number, number]> = [[Math.floor(n * 0.3), n], [0, Math.floor(n * 0.7)], [Math.floor(n / 2), Math.floor(n / 2) + 1], [0, n]];
      for (const [a, b] of cuts) {
        const piece: HandshakeFragment = { ...f, fragmentOffset: f.fragmentOffset + a, body: f.body.subarray(a, b) };
        // epoch-0 sequence numbers 40.. keep the client's own later records inside the replay window
        out.push(encodeRecord({ contentType: ContentType.handshake, version: rec.header.version, epoch: 0, sequence: state.seq++ }, encodeHandshakeFragment(piece)));
        state.pieces++;
      }
    }
  }
  return out.reverse();
}

test('a fragmented 3 KB DTLS 1.3-capable ClientHello (PQ key_share, supported_versions) gets a DTLS 1.2 handshake', () => {
  const state = { seq: 40, pieces: 0, chLength: 0 };
  let serverVersion = 0;
  const { client, server } = makePair(31, { client: { extraClientHelloExtensions: dtls13Extensions() } });
  const p = new Pump(client, server, {
    tamper: (from, d) => {
      if (from === 'b') {
        for (const r of decodeRecords(d)) {
          if (r.header.epoch !== 0 || r.header.contentType !== ContentType.handshake) continue;
          for (const f of decodeHandshakeFragments(r.fragment)) if (f.msgType === HandshakeType.serverHello) serverVersion = decodeServerHello(f.body).serverVersion;
        }
        return d;
      }
      return recutClientHello(d, state);
    },
  });
  client.start(0);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000), JSON.stringify(p.events));
  assert.ok(state.chLength > 3000, `ClientHello is ${state.chLength} bytes`);
  assert.ok(state.pieces >= 12, `${state.pieces} pieces`);
  assert.equal(serverVersion, DTLS12);
  assert.equal(p.sent.a.filter((d) => d.length > 1200).length, 0);
});

test('forged, replayed and early records are dropped and counted, never fatal; early records are bounded', () => {
  const { client, server } = makePair(32, { server: { maxEarlyRecords: 8 } });
  const p = new Pump(client, server);
  for (let i = 0; i < 50; i++) server.handleInput(0, encodeRecord({ contentType: ContentType.applicationData, version: DTLS12, epoch: 1, sequence: i }, new Uint8Array(40)));
  server.handleInput(0, Uint8Array.of(1, 2, 3)); // not DTLS at all
  server.handleInput(0, encodeRecord({ contentType: ContentType.applicationData, version: DTLS12, epoch: 0, sequence: 500 }, utf8('unprotected')));
  assert.equal(server.stats.earlyDropped, 42);
  assert.equal(server.stats.malformed, 2);
  client.start(0);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000));
  assert.equal(server.stats.undecryptable, 8, 'the 8 buffered forgeries failed authentication after CCS');
  client.send(p.now, utf8('once'));
  const rec = client.pollTransmit()!;
  server.handleInput(p.now, rec);
  server.handleInput(p.now, rec);
  const bad = rec.slice();
  bad[10] = 0x77; // a fresh sequence number: passes the replay check, fails authentication (seq is in the AAD)
  server.handleInput(p.now, bad);
  client.send(p.now, utf8('twice'));
  const flipped = client.pollTransmit()!;
  flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0x80; // a flipped tag bit
  server.handleInput(p.now, flipped);
  p.drainAll();
  assert.equal(server.stats.replayed, 1);
  assert.equal(server.stats.undecryptable, 10);
  assert.equal(p.events.b.filter((e) => e.type === 'data').length, 1);
  assert.equal(server.state, 'connected');
});

/** Packs every epoch-0 handshake record of a datagram into ONE record carrying all the fragments. */
function mergeHandshakeRecords(d: Uint8Array): Uint8Array {
  const recs = decodeRecords(d);
  const hs = recs.filter((r) => r.header.epoch === 0 && r.header.contentType === ContentType.handshake);
  if (hs.length < 2) return d;
  const rest = recs.filter((r) => !hs.includes(r)).map((r) => encodeRecord(r.header, r.fragment));
  const body = new Uint8Array(hs.reduce((n, r) => n + r.fragment.length, 0));
  let o = 0;
  for (const r of hs) {
    body.set(r.fragment, o);
    o += r.fragment.length;
  }
  const merged = encodeRecord({ ...hs[0]!.header }, body);
  const out = new Uint8Array(merged.length + rest.reduce((n, r) => n + r.length, 0));
  out.set(merged);
  o = merged.length;
  for (const r of rest) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}

test('several handshake messages in one record (both directions) and application data overtaking Finished', () => {
  let merged = 0;
  const { client, server } = makePair(33);
  const p = new Pump(client, server, {
    tamper: (_from, d) => {
      const m = mergeHandshakeRecords(d);
      if (m !== d) merged++;
      return m;
    },
  });
  client.start(0);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000), JSON.stringify(p.events));
  assert.ok(merged >= 2, `merged ${merged} datagrams`);

  // The server's flight 6 and its first data record reach a fresh client in the wrong order.
  const pair = makePair(34);
  const q = new Pump(pair.client, pair.server, {
    tamper: (from, d) => {
      if (from !== 'b' || !decodeRecords(d).some((r) => r.header.contentType === ContentType.changeCipherSpec)) return d;
      pair.server.send(q.now, utf8('overtaker'));
      return [pair.server.pollTransmit()!, d];
    },
  });
  pair.client.start(0);
  assert.ok(q.runUntil(() => q.connected('a') && q.events.a.some((e) => e.type === 'data'), 10_000), JSON.stringify(q.events.a));
});

test("a ChangeCipherSpec that overtakes the ClientKeyExchange is applied once the keys exist (no retransmission needed)", () => {
  const { client, server } = makePair(35, { client: { mtu: 256 } });
  let held: Uint8Array[] = [];
  let reordered = false;
  const p = new Pump(client, server, {
    tamper: (from, d) => {
      if (from !== 'a' || reordered) return d;
      const recs = decodeRecords(d);
      const flight5 = recs.some((r) => r.header.contentType === ContentType.handshake && r.header.epoch === 0 && decodeHandshakeFragments(r.fragment).some((f) => f.msgType !== HandshakeType.clientHello));
      if (recs.some((r) => r.header.contentType === ContentType.changeCipherSpec)) {
        reordered = true;
        const out = [d, ...held];
        held = [];
        return out;
      }
      if (flight5) {
        held.push(d);
        return [];
      }
      return d;
    },
  });
  client.start(0);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000), JSON.stringify(p.events));
  assert.ok(reordered);
  assert.ok(p.now < 1000, `connected at ${p.now} ms, without waiting for a retransmission`);
  assert.equal(client.stats.retransmittedFlights + server.stats.retransmittedFlights, 0);
});
