// Connection setup time on the simulator with the whole real stack (issue 6): how many round trips
// from createOffer() to the channel open on both sides, and that no step waits for a timer: a
// ClientHello that arrives before the offerer has the answer is kept, a DTLS flight answered before
// our own check succeeded waits for the pair instead of being dropped, a lost flight costs 100 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSeed } from '../../sim/index.js';
import type { Host, Sim } from '../../sim/index.js';
import type { Datagram } from '../../../src/core/types.js';
import { WebRTCDataChannel, createPeerConnection } from '../../../src/facade/index.js';
import type { WebRTCPeerConnection } from '../../../src/facade/index.js';
import { simEnv } from './sim-env.js';
import type { PeerStackOptions } from '../../../src/stack/peer-stack.js';
import { getAttr } from '../../../src/stun/helpers.js';
import { decodeStun } from '../../../src/stun/message.js';

interface Signal {
  readonly data: Uint8Array;
  readonly what: string;
  readonly apply: () => void;
}

/** Signalling from one peer to the other through the simulator, `delayMs` late. */
function channel(sim: Sim, name: string, delayMs: number): (what: string, apply: () => void) => void {
  const dir = sim.direction<Signal>(name, { delayMs }, (s) => s.apply(), (s) => `signal ${s.what} @${name}`);
  return (what, apply) => dir.send(sim.now, { data: new Uint8Array(0), what, apply });
}

/** Handshake message types (epoch 0) and other record kinds of one DTLS datagram. */
function dtlsKinds(data: Uint8Array): string[] {
  const out: string[] = [];
  for (let o = 0; o + 13 <= data.length; ) {
    const type = data[o] as number;
    const epoch = ((data[o + 3] as number) << 8) | (data[o + 4] as number);
    const len = ((data[o + 11] as number) << 8) | (data[o + 12] as number);
    out.push(type === 22 && epoch === 0 ? `hs${data[o + 13] as number}` : `${type}e${epoch}`);
    o += 13 + len;
  }
  return out;
}

/** A Binding request with USE-CANDIDATE (0x0025) is `nominate`, another one `check`, the rest `stun`. */
function stunKind(data: Uint8Array): string {
  if (data[0] !== 0 || data[1] !== 1) return 'stun';
  for (let o = 20; o + 4 <= data.length; ) {
    const type = ((data[o] as number) << 8) | (data[o + 1] as number);
    if (type === 0x0025) return 'nominate';
    o += 4 + ((((((data[o + 2] as number) << 8) | (data[o + 3] as number)) + 3) >> 2) << 2);
  }
  return 'check';
}

interface Timeline {
  /** Time and kinds of every DTLS datagram each host sent. */
  /** `embedded`: inside a STUN message (SPED), with `bytes` (hex) to tell resends of the same packet. */
  readonly dtls: { readonly from: string; readonly at: number; readonly kinds: string[]; readonly embedded?: true; readonly bytes?: string }[];
  /** Every STUN datagram sent: transaction ids repeat on a retransmission. */
  readonly stunIds: string[];
  /** Every datagram in the order the hosts sent them: DTLS kinds, `check`, `nominate` (USE-CANDIDATE) or `stun`. */
  readonly sent: { readonly from: string; readonly at: number; readonly kind: string }[];
  answerAppliedAt: number | undefined;
}

function watch(hosts: readonly Host[], t: Timeline): void {
  for (const h of hosts) {
    h.link.up.tap((p: Datagram, now) => {
      const first = p.data[0] as number;
      if (first >= 20 && first <= 63) {
        t.dtls.push({ from: h.name, at: now, kinds: dtlsKinds(p.data) });
        t.sent.push({ from: h.name, at: now, kind: dtlsKinds(p.data).join('+') });
      } else if (first < 2) {
        const inside = getAttr(decodeStun(p.data), 'metaDtlsInStun'); // SPED
        if (inside && inside.length > 0) t.dtls.push({ from: h.name, at: now, kinds: dtlsKinds(inside), embedded: true, bytes: Buffer.from(inside).toString('hex') });
        t.stunIds.push(`${first}.${p.data[1] as number} ${Buffer.from(p.data.subarray(8, 20)).toString('hex')}`);
        t.sent.push({ from: h.name, at: now, kind: stunKind(p.data) });
      }
    });
  }
}

