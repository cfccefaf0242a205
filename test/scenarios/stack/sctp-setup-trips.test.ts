// SCTP association setup in the whole stack on the simulator (issue 6). Between two rtcpeer peers
// (both write a=x-dtls-multi-record) the DTLS client sends its INIT in the datagram of its Finished (a
// false start) and the server answers it with the INIT-ACK in the datagram of its own Finished: the
// channel is open on both sides 4 one-way trips after the client's Finished. Towards a peer without
// the attribute the server's INIT leaves with its Finished and the client answers it instead of
// crossing it (no collision); the DCEP OPEN rides with the COOKIE-ECHO and the DCEP ACK leaves with the
// COOKIE-ACK: open on both sides 4 one-way trips after the server's Finished, 5 after the client's.
// Those runs strip a=sctp-init (SNAP) from the offer; with it, no SCTP handshake chunk is sent at all:
// the server's DCEP OPEN rides with its Finished, and both are open 2 one-way trips after the client's.
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

interface RunOptions {
  /** The first datagram with this side's ChangeCipherSpec (and the SCTP packet riding with it) is lost. */
  readonly dropFinishedOf?: 'p1' | 'p2';
  /** Signal without a=x-dtls-multi-record, as a peer that does not write it. */
  readonly plainSdp?: boolean;
  /** Keep a=sctp-init (SNAP) in the offer (else it is stripped, and the answer has none). */
  readonly snap?: boolean;
  /** The answer carries the offer's a=sctp-init line copied (libdatachannel#1620), the answerer not SNAP. */
  readonly echoInit?: boolean;
  /** The answerer runs with SNAP off (PeerStackOptions.sctpSnap: false). */
  readonly answererNoSnap?: boolean;
  /** The answerer creates a channel of its own as well (before the connection is up). */
  readonly answererChannel?: boolean;
}

/** p1 offers and creates the channel (it is the DTLS server), p2 answers; links of `delayMs` each way. */
function run(seed: number, delayMs: number, o: RunOptions = {}) {
  return withSeed(seed, (sim) => {
    const h1 = sim.host({ name: 'p1', link: { delayMs } });
    const h2 = sim.host({ name: 'p2', link: { delayMs } });
    let dropped = 0;
    const dropHost = o.dropFinishedOf === 'p1' ? h1 : o.dropFinishedOf === 'p2' ? h2 : undefined;
    dropHost?.link.up.dropWhere((p: Datagram) => (p.data[0] as number) >= 20 && (p.data[0] as number) <= 23 && dtlsKinds(p.data).includes('20e0') && dropped++ === 0);
    const sent: Sent[] = [];
    for (const h of [h1, h2]) {
      h.link.up.tap((p: Datagram, now) => {
        const first = p.data[0] as number;
        if (first >= 20 && first <= 63) sent.push({ from: h.name, at: now, kinds: dtlsKinds(p.data) });
      });
    }
    // SPED off: these trips are counted from the plain DTLS handshake (setup-latency.test.ts covers SPED).
    const p1 = createPeerConnection({ env: simEnv(sim, h1, { stack: { dtlsInStun: false } }) });
    const p2 = createPeerConnection({ env: simEnv(sim, h2, { stack: o.answererNoSnap ? { sctpSnap: false, dtlsInStun: false } : { dtlsInStun: false } }) });
    const sdpOf = (sdp: string): string => (o.plainSdp ? sdp.replace(/a=x-dtls-multi-record\r\n/g, '') : sdp);
    const sdps: string[] = [];
    let offerInit = '';
    p1.connect('session_description_created', (type, sdp) => {
      offerInit = /a=sctp-init:.*\r\n/.exec(sdp)?.[0] ?? '';
      const out = sdpOf(o.snap ? sdp : sdp.replace(/a=sctp-init:.*\r\n/, ''));
      sdps.push(out);
      p2.setRemoteDescription(type, out);
    });
    p1.connect('ice_candidate_created', (m, i, c) => p2.addIceCandidate(m, i, c));
    p2.connect('session_description_created', (type, sdp) => {
      const out = sdpOf(o.echoInit ? sdp.replace('a=mid:0\r\n', `a=mid:0\r\n${offerInit}`) : sdp);
      sdps.push(out);
      p1.setRemoteDescription(type, out);
    });
    p2.connect('ice_candidate_created', (m, i, c) => p1.addIceCandidate(m, i, c));
    let remote: WebRTCDataChannel | undefined;
    p2.connect('data_channel_received', (c) => (remote = c));
    let p2Own: WebRTCDataChannel | null = null;
    let p2OwnAtP1: WebRTCDataChannel | undefined;
    if (o.answererChannel) {
      p1.connect('data_channel_received', (c) => (p2OwnAtP1 = c));
      p2.connect('session_description_created', () => void (p2Own ??= p2.createDataChannel('from-answerer')));
    }
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
        const answererDone = !o.answererChannel || (p2Own?.getReadyState() === WebRTCDataChannel.STATE_OPEN && p2OwnAtP1?.getReadyState() === WebRTCDataChannel.STATE_OPEN);
        return open.p1 >= 0 && open.p2 >= 0 && answererDone;
      },
      { maxMs: 10_000 },
    );
    const finished = sent.filter((s) => s.from === 'p1' && s.kinds.includes('20e0')).at(-1);
    assert.ok(finished, 'the server sent its ChangeCipherSpec + Finished');
    const clientFinished = sent.filter((s) => s.from === 'p2' && s.kinds.includes('20e0')).at(-1);
    assert.ok(clientFinished, 'the client sent its ChangeCipherSpec + Finished');
    const upTo = Math.max(open.p1, open.p2);
    const appRecords = (from: string): number => sent.filter((s) => s.from === from && s.at <= upTo).reduce((n, s) => n + s.kinds.filter((k) => k === '23e1').length, 0);
    const appDatagrams = (from: string): number => sent.filter((s) => s.from === from && s.at <= upTo && s.kinds.includes('23e1')).length;
    const crowded = sent.filter((s) => s.kinds.filter((k) => k === '23e1').length > 1);
    return { open, finished, clientFinished, appRecords, appDatagrams, crowded, sdps, sent };
  });
}

