import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nodeDtlsCrypto } from '../../io/node-dtls-crypto.js';
import { cipherSuite, aeadOverhead } from '../cipher/suites.js';
import { ContentType, DTLS12 } from '../constants.js';
import type { FlightItem } from '../handshake/context.js';
import { decodeHandshakeFragments } from '../handshake/header.js';
import { HandshakeReassembler } from '../handshake/reassembly.js';
import { packFlight } from './flight-packer.js';
import { decodeRecords } from './header.js';
import { RecordLayer } from './layer.js';
import { RecordProtection } from './protect.js';

const suite = cipherSuite(0xc02b)!;
const key = new Uint8Array(16).fill(1);
const iv = new Uint8Array(4).fill(2);

function layers(): { tx: RecordLayer; rx: RecordLayer } {
  const tx = new RecordLayer();
  const rx = new RecordLayer();
  tx.installKeys(new RecordProtection(nodeDtlsCrypto, suite, key, iv), new RecordProtection(nodeDtlsCrypto, suite, key, iv));
  rx.installKeys(new RecordProtection(nodeDtlsCrypto, suite, key, iv), new RecordProtection(nodeDtlsCrypto, suite, key, iv));
  return { tx, rx };
}

const body = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

/** Unpacks datagrams: every record's epoch, sequence and type, and the messages they carry, reassembled. */
function unpack(datagrams: readonly Uint8Array[], rx: RecordLayer) {
  const records: { epoch: number; sequence: number; type: number }[] = [];
  const re = [new HandshakeReassembler(), new HandshakeReassembler()];
  const messages: { epoch: number; msgType: number; messageSeq: number; body: Uint8Array }[] = [];
  for (const d of datagrams) {
    for (const rec of decodeRecords(d)) {
      const { epoch, sequence, contentType } = rec.header;
      records.push({ epoch, sequence, type: contentType });
      if (epoch === 1 && rx.readEpoch === 0) rx.advanceReadEpoch();
      const plain = rx.open(rec);
      assert.ok(plain, `record ${epoch}/${sequence} opens`);
      if (contentType === ContentType.changeCipherSpec) {
        assert.deepEqual(plain, Uint8Array.of(1));
        continue;
      }
      for (const f of decodeHandshakeFragments(plain)) (re[epoch] as HandshakeReassembler).push(f);
      for (let m = re[epoch]!.pop(); m; m = re[epoch]!.pop()) messages.push({ epoch, ...m });
    }
  }
  return { records, messages };
}

test('a flight packs into datagrams of at most the MTU; records in sequence; messages reassemble; epoch 1 is sealed', () => {
  const flight: FlightItem[] = [
    { kind: 'handshake', epoch: 0, msgType: 11, messageSeq: 0, body: body(700, 1) },
    { kind: 'handshake', epoch: 0, msgType: 16, messageSeq: 1, body: body(65, 2) },
    { kind: 'handshake', epoch: 0, msgType: 15, messageSeq: 2, body: body(72, 3) },
    { kind: 'ccs', epoch: 0 },
    { kind: 'handshake', epoch: 1, msgType: 20, messageSeq: 0, body: body(12, 4) },
  ];
  for (const mtu of [128, 256, 1200]) {
    const { tx, rx } = layers();
    const datagrams = packFlight(flight, mtu, tx, (e) => (e > 0 ? aeadOverhead(suite) : 0));
    assert.ok(datagrams.every((d) => d.length <= mtu), `mtu ${mtu}: ${datagrams.map((d) => d.length).join(',')}`);
    if (mtu === 1200) assert.equal(datagrams.length, 1, 'everything in one datagram');
    const { records, messages } = unpack(datagrams, rx);
    const seqs = (e: number) => records.filter((r) => r.epoch === e).map((r) => r.sequence);
    assert.deepEqual(seqs(0), [...seqs(0).keys()]);
    assert.deepEqual(seqs(1), [0]);
    assert.equal(records.filter((r) => r.type === ContentType.changeCipherSpec).length, 1);
    assert.deepEqual(
      messages.map((m) => [m.epoch, m.msgType, m.messageSeq]),
      flight.filter((i) => i.kind === 'handshake').map((i) => [i.epoch, i.kind === 'handshake' ? i.msgType : 0, i.kind === 'handshake' ? i.messageSeq : 0]),
    );
    flight.forEach((i, k) => i.kind === 'handshake' && assert.deepEqual(messages.find((m) => m.epoch === i.epoch && m.messageSeq === i.messageSeq)?.body, i.body, `item ${k}`));
    // a retransmission: same layout, fresh sequence numbers
    const again = packFlight(flight, mtu, tx, (e) => (e > 0 ? aeadOverhead(suite) : 0));
    assert.deepEqual(again.map((d) => d.length), datagrams.map((d) => d.length));
    assert.equal(decodeRecords(again[0]!)[0]!.header.sequence, seqs(0).length);
    assert.equal(decodeRecords(again[0]!)[0]!.header.version, DTLS12);
  }
});

test('property: any flight at any MTU fits the MTU (where a record can) and reassembles to its messages', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 64, max: 1500 }), (sizes, mtu) => {
      const flight: FlightItem[] = sizes.map((n, i) => ({ kind: 'handshake', epoch: 0, msgType: 1 + i, messageSeq: i, body: body(n, i) }));
      const { tx, rx } = layers();
      const datagrams = packFlight(flight, mtu, tx, () => 0);
      assert.ok(datagrams.every((d) => d.length <= mtu));
      const { messages } = unpack(datagrams, rx);
      assert.deepEqual(messages.map((m) => m.body), sizes.map((n, i) => body(n, i)));
    }),
    { numRuns: 200 },
  );
});