/**
 * p1 offers (and becomes the DTLS server: the answerer answers a=setup:active), p2 answers. The
 * offer and p1's candidates reach p2 after `toP2` ms, the answer and p2's candidates reach p1 after
 * `toP1` ms. Returns the peers, the channels, and when each side saw its channel open.
 */
/** Without SPED unless `stack` says otherwise: most tests here are about the plain handshake. */
function setup(sim: Sim, linkDelayMs: number, toP2: number, toP1: number, stack: StackOptions = PLAIN) {
  return setupWith(sim, linkDelayMs, toP2, toP1, {}, undefined, stack);
}

type StackOptions = Pick<PeerStackOptions, 'dtlsInStun'>;
const PLAIN: StackOptions = { dtlsInStun: false };

/**
 * setup(), also telling `times.answer` when p1 applied the answer (while it runs); `offerAs` rewrites
 * p1's offer on its way to p2 (to play a stack that writes different attributes).
 */
function setupWith(sim: Sim, linkDelayMs: number, toP2: number, toP1: number, times: { answer?: number }, offerAs: (sdp: string) => string = (sdp) => sdp, stack: StackOptions = PLAIN) {
  const h1 = sim.host({ name: 'p1', link: { delayMs: linkDelayMs } });
  const h2 = sim.host({ name: 'p2', link: { delayMs: linkDelayMs } });
  const t: Timeline = { dtls: [], stunIds: [], sent: [], answerAppliedAt: undefined };
  watch([h1, h2], t);
  const p1 = createPeerConnection({ env: simEnv(sim, h1, { stack }) });
  const p2 = createPeerConnection({ env: simEnv(sim, h2, { stack }) });
  const send2 = channel(sim, 'sig p1->p2', toP2);
  const send1 = channel(sim, 'sig p2->p1', toP1);
  p1.connect('session_description_created', (type, sdp) => send2(type, () => p2.setRemoteDescription(type, offerAs(sdp))));
  p1.connect('ice_candidate_created', (m, i, c) => send2('candidate', () => p2.addIceCandidate(m, i, c)));
  p2.connect('session_description_created', (type, sdp) =>
    send1(type, () => {
      t.answerAppliedAt = sim.now;
      times.answer = sim.now;
      p1.setRemoteDescription(type, sdp);
    }),
  );
  p2.connect('ice_candidate_created', (m, i, c) => send1('candidate', () => p1.addIceCandidate(m, i, c)));
  let remote: WebRTCDataChannel | undefined;
  p2.connect('data_channel_received', (c) => (remote = c));
  const ch = p1.createDataChannel('setup');
  assert.ok(ch);
  const open = { p1: -1, p2: -1 };
  const poll = (peers: readonly WebRTCPeerConnection[]): boolean => {
    for (const p of peers) p.poll();
    if (open.p1 < 0 && ch.getReadyState() === WebRTCDataChannel.STATE_OPEN) open.p1 = sim.now;
    if (open.p2 < 0 && remote?.getReadyState() === WebRTCDataChannel.STATE_OPEN) open.p2 = sim.now;
    return open.p1 >= 0 && open.p2 >= 0;
  };
  const start = sim.now;
  p1.createOffer();
  sim.runUntil(() => poll([p1, p2]), { maxMs: 10_000 });
  return { t, open, start, elapsed: Math.max(open.p1, open.p2) - start };
}

const clientHellos = (t: Timeline): number => t.dtls.filter((d) => d.kinds.includes('hs1')).length;
const serverHellos = (t: Timeline): number => t.dtls.filter((d) => d.kinds.includes('hs2')).length;
const duplicateStun = (t: Timeline): number => t.stunIds.length - new Set(t.stunIds).size;

