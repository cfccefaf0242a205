// The SCTP handshake in fewer trips (issue 6), association against association: an INIT answered
// before connect() is not crossed by our own; DATA queued before the association is up rides with the
// COOKIE-ECHO (RFC 9260 §5.1 C) and is resent with it by T1-cookie; COOKIE-ACK is the first chunk of
// its packet (§5.1 D) even when a SACK and DATA answer the bundled DATA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pair } from '../sctp/pump.js';

const INIT = 1;
const COOKIE_ECHO = 10;
const COOKIE_ACK = 11;
const DATA = 0;
const SACK = 3;

function chunkTypes(d: Uint8Array): number[] {
  const out: number[] = [];
  for (let o = 12; o + 4 <= d.length; ) {
    out.push(d[o] as number);
    const len = ((d[o + 2] as number) << 8) | (d[o + 3] as number);
    if (len < 4) break;
    o += (len + 3) & ~3;
  }
  return out;
}

/** A pair whose packets are recorded (time, sender, chunk types) before the link sees them. */
function recorded(seed: number, drop?: (side: 0 | 1, types: number[]) => boolean) {
  const p = new Pair(seed);
  const log: { at: number; from: 0 | 1; types: number[] }[] = [];
  for (const side of [0, 1] as const) {
    p.links[side] = {
      delay: 5,
      filter: (d, now) => {
        const types = chunkTypes(d);
        log.push({ at: now, from: side, types });
        return drop?.(side, types) ?? false;
      },
    };
  }
  return { p, log };
}

test('connect() after answering the peer INIT sends no INIT of its own: no collision, one cookie', () => {
  const { p, log } = recorded(31);
  p.a.connect(0);
  for (let pkt = p.a.pollTransmit(); pkt; pkt = p.a.pollTransmit()) p.b.handleInput(0, pkt); // INIT in hand
  p.b.connect(0); // what the stack does once the DTLS events of the batch are handled
  p.drain();
  p.runUntil(() => p.connected(0) && p.connected(1));
  assert.equal(log.filter((l) => l.types.includes(INIT)).length, 0, 'b sent no INIT');
  assert.equal(log.filter((l) => l.types.includes(COOKIE_ECHO)).length, 1, 'one COOKIE-ECHO, from a');
  assert.equal(p.now, 15, 'INIT-ACK at a 5, COOKIE-ECHO at b 10, COOKIE-ACK at a 15: no extra round trip');
});

test('without an INIT in hand connect() sends its INIT at once, and crossing INITs still connect', () => {
  const { p, log } = recorded(32);
  p.connectBoth();
  assert.equal(log.filter((l) => l.types.includes(INIT)).length, 2);
  assert.equal(p.a.state, 'established');
  assert.equal(p.b.state, 'established');
});

test('DATA queued before the association is up rides with the COOKIE-ECHO; COOKIE-ACK comes first, then SACK and DATA', () => {
  const { p, log } = recorded(33);
  p.a.connect(0);
  p.a.send(0, 1, 50, Uint8Array.of(3, 0, 0, 0)); // a DCEP OPEN would be queued so
  p.drain();
  let answeredAt = -1;
  p.onEvent = (side, e) => {
    if (side === 1 && e.type === 'message') {
      answeredAt = p.now;
      p.b.send(p.now, 1, 50, Uint8Array.of(2)); // the DCEP ACK
    }
  };
  p.runUntil(() => p.messages(0).length === 1 && p.connected(0));
  const echo = log.find((l) => l.types[0] === COOKIE_ECHO);
  assert.deepEqual(echo?.types, [COOKIE_ECHO, DATA], 'DATA bundled after the COOKIE-ECHO');
  assert.equal(answeredAt, 15, 'b had the message with the cookie: INIT 0, INIT-ACK 5, COOKIE-ECHO 10, arrives 15');
  const fromB = log.filter((l) => l.from === 1 && l.at === 15).map((l) => l.types);
  // this pair drains b's packets before its events (the answer), so the COOKIE-ACK leaves alone
  // here; the stack handles events first and sends all three in one packet (sctp-setup-trips)
  assert.deepEqual(fromB, [[COOKIE_ACK], [SACK, DATA]], 'COOKIE-ACK first (§5.1 D), then the SACK with the answer');
  assert.equal(p.now, 20, 'a established and had the answer at 20');
  assert.equal(p.a.stats.outstanding, 0, 'the bundled DATA was acked by that SACK');
  assert.equal(p.a.stats.retransmissions, 0);
});

