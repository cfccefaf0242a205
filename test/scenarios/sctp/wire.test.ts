import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Writer } from '../../../src/core/bytes/writer.js';
import { beginPacket, decodePacket, finishPacket } from '../../../src/sctp/packet.js';
import { decodeChunk, type ErrorChunk } from '../../../src/sctp/chunks/index.js';
import { Pair, hasChunk } from './pump.js';

function checksumField(d: Uint8Array): number {
  return (d[8] as number) | ((d[9] as number) << 8) | ((d[10] as number) << 16) | ((d[11] as number) << 24);
}

for (const [za, zb] of [[true, true], [false, true], [true, false], [false, false]] as const) {
  test(`zero checksum is one-directional (a accepts: ${za}, b accepts: ${zb})`, () => {
    const zeros: [number, number] = [0, 0];
    const crcs: [number, number] = [0, 0];
    const p = new Pair(31, [{ zeroChecksum: za }, { zeroChecksum: zb }]);
    for (const i of [0, 1] as const) {
      p.links[i] = {
        delay: 5,
        filter: (d) => {
          const initOrEcho = hasChunk(d, 1) || hasChunk(d, 10);
          if (initOrEcho) assert.notEqual(checksumField(d), 0, 'INIT and COOKIE-ECHO always carry the CRC');
          else if (!hasChunk(d, 0) && !hasChunk(d, 3)) return false; // count DATA/SACK packets only
          else if (checksumField(d) === 0) zeros[i]++;
          else crcs[i]++;
          return false;
        },
      };
    }
    p.connectBoth();
    for (let k = 0; k < 10; k++) {
      p.a.send(p.now, 1, 53, new Uint8Array(100));
      p.b.send(p.now, 1, 53, new Uint8Array(100));
    }
    p.drain();
    p.runUntil(() => p.messages(0).length === 10 && p.messages(1).length === 10);
    // a sends zeros only if b accepts them, and vice versa
    assert.equal(zeros[0] > 0, zb, `a->b zero checksums ${zeros[0]}`);
    assert.equal(crcs[0] === 0, zb);
    assert.equal(zeros[1] > 0, za, `b->a zero checksums ${zeros[1]}`);
    assert.equal(p.a.zeroChecksumToPeer, zb);
  });
}

test('random and mutated packets never throw out of handleInput, and the association survives', () => {
  // with CRCs on both directions, mutated packets are rejected by the checksum
  const p = new Pair(32, [{ zeroChecksum: false }, { zeroChecksum: false }]);
  const captured: Uint8Array[] = [];
  p.links[0] = { delay: 5, filter: (d) => (captured.push(d.slice()), false) };
  p.connectBoth();
  for (let i = 0; i < 20; i++) p.a.send(p.now, 1, 53, new Uint8Array(2000).fill(i));
  p.a.resetStream(p.now, 1);
  p.drain();
  p.runUntil(() => p.messages(1).length === 20);
  const mutated = fc.tuple(fc.nat(captured.length - 1), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([k, i, v]) => {
    const b = (captured[k] as Uint8Array).slice();
    b[12 + (i % Math.max(1, b.length - 12))] = v;
    return b;
  });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (buf) => {
      p.b.handleInput(p.now, buf);
      while (p.b.pollTransmit()) { /* drop */ }
      while (p.b.pollEvent()) { /* drop */ }
    }),
    { numRuns: 2000 },
  );
  assert.ok((p.b.stats.badChecksum ?? 0) > 500, JSON.stringify(p.b.stats));
  p.b.send(p.now, 3, 51, Uint8Array.of(9));
  p.drain();
  p.runUntil(() => p.messages(0).some((m) => m.streamId === 3));
});

test('zero-checksum packets with random chunk bytes reach the chunk decoders without throwing', () => {
  const p = new Pair(33);
  let tag = 0;
  p.links[0] = { delay: 5, filter: (d) => ((tag = ((d[4] as number) << 24 | (d[5] as number) << 16 | (d[6] as number) << 8 | (d[7] as number)) >>> 0), false) };
  p.connectBoth();
  p.a.send(p.now, 1, 53, Uint8Array.of(1));
  p.drain();
  p.runUntil(() => p.messages(1).length === 1);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 120 }), (body) => {
      const w = new Writer();
      beginPacket(w, 5000, 5000, tag);
      w.bytes(body);
      p.b.handleInput(p.now, finishPacket(w, true));
      while (p.b.pollTransmit()) { /* drop */ }
      while (p.b.pollEvent()) { /* drop */ }
    }),
    { numRuns: 3000 },
  );
  assert.ok(['established', 'closed'].includes(p.b.state));
});