test('between rtcpeer peers the INIT rides with the client Finished: open on both sides 4 one-way trips after it', () => {
  const oneWay = 10; // 5 ms up + 5 ms down
  const { open, finished, clientFinished, appRecords, crowded } = run(71, 5);
  assert.deepEqual(clientFinished.kinds.slice(-1), ['23e1'], `client's Finished datagram: ${clientFinished.kinds.join(' ')}`);
  assert.deepEqual(finished.kinds.slice(-1), ['23e1'], `server's Finished datagram (INIT-ACK): ${finished.kinds.join(' ')}`);
  assert.equal(finished.at - clientFinished.at, oneWay, 'the server answered the INIT with its Finished');
  // trip 1 Finished + INIT, 2 Finished + INIT-ACK, 3 COOKIE-ECHO (p1 up: its channel opens, its OPEN
  // goes), 4 COOKIE-ACK + DCEP OPEN (p2 open)
  assert.equal(open.p1 - clientFinished.at, 3 * oneWay, `p1 open ${open.p1 - clientFinished.at} ms after the client Finished`);
  assert.equal(open.p2 - clientFinished.at, 4 * oneWay, `p2 open ${open.p2 - clientFinished.at} ms after the client Finished`);
  // p1: INIT-ACK, then COOKIE-ACK + OPEN in one packet; p2: INIT, COOKIE-ECHO, and the DCEP ACK (with
  // the SACK) as it opens. An INIT from p1 (collision) or an OPEN apart from the COOKIE-ACK would add one.
  assert.equal(appRecords('p1'), 2);
  assert.equal(appRecords('p2'), 3);
  assert.deepEqual(crowded, []);
});

