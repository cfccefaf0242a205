// SNAP (draft-hancke-tsvwg-snap): INIT chunks exchanged out of band (a=sctp-init) and the association
// established from them, with no handshake chunk on the wire. Codec: the draft's two example INITs
// (golden), round trip, and random or mutated bytes giving an INIT or a typed ParseError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromBase64, toBase64 } from '../../../src/core/bytes/base64.js';
import { isParseError, isUsageError } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import { SeededRng } from '../../../src/core/rng.js';
import { CHUNK } from '../../../src/sctp/chunks/index.js';
import { SctpAssociation, decodeSnapInit, encodeSnapInit } from '../../../src/sctp/index.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { Pair, hasChunk } from './pump.js';

// draft-hancke-tsvwg-snap §4.1 and §8: the offer's and the answer's a=sctp-init values
const OFFER_INIT = 'AQAAHols3R0AUAAA/////+B5ZR3AAAAEgAgABoLA';
const ANSWER_INIT = 'AQAAHl+zdHQAUAAA/////6Gq3HTAAAAEgAgABoLA';

test('SNAP INIT codec: the draft examples decode to their documented fields and encode back to the same bytes', () => {
  for (const [b64, tag, tsn] of [[OFFER_INIT, 0x896cdd1d, 0xe079651d], [ANSWER_INIT, 0x5fb37474, 0xa1aadc74]] as const) {
    const bytes = fromBase64(b64);
    assert.ok(bytes);
    assert.equal(bytes.length, 30);
    const init = decodeSnapInit(bytes);
    assert.equal(init.kind, 'init');
    assert.equal(init.initiateTag, tag);
    assert.equal(init.initialTsn, tsn);
    assert.equal(init.arwnd, 0x00500000);
    assert.equal(init.outboundStreams, 65535);
    assert.equal(init.inboundStreams, 65535);
    assert.deepEqual(init.params.map((p) => p.kind), ['forward-tsn-supported', 'supported-extensions']);
    const ext = init.params[1];
    assert.ok(ext?.kind === 'supported-extensions');
    assert.deepEqual(ext.chunkTypes, [CHUNK.reconfig, CHUNK.forwardTsn]);
    assert.equal(toBase64(encodeSnapInit(init)), b64);
    // padding after the chunk (up to 3 zero bytes) is accepted, anything else after it is not
    assert.equal(decodeSnapInit(Uint8Array.of(...bytes, 0, 0)).initiateTag, tag);
    assert.throws(() => decodeSnapInit(Uint8Array.of(...bytes, 0, 1)), (e) => isParseError(e) && e.code === 'sctp.snap.padding');
    assert.throws(() => decodeSnapInit(Uint8Array.of(...bytes, 0, 0, 0, 0)), (e) => isParseError(e) && e.code === 'sctp.snap.length');
  }
  const ack = fromBase64(OFFER_INIT) as Uint8Array;
  ack[0] = CHUNK.initAck;
  assert.throws(() => decodeSnapInit(ack), (e) => isParseError(e) && e.code === 'sctp.snap.type');
});

test('SNAP INIT codec: our INIT round-trips; random and mutated bytes give an INIT or a typed ParseError', () => {
  const ours = SctpAssociation.snapInit({ rng: new SeededRng(5), crypto: nodeCrypto });
  assert.equal(ours.length % 4 === 0 || ours.length > 20, true);
  const init = decodeSnapInit(ours);
  assert.deepEqual(encodeSnapInit(init), ours);
  assert.deepEqual(init.params.map((p) => p.kind), ['forward-tsn-supported', 'supported-extensions', 'zero-checksum']);
  const seeds = [ours, fromBase64(OFFER_INIT) as Uint8Array];
  const mutated = fc.tuple(fc.nat(1), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(8)).map(([k, i, v, cut]) => {
    const b = (seeds[k] as Uint8Array).slice(0, Math.max(0, (seeds[k] as Uint8Array).length - (cut > 5 ? cut : 0)));
    if (b.length > 0) b[i % b.length] = v;
    return b;
  });
  fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated), (b) => {
    try {
      const d = decodeSnapInit(b);
      assert.equal(d.kind, 'init');
      assert.notEqual(d.initiateTag, 0);
    } catch (e) {
      assert.ok(isParseError(e), String(e));
    }
  }), { numRuns: 3000 });
});