test('unknown chunk types follow their high bits: skip-and-report continues, stop-and-report discards', () => {
  const p = new Pair(34);
  let tag = 0;
  const fromB: Uint8Array[] = [];
  p.links[0] = { delay: 5, filter: (d) => ((tag = ((d[4] as number) << 24 | (d[5] as number) << 16 | (d[6] as number) << 8 | (d[7] as number)) >>> 0), false) };
  p.links[1] = { delay: 5, filter: (d) => (fromB.push(d), false) };
  p.connectBoth();
  p.a.send(p.now, 1, 53, Uint8Array.of(1));
  p.drain();
  p.runUntil(() => p.messages(1).length === 1);
  const send = (type: number): void => {
    const w = new Writer();
    beginPacket(w, 5000, 5000, tag);
    w.u8(type).u8(0).u16(8).u32(0xdeadbeef); // unknown chunk
    w.u8(4).u8(0).u16(12).u16(1).u16(8).u32(0x12345678); // HEARTBEAT with info
    p.b.handleInput(p.now, finishPacket(w, false));
    p.drain();
    p.runUntil(() => true);
  };
  const replies = (): { errors: number; hbAcks: number } => {
    let errors = 0;
    let hbAcks = 0;
    for (const d of fromB.splice(0)) {
      for (const c of decodePacket(d).chunks) {
        const ch = decodeChunk(c.type, c.flags, c.value);
        if (ch?.kind === 'error' && (ch as ErrorChunk).causes.some((x) => x.code === 6)) errors++;
        if (ch?.kind === 'heartbeat-ack') hbAcks++;
      }
    }
    return { errors, hbAcks };
  };
  fromB.length = 0;
  send(0xff); // 11: skip and report
  p.runUntil(() => fromB.length > 0, 1000);
  assert.deepEqual(replies(), { errors: 1, hbAcks: 1 });
  send(0x7f); // 01: stop, discard and report
  p.runUntil(() => fromB.length > 0, 1000);
  assert.deepEqual(replies(), { errors: 1, hbAcks: 0 });
  send(0xbf); // 10: skip silently
  p.runUntil(() => fromB.length > 0, 1000);
  assert.deepEqual(replies(), { errors: 0, hbAcks: 1 });
});

test('an INIT with a non-zero verification tag is dropped (pion/sctp#341)', async () => {
  const { SctpAssociation } = await import('../../../src/sctp/index.js');
  const { SeededRng } = await import('../../../src/core/rng.js');
  const { nodeCrypto } = await import('../../../src/io/node-crypto.js');
  const { encodeChunk } = await import('../../../src/sctp/chunks/index.js');
  const b = new SctpAssociation({ rng: new SeededRng(1), crypto: nodeCrypto });
  const init = (tag: number): Uint8Array => {
    const w = new Writer();
    beginPacket(w, 5000, 5000, tag);
    encodeChunk(w, { kind: 'init', initiateTag: 77, arwnd: 65536, outboundStreams: 10, inboundStreams: 10, initialTsn: 1, params: [], unrecognized: [] });
    return finishPacket(w, false);
  };
  b.handleInput(0, init(1234));
  assert.equal(b.pollTransmit(), undefined);
  assert.equal(b.stats.badTag, 1);
  b.handleInput(0, init(0));
  const ack = b.pollTransmit();
  assert.ok(ack);
  const pkt = decodePacket(ack);
  assert.equal(pkt.verificationTag, 77, 'INIT-ACK carries the initiator tag');
  assert.equal(pkt.chunks[0]?.type, 2);
});

test('ABORT with the T bit (reflected tag) is accepted only with the peer tag', () => {
  const p = new Pair(39);
  let bTag = 0;
  let aTag = 0;
  p.links[0] = { delay: 5, filter: (d) => ((bTag = ((d[4] as number) << 24 | (d[5] as number) << 16 | (d[6] as number) << 8 | (d[7] as number)) >>> 0), false) };
  p.links[1] = { delay: 5, filter: (d) => ((aTag = ((d[4] as number) << 24 | (d[5] as number) << 16 | (d[6] as number) << 8 | (d[7] as number)) >>> 0), false) };
  p.connectBoth();
  const abort = (tag: number): Uint8Array => {
    const w = new Writer();
    beginPacket(w, 5000, 5000, tag);
    w.u8(6).u8(1).u16(4);
    return finishPacket(w, false);
  };
  // an ABORT reaching b with T=1 must carry a's tag as seen by b: the tag b puts on its packets to a
  p.b.handleInput(p.now, abort(bTag));
  assert.equal(p.b.state, 'established', 'T=1 with our own tag is not the reflected tag');
  p.b.handleInput(p.now, abort(aTag));
  assert.equal(p.b.state, 'closed');
});