test('setup on a 20 ms RTT path takes a handful of round trips and never waits for a timer', () => {
  withSeed(61, (sim) => {
    // delayMs per access link: one way = up + down = 10 ms, RTT 20 ms; signalling 1 ms each way.
    const { t, elapsed } = setup(sim, 5, 1, 1);
    // The offer reaches p2 at 1 ms and p2's first check leaves with it (no pacing wait); its success
    // at 21 selects the pair provisionally and the ClientHello leaves (no wait for p1's nomination);
    // DTLS 2 RTT (p1 connected at 51, p2 at 61); SCTP INIT/INIT-ACK + COOKIE-ECHO/ACK 2 RTT from
    // p1's INIT (p1 open at 91); DCEP OPEN 1/2 RTT (p2 open at 101). Before issue 6: 112.
    assert.ok(elapsed <= 105, `open on both sides after ${elapsed} ms (RTT 20 ms)`);
    assert.equal(clientHellos(t), 1, 'one ClientHello, never retransmitted');
    assert.equal(serverHellos(t), 1, 'one server flight');
    assert.equal(duplicateStun(t), 0, 'no STUN retransmission');
  });
});

test('a ClientHello that overtakes the answer is kept, and the server flight waits for a valid pair: no retransmission', () => {
  withSeed(62, (sim) => {
    // The answer reaches the offerer 60 ms after the answerer's checks and ClientHello do.
    const { t, elapsed } = setup(sim, 5, 1, 60);
    const firstHello = t.dtls.find((d) => d.kinds.includes('hs1'));
    assert.ok(firstHello && t.answerAppliedAt !== undefined);
    assert.ok(firstHello.at < t.answerAppliedAt, `the ClientHello left at ${firstHello.at} ms, before the answer was applied at ${t.answerAppliedAt} ms`);
    // p1 had not checked the pair when p2 sent it, but p1's offer says it keeps such DTLS
    // (a=x-early-dtls): p2 does not send it again at p1's nomination (the next test plays a peer
    // that drops it, early-data.ts).
    const hellos = t.dtls.filter((d) => d.kinds.includes('hs1')).map((d) => d.at);
    assert.equal(hellos.length, 1, `ClientHellos at ${hellos.join(', ')} ms`);
    assert.equal(serverHellos(t), 1, 'the early ClientHello was answered once');
    // p1's flight waited for its own check; the success that made the pair valid also sends p1's
    // nominating check: the flight leaves first, since p2's DTLS waits for it (early-data.ts).
    const p1Sent = t.sent.filter((d) => d.from === 'p1');
    const flight = p1Sent.findIndex((d) => d.kind.includes('hs2'));
    const nominate = p1Sent.findIndex((d) => d.kind === 'nominate');
    assert.ok(flight >= 0 && nominate >= 0);
    assert.equal(p1Sent[flight]?.at, p1Sent[nominate]?.at, 'both leave with the check success');
    assert.ok(flight < nominate, `p1 sent ${p1Sent.map((d) => `${d.kind}@${d.at}`).join(' ')}`);
    // Answer at 60 ms, then our check 1 RTT (the server flight leaves with its success), DTLS 1.5 RTT
    // left, SCTP 2 RTT, DCEP: about 61 + 5 RTT.
    assert.ok(elapsed <= 61 + 110, `open after ${elapsed} ms`);
  });
});

test('a lost ClientHello costs the 100 ms first DTLS retransmission, not 1 s', () => {
  withSeed(63, (sim) => {
    // Hosts are made inside setup(): drop the first ClientHello on whichever up-link carries it.
    let dropped = false;
    const host = sim.host.bind(sim);
    sim.host = (o) => {
      const h = host(o);
      h.link.up.dropWhere((p: Datagram) => {
        const first = p.data[0] as number;
        if (dropped || first < 20 || first > 63 || !dtlsKinds(p.data).includes('hs1')) return false;
        return (dropped = true);
      });
      return h;
    };
    const { t, elapsed } = setup(sim, 5, 1, 1);
    assert.ok(dropped);
    const hellos = t.dtls.filter((d) => d.kinds.includes('hs1')).map((d) => d.at);
    assert.equal(hellos.length, 2, `ClientHellos at ${hellos.join(', ')} ms`);
    assert.equal((hellos[1] as number) - (hellos[0] as number), 100, 'retransmitted after 100 ms');
    assert.equal(serverHellos(t), 1);
    assert.ok(elapsed <= 130 + 100, `open after ${elapsed} ms: the lossless setup plus the 100 ms timer`);
  });
});