test('towards a peer without a=x-dtls-multi-record: no false start, 4 one-way trips after the server Finished', () => {
  const oneWay = 10;
  const { open, finished, clientFinished, appRecords, appDatagrams, crowded } = run(71, 5, { plainSdp: true });
  assert.deepEqual(clientFinished.kinds.slice(-1), ['22e1'], `client's Finished datagram carries no SCTP: ${clientFinished.kinds.join(' ')}`);
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

test('the INIT-ACK lost with the server Finished: the client sends its INIT again once DTLS is up, no SCTP timer', () => {
  const oneWay = 10;
  const { open, finished } = run(72, 5, { dropFinishedOf: 'p1' });
  // the client's DTLS flight is resent after 100 ms and the server sends its Finished flight again
  // (the INIT-ACK was SCTP's, not part of it); the client, connected with its INIT unanswered, sends
  // it again: INIT, INIT-ACK, COOKIE-ECHO (p1 up), COOKIE-ACK + OPEN at p2: 5 trips from the Finished,
  // far from T1-init (500 ms after the first INIT)
  assert.ok(Math.max(open.p1, open.p2) - finished.at <= 5 * oneWay, `open ${open.p1}/${open.p2} ms, Finished again at ${finished.at} ms`);
});

test('the INIT lost with the client Finished: the server sends its own with its Finished, no SCTP timer', () => {
  const oneWay = 10;
  const { open, finished } = run(73, 5, { dropFinishedOf: 'p2' });
  assert.ok(Math.max(open.p1, open.p2) - finished.at <= 5 * oneWay, `open ${open.p1}/${open.p2} ms, server Finished at ${finished.at} ms`);
  assert.ok(Math.max(open.p1, open.p2) < 300, `open at ${open.p1}/${open.p2} ms`);
});

test('the INIT lost with the Finished towards a peer without the attribute: the client connects with its own INIT once DTLS is up', () => {
  const oneWay = 10;
  const { open, finished } = run(72, 5, { dropFinishedOf: 'p1', plainSdp: true });
  // the client's DTLS flight is resent after 100 ms and the server sends its Finished flight again
  // (the INIT is SCTP's, not part of it); the client, connected without an INIT in hand, sends its own:
  // INIT, INIT-ACK, COOKIE-ECHO (p1 up, sends its OPEN), OPEN at p2: 5 trips from the Finished, far
  // from the server's T1-init (500 ms after its lost INIT)
  assert.ok(Math.max(open.p1, open.p2) - finished.at <= 5 * oneWay, `open ${open.p1}/${open.p2} ms, Finished again at ${finished.at} ms`);
});

test('SNAP between rtcpeer peers: no SCTP handshake, the DCEP OPEN rides with the server Finished, both open 2 one-way trips after the client Finished', () => {
  const oneWay = 10;
  const { open, finished, clientFinished, appRecords, crowded, sdps } = run(71, 5, { snap: true });
  assert.equal(sdps.length, 2);
  for (const sdp of sdps) assert.match(sdp, /\r\na=sctp-init:[A-Za-z0-9+/]+=*\r\n/);
  assert.notEqual(/a=sctp-init:.*/.exec(sdps[0] as string)?.[0], /a=sctp-init:.*/.exec(sdps[1] as string)?.[0], 'each side its own INIT');
  // the client's Finished carries no SCTP (it has no channel, and no INIT is due); the server's has its OPEN
  assert.deepEqual(clientFinished.kinds.slice(-1), ['22e1'], `client's Finished datagram: ${clientFinished.kinds.join(' ')}`);
  assert.deepEqual(finished.kinds.slice(-1), ['23e1'], `server's Finished datagram (DCEP OPEN): ${finished.kinds.join(' ')}`);
  assert.equal(finished.at - clientFinished.at, oneWay);
  // trip 1 client Finished (p1 up: its channel opens, its OPEN goes), 2 server Finished + OPEN (p2 open)
  assert.equal(open.p1 - clientFinished.at, oneWay, `p1 open ${open.p1 - clientFinished.at} ms after the client Finished`);
  assert.equal(open.p2 - clientFinished.at, 2 * oneWay, `p2 open ${open.p2 - clientFinished.at} ms after the client Finished`);
  // p1: the OPEN only; p2: the DCEP ACK with its SACK. An INIT, INIT-ACK or COOKIE would add records.
  assert.equal(appRecords('p1'), 1);
  assert.equal(appRecords('p2'), 1);
  assert.deepEqual(crowded, []);
});

test('SNAP: an answer that echoes our own a=sctp-init (a peer without SNAP) gets the normal handshake', () => {
  const oneWay = 10;
  const { open, finished, appRecords, sdps } = run(74, 5, { echoInit: true, plainSdp: true });
  assert.match(sdps[1] as string, /a=sctp-init:/, 'the answer carries the echoed line');
  assert.doesNotMatch(sdps[0] as string, /a=sctp-init:/, 'the answerer saw no SNAP offer');
  // as without the attribute: INIT with the server Finished, INIT-ACK, COOKIE-ECHO + OPEN, COOKIE-ACK
  assert.equal(open.p2 - finished.at, 3 * oneWay);
  assert.equal(open.p1 - finished.at, 4 * oneWay);
  assert.equal(appRecords('p1'), 2);
});

test('SNAP: the client Finished lost, DTLS retransmits it and the channel opens with no SCTP timer', () => {
  const { open, clientFinished, appRecords } = run(75, 5, { snap: true, dropFinishedOf: 'p2' });
  assert.ok(Math.max(open.p1, open.p2) - clientFinished.at <= 20, `open ${open.p1}/${open.p2} ms, client Finished again at ${clientFinished.at} ms`);
  assert.ok(Math.max(open.p1, open.p2) < 300, `open at ${open.p1}/${open.p2} ms`);
  assert.equal(appRecords('p1'), 1);
});

test('SNAP off on the answerer (sctpSnap: false): its answer has no a=sctp-init and both run the normal handshake', () => {
  const oneWay = 10;
  const { open, clientFinished, appRecords, sdps } = run(71, 5, { snap: true, answererNoSnap: true });
  assert.match(sdps[0] as string, /a=sctp-init:/, 'the offer has it');
  assert.doesNotMatch(sdps[1] as string, /a=sctp-init:/, 'the answer does not');
  // as the first test: INIT with the client Finished, INIT-ACK, COOKIE-ECHO, COOKIE-ACK + OPEN
  assert.equal(open.p2 - clientFinished.at, 4 * oneWay);
  assert.equal(appRecords('p1'), 2);
  assert.equal(appRecords('p2'), 3);
});

test('SNAP at the client false start: its Finished flight leaves first, its own channel\'s OPEN in the next datagram', () => {
  const { clientFinished, sent, crowded } = run(76, 5, { snap: true, answererChannel: true });
  // the association (and its OPEN) comes after the flight has left, not in front of it
  assert.deepEqual(clientFinished.kinds.slice(-1), ['22e1'], `client's Finished datagram: ${clientFinished.kinds.join(' ')}`);
  const next = sent.filter((x) => x.from === 'p2' && x.at === clientFinished.at && x !== clientFinished);
  assert.deepEqual(next.map((x) => x.kinds), [['23e1']], 'the OPEN right after, at the same instant');
  assert.ok(sent.indexOf(next[0] as (typeof sent)[number]) > sent.indexOf(clientFinished));
  assert.deepEqual(crowded, []);
});