test('SNAP: both ends established at connect(), no handshake chunk on the wire, data both ways', () => {
  const optsA = { rng: new SeededRng(11), crypto: nodeCrypto };
  const optsB = { rng: new SeededRng(12), crypto: nodeCrypto };
  const initA = SctpAssociation.snapInit(optsA);
  const initB = SctpAssociation.snapInit(optsB);
  const p = new Pair(40, [{ ...optsA, snap: { local: initA, remote: initB } }, { ...optsB, snap: { local: initB, remote: initA } }]);
  const handshakeChunks = [CHUNK.init, CHUNK.initAck, CHUNK.cookieEcho, CHUNK.cookieAck];
  let handshakePackets = 0;
  const tags: [number[], number[]] = [[], []];
  for (const i of [0, 1] as const) {
    p.links[i] = { delay: 5, filter: (d) => {
      if (handshakeChunks.some((t) => hasChunk(d, t))) handshakePackets++;
      tags[i].push(new DataView(d.buffer, d.byteOffset).getUint32(4));
      return false;
    } };
  }
  assert.equal(p.a.snap, true);
  p.a.connect(p.now);
  p.b.connect(p.now);
  assert.ok(p.a.pollEvent()?.type === 'connected', 'a established inside connect()');
  assert.ok(p.b.pollEvent()?.type === 'connected', 'b established inside connect()');
  assert.equal(p.a.state, 'established');
  assert.equal(p.a.pollTransmit(), undefined, 'nothing to send after connect()');
  assert.equal(p.b.pollTransmit(), undefined);
  for (let k = 0; k < 5; k++) {
    p.a.send(p.now, 1, 51, new Uint8Array(3000).fill(k));
    p.b.send(p.now, 2, 53, Uint8Array.of(k));
  }
  p.drain();
  p.runUntil(() => p.messages(0).length === 5 && p.messages(1).length === 5);
  assert.equal(handshakePackets, 0);
  // each side's packets carry the tag the other put in its INIT
  assert.deepEqual([...new Set(tags[0])], [decodeSnapInit(initB).initiateTag]);
  assert.deepEqual([...new Set(tags[1])], [decodeSnapInit(initA).initiateTag]);
  assert.deepEqual(p.messages(1)[4]?.data, new Uint8Array(3000).fill(4));
});

test('SNAP: the INIT of a peer that did not apply it is ignored, not answered (logged)', () => {
  const optsA = { rng: new SeededRng(21), crypto: nodeCrypto };
  const initA = SctpAssociation.snapInit(optsA);
  const initPeer = SctpAssociation.snapInit({ rng: new SeededRng(22), crypto: nodeCrypto });
  const logs: string[] = [];
  const logger = createLogger((r) => void logs.push(r.msg), 'warn');
  const p = new Pair(41, [{ ...optsA, logger, snap: { local: initA, remote: initPeer } }, {}]);
  let answered = 0;
  p.links[0] = { delay: 5, filter: (d) => (hasChunk(d, CHUNK.initAck) && answered++, false) };
  p.a.connect(p.now);
  p.b.connect(p.now); // an ordinary INIT
  p.drain();
  p.runUntil(() => p.now > 2000, 3000);
  assert.equal(answered, 0);
  assert.equal(logs.filter((m) => m.includes('SNAP')).length, 1);
});

test('SNAP: a peer that signalled its INIT but runs the normal handshake with it is answered, and data flows', () => {
  const optsA = { rng: new SeededRng(51), crypto: nodeCrypto };
  const initA = SctpAssociation.snapInit(optsA);
  // side b's association draws the same tag and TSN as the INIT it "signalled" (same seed)
  const bSeed = 42 * 2 + 1; // Pair(seed) gives side 1 SeededRng(seed * 2 + 1)
  const initB = SctpAssociation.snapInit({ rng: new SeededRng(bSeed), crypto: nodeCrypto });
  const logs: string[] = [];
  const logger = createLogger((r) => void logs.push(r.msg), 'warn');
  const p = new Pair(42, [{ ...optsA, logger, snap: { local: initA, remote: initB } }, {}]);
  let inits = 0;
  p.links[1] = { delay: 5, filter: (d) => (hasChunk(d, CHUNK.init) && inits++, false) };
  p.a.connect(p.now);
  p.a.send(p.now, 1, 51, Uint8Array.of(7)); // sent as SNAP DATA before b is up: b drops it, T3 resends it
  p.b.connect(p.now);
  p.drain();
  p.runUntil(() => p.connected(1) && p.messages(1).length === 1 && p.messages(0).length === 0, 5000);
  p.b.send(p.now, 2, 51, Uint8Array.of(8));
  p.drain();
  p.runUntil(() => p.messages(0).length === 1, 5000);
  assert.equal(inits, 1, 'b sent its INIT once');
  assert.deepEqual(p.messages(1)[0]?.data, Uint8Array.of(7));
  assert.ok(logs.some((m) => m.includes('answered for the association SNAP set up')), logs.join('; '));
});

test('SNAP options: bytes that are not one INIT chunk are a UsageError', () => {
  const ok = SctpAssociation.snapInit({ rng: new SeededRng(1), crypto: nodeCrypto });
  for (const bad of [new Uint8Array(0), ok.subarray(0, 19), Uint8Array.of(2, ...ok.subarray(1))]) {
    assert.throws(() => new SctpAssociation({ rng: new SeededRng(2), crypto: nodeCrypto, snap: { local: ok, remote: bad } }), (e) => isUsageError(e) && e.code === 'sctp.options.snap');
  }
});