test('a peer that drops DTLS until its ICE is connected (libdatachannel) gets the early ClientHello again at its nomination', () => {
  withSeed(64, (sim) => {
    // p1 (offerer, DTLS server) gets the answer 60 ms late and, like libdatachannel, has no DTLS
    // transport before its own check succeeded (one RTT after the answer): what arrives before is lost.
    // Its offer goes without rtcpeer's a=x-early-dtls, which libdatachannel does not write.
    const times: { answer?: number } = {};
    let lost = 0;
    const host = sim.host.bind(sim);
    sim.host = (o) => {
      const h = host(o);
      if (o?.name === 'p1') {
        h.link.down.dropWhere((p: Datagram) => {
          const first = p.data[0] as number;
          const early = times.answer === undefined || sim.now < times.answer + 20;
          return first >= 20 && first <= 63 && early && ++lost > 0;
        });
      }
      return h;
    };
    const { t, elapsed } = setupWith(sim, 5, 1, 60, times, (sdp) => sdp.replace('a=x-early-dtls\r\n', ''));
    assert.ok(lost >= 1, 'the first ClientHello was lost');
    const hellos = t.dtls.filter((d) => d.kinds.includes('hs1')).map((d) => d.at);
    assert.equal(hellos.length, 2, `ClientHellos at ${hellos.join(', ')} ms`);
    assert.ok((hellos[1] as number) - (hellos[0] as number) < 100, 'sent again at the nomination, before the 100 ms DTLS timer');
    assert.equal(serverHellos(t), 1);
    assert.ok(elapsed <= 61 + 110, `open after ${elapsed} ms`);
  });
});

/** The same setup (seed, 20 ms RTT, the answer `toP1` ms late) without SPED and with it. */
function withAndWithout(seed: number, toP1: number) {
  const run = (stack: StackOptions): ReturnType<typeof setup> => {
    let out: ReturnType<typeof setup> | undefined;
    withSeed(seed, (sim) => void (out = setup(sim, 5, 1, toP1, stack)));
    assert.ok(out);
    return out;
  };
  return { plain: run(PLAIN), sped: run({}) };
}

test('SPED: the ClientHello rides in the first check, the server flight in its response: one round trip less', () => {
  const { plain, sped: { t, elapsed } } = withAndWithout(65, 1);
  // The ClientHello rides again in p2's answer to p1's first check (not acknowledged yet), always
  // the same bytes: one DTLS transmission, no retransmission, never plain.
  const hellos = t.dtls.filter((d) => d.kinds.includes('hs1'));
  assert.ok(hellos.every((d) => d.embedded && d.from === 'p2'), JSON.stringify(hellos));
  assert.equal(new Set(hellos.map((d) => d.bytes)).size, 1, 'one ClientHello');
  assert.equal(hellos[0]?.at, 1, "in p2's first check, which leaves with the offer");
  const flights = t.dtls.filter((d) => d.kinds.includes('hs2'));
  // It rides again in p1's nominating check, which the success making the pair valid sends; p2 drops the resend.
  assert.ok(flights.every((d) => d.embedded && d.from === 'p1'), 'never plain');
  assert.equal(new Set(flights.map((d) => d.bytes)).size, 1, 'one server flight');
  assert.equal(flights[0]?.at, 11, 'in the response to the first check');
  assert.equal(duplicateStun(t), 0, 'no STUN retransmission');
  assert.ok(elapsed + 20 <= plain.elapsed, `open after ${elapsed} ms with SPED, ${plain.elapsed} ms without (RTT 20 ms)`);
});

