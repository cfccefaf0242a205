// PeerStack.prepare(): the SCTP association is made in idle time, while the peer works on our DTLS
// flight, not when the handshake completes (issue 6 setup). Here the offerer's DTLS server begins on
// the ClientHello embedded in the answerer's first check (SPED), before the offerer has the answer:
// the association can only be made from the answer, so it is made at the first prepare() after it.
// The whole real stack on the simulator's virtual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSeed } from '../../sim/index.js';
import type { Sim } from '../../sim/index.js';
import { WebRTCDataChannel, createPeerConnection } from '../../../src/facade/index.js';
import type { PeerStack } from '../../../src/stack/peer-stack.js';
import type { StackLayers } from '../../../src/stack/ports.js';
import { simEnv } from './sim-env.js';

/** Signalling through the simulator, `delayMs` late. */
function signal(sim: Sim, name: string, delayMs: number): (apply: () => void) => void {
  const dir = sim.direction<{ data: Uint8Array; apply: () => void }>(name, { delayMs }, (s) => s.apply(), () => name);
  return (apply) => dir.send(sim.now, { data: new Uint8Array(0), apply });
}

/** Wraps the stack's layers and prepare() to record, per association made, whether prepare() made it. */
function watched(made: boolean[]): (layers: StackLayers, build: (l: StackLayers) => PeerStack) => PeerStack {
  return (layers, build) => {
    let inPrepare = false;
    const s = build({ ...layers, createSctp: (o) => (made.push(inPrepare), layers.createSctp(o)) });
    const prepare = s.prepare.bind(s);
    s.prepare = (now) => {
      inPrepare = true;
      try {
        prepare(now);
      } finally {
        inPrepare = false;
      }
    };
    return s;
  };
}

test('a DTLS server that began before the answer makes its SCTP association ahead, once the answer is in', () => {
  withSeed(81, (sim) => {
    const h1 = sim.host({ name: 'p1', link: { delayMs: 5 } });
    const h2 = sim.host({ name: 'p2', link: { delayMs: 5 } });
    const made1: boolean[] = [];
    const made2: boolean[] = [];
    const stack = { dtlsInStun: true };
    const p1 = createPeerConnection({ env: simEnv(sim, h1, { stack, observe: watched(made1) }) });
    const p2 = createPeerConnection({ env: simEnv(sim, h2, { stack, observe: watched(made2) }) });
    const to2 = signal(sim, 'sig p1->p2', 1);
    const to1 = signal(sim, 'sig p2->p1', 15); // the answer comes after p2's first check (10 ms one way)
    let answerAt = -1;
    let p1ServerBegan = -1;
    p1.connect('session_description_created', (type, sdp) => to2(() => p2.setRemoteDescription(type, sdp)));
    p1.connect('ice_candidate_created', (m, i, c) => to2(() => p2.addIceCandidate(m, i, c)));
    p2.connect('session_description_created', (type, sdp) =>
      to1(() => {
        answerAt = sim.now;
        p1.setRemoteDescription(type, sdp);
      }),
    );
    p2.connect('ice_candidate_created', (m, i, c) => to1(() => p1.addIceCandidate(m, i, c)));
    h1.link.up.tap((p, now) => {
      if (p1ServerBegan < 0 && answerAt < 0 && p.data.length > 600) p1ServerBegan = now; // its flight, inside a response
    });
    let remote: WebRTCDataChannel | undefined;
    p2.connect('data_channel_received', (c) => (remote = c));
    const ch = p1.createDataChannel('ahead');
    assert.ok(ch);
    p1.createOffer();
    sim.runUntil(
      () => {
        p1.poll();
        p2.poll();
        return ch.getReadyState() === WebRTCDataChannel.STATE_OPEN && remote?.getReadyState() === WebRTCDataChannel.STATE_OPEN;
      },
      { maxMs: 5000 },
    ); // throws unless both ends open
    assert.ok(p1ServerBegan >= 0 && p1ServerBegan < answerAt, `p1's server flight left at ${p1ServerBegan} ms, the answer came at ${answerAt} ms`);
    assert.deepEqual(made1, [true], 'p1: one association, made by prepare() (after the answer), and it connected');
    assert.deepEqual(made2, [true], 'p2 (the client): made by prepare() too, while p1 answered its flight');
  });
});