test('a lost COOKIE-ECHO takes its DATA along: T1-cookie resends both, no T3 wait after the association is up', () => {
  let dropped = 0;
  const { p, log } = recorded(34, (side, types) => side === 0 && types[0] === COOKIE_ECHO && dropped++ < 2);
  p.a.connect(0);
  p.a.send(0, 1, 51, new TextEncoder().encode('early'));
  p.drain();
  p.runUntil(() => p.messages(1).length === 1 && p.connected(0));
  const echoes = log.filter((l) => l.from === 0 && l.types[0] === COOKIE_ECHO);
  assert.equal(echoes.length, 3);
  for (const e of echoes) assert.deepEqual(e.types, [COOKIE_ECHO, DATA]);
  const third = echoes[2]?.at as number;
  assert.ok(third >= 10 + 500 + 1000, `T1 backed off: third COOKIE-ECHO at ${third} ms`);
  assert.equal(new TextDecoder().decode(p.messages(1)[0]?.data), 'early');
  const bUp = p.events[1].findIndex((e) => e.type === 'connected');
  assert.equal(p.events[1][bUp + 1]?.type, 'message', 'the message came with the cookie that established b');
  p.runUntil(() => p.a.stats.outstanding === 0);
  assert.equal(p.a.stats.retransmissions, 2, 'the two resends counted as retransmissions');
  assert.equal(log.filter((l) => l.from === 0 && l.types[0] === DATA).length, 0, 'no T3 retransmission of the DATA');
});

test('DATA sent after the COOKIE-ECHO left waits for the COOKIE-ACK (one packet until then, §5.1 C)', () => {
  const { p, log } = recorded(35);
  p.a.connect(0);
  p.drain();
  p.onEvent = (side, e) => {
    if (side === 0 && e.type === 'cookie-echoed') p.a.send(p.now, 1, 51, Uint8Array.of(9));
  };
  p.runUntil(() => p.messages(1).length === 1);
  const fromA = log.filter((l) => l.from === 0).map((l) => l.types);
  // Pair drains transmits before events: the COOKIE-ECHO was built before the send
  assert.deepEqual(fromA, [[INIT], [COOKIE_ECHO], [DATA]]);
  const dataAt = log.find((l) => l.from === 0 && l.types[0] === DATA)?.at;
  assert.equal(dataAt, 20, 'after the COOKIE-ACK arrived at 20');
});

test('our INIT-ACK lost after connect() held our INIT back: our own INIT leaves at T1, not at the peer T1-init', () => {
  // a's T1-init is 3 s (usrsctp's default RTO), ours 500 ms
  const p = new Pair(36, [{ rtoInitial: 3000, rtoMax: 60000 }, {}]);
  const log: { at: number; from: 0 | 1; types: number[] }[] = [];
  let lost = 0;
  p.links[1] = { delay: 5, filter: (d, now) => (log.push({ at: now, from: 1, types: chunkTypes(d) }), chunkTypes(d)[0] === 2 && lost++ === 0) };
  p.a.connect(0);
  for (let pkt = p.a.pollTransmit(); pkt; pkt = p.a.pollTransmit()) p.b.handleInput(0, pkt);
  p.b.connect(0);
  p.drain();
  p.runUntil(() => p.connected(0) && p.connected(1), 10_000);
  const bInit = log.find((l) => l.types[0] === INIT);
  assert.equal(bInit?.at, 500, 'b sent its INIT at its T1');
  assert.ok(p.now < 600, `connected at ${p.now} ms, long before a's T1-init at 3000`);
});

test('a COOKIE-ECHO in time cancels the held-back INIT', () => {
  const { p, log } = recorded(37);
  p.a.connect(0);
  for (let pkt = p.a.pollTransmit(); pkt; pkt = p.a.pollTransmit()) p.b.handleInput(0, pkt);
  p.b.connect(0);
  p.drain();
  p.runUntil(() => p.connected(0) && p.connected(1));
  p.runUntil(() => p.now >= 5000, 6000);
  assert.equal(log.filter((l) => l.types.includes(INIT)).length, 0, 'b never sent an INIT');
});