test('SPED: an offerer without the answer yet starts its DTLS server on the embedded ClientHello', () => {
  const { plain, sped: { t, elapsed } } = withAndWithout(66, 60);
  const flight = t.dtls.find((d) => d.kinds.includes('hs2'));
  assert.ok(flight?.embedded && t.answerAppliedAt !== undefined);
  assert.ok(flight.at < t.answerAppliedAt, `the server flight left at ${flight.at} ms, before the answer was applied at ${t.answerAppliedAt} ms`);
  assert.equal(t.dtls.filter((d) => d.kinds.includes('hs2')).length, 1);
  assert.equal(new Set(t.dtls.filter((d) => d.kinds.includes('hs1')).map((d) => d.bytes ?? 'plain')).size, 1);
  assert.ok(elapsed < plain.elapsed, `open after ${elapsed} ms with SPED, ${plain.elapsed} ms without`);
});

test('SPED on lossy links (10% loss per link, duplicates, reordering): every seed opens both channels, with or without SPED', () => {
  for (let seed = 200; seed < 240; seed++) {
    for (const stack of [{}, PLAIN]) {
      withSeed(seed, (sim) => {
        const host = sim.host.bind(sim);
        sim.host = (o) => host({ ...o, link: { ...o?.link, loss: 0.1, duplicate: 0.05, reorder: 0.05 } });
        const { open, elapsed } = setup(sim, 5, 1, seed % 2 === 0 ? 1 : 60, stack);
        assert.ok(open.p1 >= 0 && open.p2 >= 0 && elapsed < 10_000, `seed ${seed} ${JSON.stringify(stack)}: open ${open.p1}/${open.p2}`);
      });
    }
  }
});

const isStunSuccess = (d: Uint8Array): boolean => d[0] === 0x01 && d[1] === 0x01;

/** sim.host that loses p2's Binding success responses (so p1's checks get no answer) until `untilMs`. */
function loseP2Successes(sim: Sim, untilMs: number): void {
  const host = sim.host.bind(sim);
  sim.host = (o) => {
    const h = host(o);
    if (o?.name === 'p2') h.link.up.dropWhere((p: Datagram) => sim.now < untilMs && isStunSuccess(p.data));
    return h;
  };
}

test('flights DTLS sends again while no pair is valid replace the copies waiting for one: the server flight leaves once', () => {
  withSeed(68, (sim) => {
    // p1's checks get no answer for the first second while p2's pair is valid: p2's ClientHello and
    // its retransmissions reach p1, whose server flight (and each flight it sends again) waits.
    loseP2Successes(sim, 1000);
    const { t, open } = setup(sim, 5, 1, 1);
    assert.ok(open.p1 > 1000 && open.p2 > 1000);
    assert.ok(clientHellos(t) >= 3, `${clientHellos(t)} ClientHellos`);
    // One flight when the pair became valid, and at most one more: the answer to the ClientHello that
    // crossed it (before the fix, every flight sent while waiting left at once, 5 here).
    const flights = t.dtls.filter((d) => d.from === 'p1' && d.kinds.includes('hs2')).map((d) => d.at);
    assert.equal(flights.filter((at) => at === flights[0]).length, 1, `server flights at ${flights.join(', ')} ms`);
    assert.ok(flights.length <= 2, `server flights at ${flights.join(', ')} ms`);
  });
});

test("a peer's check on a pair whose own check had to be retransmitted triggers a new check at once (RFC 8445 §7.3.1.4)", () => {
  withSeed(69, (sim) => {
    // p1's checks get no answer for 4 s: its transaction backs off to 1.6 s between requests. p2's
    // pair is valid from the start; its next check (consent, 4 to 6 s later) crosses a working path.
    loseP2Successes(sim, 4000);
    const { t, open } = setup(sim, 5, 1, 1);
    const p2Check = t.sent.find((d) => d.from === 'p2' && d.at >= 4000 && (d.kind === 'check' || d.kind === 'nominate'));
    assert.ok(p2Check, t.sent.map((d) => `${d.from}:${d.kind}@${d.at}`).join(' '));
    const arrives = p2Check.at + 10;
    const p1Next = t.sent.find((d) => d.from === 'p1' && d.at >= arrives && (d.kind === 'check' || d.kind === 'nominate'));
    assert.ok(p1Next && p1Next.at <= arrives + 50, `p2's check reached p1 at ${arrives} ms, p1's next check left at ${p1Next?.at} ms`);
    assert.ok(Math.max(open.p1, open.p2) <= arrives + 200, `open at ${open.p1}/${open.p2} ms`);
  });
});

