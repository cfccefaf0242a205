// SCTP association setup in the whole stack on the simulator (issue 6): the DTLS server's INIT leaves
// in the datagram of its Finished, the client answers it instead of crossing it with an INIT of its own
// (no collision), the DCEP OPEN rides with the COOKIE-ECHO and the DCEP ACK leaves with the COOKIE-ACK:
// the channel is open on both sides 4 one-way trips after the server's Finished (5 before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSeed } from '../../sim/index.js';
import type { Datagram } from '../../../src/core/types.js';
import { WebRTCDataChannel, createPeerConnection } from '../../../src/facade/index.js';
import { simEnv } from './sim-env.js';

/** `<content type>e<epoch>` of each record in one DTLS datagram (23e1: application data, an SCTP packet). */
function dtlsKinds(data: Uint8Array): string[] {
  const kinds: string[] = [];
  let at = 0;
  while (at + 13 <= data.length) {
    const view = new DataView(data.buffer, data.byteOffset + at, 13);
    kinds.push(`${view.getUint8(0)}e${view.getUint16(3)}`);
    at += 13 + view.getUint16(11);
  }
  return kinds;
}

interface Sent {
  readonly from: string;
  readonly at: number;
  readonly kinds: string[];
}

/**
 * p1 offers and creates the channel (it is the DTLS server), p2 answers; links of `delayMs` each way.
 * `dropFinished`: p1's first datagram with its ChangeCipherSpec (and the INIT riding with it) is lost.
 */
function run(seed: number, delayMs: number, dropFinished = false) {
  return withSeed(seed, (sim) => {
    const h1 = sim.host({ name: 'p1', link: { delayMs } });
    const h2 = sim.host({ name: 'p2', link: { delayMs } });
    let dropped = 0;
    if (dropFinished) h1.link.up.dropWhere((p: Datagram) => (p.data[0] as number) === 20 && dropped++ === 0);
    const sent: Sent[] = [];
    for (const h of [h1, h2]) {
      h.link.up.tap((p: Datagram, now) => {
        const first = p.data[0] as number;
        if (first >= 20 && first <= 63) sent.push({ from: h.name, at: now, kinds: dtlsKinds(p.data) });
      });
    }
    const p1 = createPeerConnection({ env: simEnv(sim, h1) });
    const p2 = createPeerConnection({ env: simEnv(sim, h2) });
    p1.connect('session_description_created', (type, sdp) => p2.setRemoteDescription(type, sdp));
    p1.connect('ice_candidate_created', (m, i, c) => p2.addIceCandidate(m, i, c));
    p2.connect('session_description_created', (type, sdp) => p1.setRemoteDescription(type, sdp));
    p2.connect('ice_candidate_created', (m, i, c) => p1.addIceCandidate(m, i, c));
    let remote: WebRTCDataChannel | undefined;
    p2.connect('data_channel_received', (c) => (remote = c));
    const ch = p1.createDataChannel('trips');
    assert.ok(ch);
    const open = { p1: -1, p2: -1 };
    p1.createOffer();
    sim.runUntil(
      () => {
        p1.poll();
        p2.poll();
        if (open.p1 < 0 && ch.getReadyState() === WebRTCDataChannel.STATE_OPEN) open.p1 = sim.now;
        if (open.p2 < 0 && remote?.getReadyState() === WebRTCDataChannel.STATE_OPEN) open.p2 = sim.now;
        return open.p1 >= 0 && open.p2 >= 0;
      },
      { maxMs: 10_000 },
    );
    const finished = sent.filter((s) => s.from === 'p1' && s.kinds.includes('20e0')).at(-1);
    assert.ok(finished, 'the server sent its ChangeCipherSpec + Finished');
    const upTo = Math.max(open.p1, open.p2);
    const appRecords = (from: string): number => sent.filter((s) => s.from === from && s.at <= upTo).reduce((n, s) => n + s.kinds.filter((k) => k === '23e1').length, 0);
    const appDatagrams = (from: string): number => sent.filter((s) => s.from === from && s.at <= upTo && s.kinds.includes('23e1')).length;
    const crowded = sent.filter((s) => s.kinds.filter((k) => k === '23e1').length > 1);
    return { open, finished, appRecords, appDatagrams, crowded };
  });
}

test('SCTP + DCEP take 4 one-way trips after the server Finished, without an INIT collision', () => {
  const oneWay = 10; // 5 ms up + 5 ms down
  const { open, finished, appRecords, appDatagrams, crowded } = run(71, 5);
  // the server's INIT is in the datagram of its Finished (one read for the client)
  assert.deepEqual(finished.kinds.slice(-1), ['23e1'], `server's Finished datagram: ${finished.kinds.join(' ')}`);
  // trip 1 INIT, 2 INIT-ACK, 3 COOKIE-ECHO + OPEN (p2 open), 4 COOKIE-ACK + SACK + DCEP ACK (p1 open)
  assert.equal(open.p2 - finished.at, 3 * oneWay, `p2 open ${open.p2 - finished.at} ms after the Finished`);
  assert.equal(open.p1 - finished.at, 4 * oneWay, `p1 open ${open.p1 - finished.at} ms after the Finished`);
  // p1: INIT, COOKIE-ECHO with the OPEN. p2: INIT-ACK, then COOKIE-ACK + SACK + DCEP ACK in one
  // packet (COOKIE-ACK first, §5.1 D). An INIT from p2 (collision), an OPEN or an ACK in a packet of
  // its own would add records.
  assert.equal(appRecords('p1'), 2);
  assert.equal(appRecords('p2'), 2);
  assert.equal(appDatagrams('p2'), 2);
  // never two SCTP packets in one datagram: libdatachannel reads one record per datagram
  assert.deepEqual(crowded, []);
});

test('the INIT lost with the Finished: the client connects with its own INIT once DTLS is up, no SCTP timer', () => {
  const oneWay = 10;
  const { open, finished } = run(72, 5, true);
  // the client's DTLS flight is resent after 100 ms and the server sends its Finished flight again
  // (the INIT is SCTP's, not part of it); the client, connected without an INIT in hand, sends its own:
  // INIT, INIT-ACK, COOKIE-ECHO (p1 up, sends its OPEN), OPEN at p2: 5 trips from the Finished, far
  // from the server's T1-init (500 ms after its lost INIT)
  assert.ok(Math.max(open.p1, open.p2) - finished.at <= 5 * oneWay, `open ${open.p1}/${open.p2} ms, Finished again at ${finished.at} ms`);
});