test("SPED: a DTLS server's last flight rides in its checks until the client has it (a late answer)", () => {
  const { plain, sped: { t, elapsed } } = withAndWithout(67, 60);
  // p2's client flight reached p1 at 21 ms; p1 can check p2's certificate only with the answer, so
  // its handshake ends then, before its first check, which carries the ChangeCipherSpec/Finished.
  const answer = t.answerAppliedAt;
  const last = t.dtls.filter((d) => d.from === 'p1' && d.kinds.includes('20e0'));
  assert.ok(answer !== undefined && last[0] !== undefined);
  assert.ok(last[0].embedded && last[0].at === answer, `p1's last flight left at ${last[0].at} ms (${last[0].embedded ? 'embedded' : 'plain'}), the answer was applied at ${answer} ms`);
  assert.ok(elapsed + 20 <= plain.elapsed, `open after ${elapsed} ms with SPED, ${plain.elapsed} ms without (RTT 20 ms)`);
});

test("DTLS from the peer on a pair whose own check had to be retransmitted triggers a new check at once", () => {
  withSeed(70, (sim) => {
    // p1's checks get no answer for 3 s; p2's pair is valid, and its DTLS client resends its
    // ClientHello on its own timer (100, 200, 400 ms ...), which reaches p1 over the working path.
    loseP2Successes(sim, 3000);
    const { t, open } = setup(sim, 5, 1, 1);
    const p1Checks = t.sent.filter((d) => d.from === 'p1' && (d.kind === 'check' || d.kind === 'nominate')).map((d) => d.at);
    const retransmitted = p1Checks[1] as number; // p1's first check again, 500 ms after it
    const hello = t.sent.find((d) => d.from === 'p2' && d.kind.includes('hs1') && d.at + 10 > retransmitted);
    assert.ok(hello, t.sent.map((d) => `${d.from}:${d.kind}@${d.at}`).join(' '));
    const arrives = hello.at + 10;
    const next = p1Checks.find((at) => at >= arrives);
    assert.ok(next !== undefined && next <= arrives + 50, `p2's ClientHello reached p1 at ${arrives} ms, p1's next check left at ${next} ms (checks at ${p1Checks.join(', ')})`);
    assert.ok(open.p1 > 3000 && open.p2 > 3000);
  });
});

test('a flight lost just after the pair became usable is resent at the initial DTLS timeout, not a backed-off one', () => {
  withSeed(71, (sim) => {
    // p1 has no valid pair for 6 s, while its DTLS server's timer keeps doubling (to 3.2 s) over
    // flights that wait; the first flight it sends once the pair is valid is lost. Before the
    // reset, the next one left 3.1 s later.
    const until = 6000;
    loseP2Successes(sim, until);
    let lost = false;
    const host = sim.host.bind(sim);
    sim.host = (o) => {
      const h = host(o);
      if (o?.name === 'p1') h.link.up.dropWhere((p: Datagram) => !lost && sim.now >= until && p.data[0] === 22 && dtlsKinds(p.data).includes('hs2') && (lost = true));
      return h;
    };
    const { t, open } = setup(sim, 5, 1, 1);
    assert.ok(lost);
    const flights = t.dtls.filter((d) => d.from === 'p1' && d.kinds.includes('hs2') && d.at >= until).map((d) => d.at);
    assert.ok(flights.length >= 2 && (flights[1] as number) - (flights[0] as number) <= 150, `p1's server flights after 6 s at ${flights.join(', ')} ms`);
    assert.ok(Math.max(open.p1, open.p2) <= (flights[0] as number) + 300, `open at ${open.p1}/${open.p2} ms`);
  });
});
