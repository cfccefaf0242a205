// SnapNegotiation (src/stack/snap.ts): which a=sctp-init our descriptions carry and when both INITs
// are used, over a whole negotiation and a renegotiation (draft-hancke-tsvwg-snap §5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../core/logger.js';
import { SeededRng } from '../core/rng.js';
import { SctpAssociation, isSnapInit } from '../sctp/index.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { SnapNegotiation } from './snap.js';

function codec(seed: number) {
  const rng = new SeededRng(seed);
  let made = 0;
  return { made: () => made, codec: { init: () => (made++, SctpAssociation.snapInit({ rng, crypto: nodeCrypto })), valid: isSnapInit } };
}

test('offerer: its INIT in every offer; SNAP when the answer has a valid INIT of the peer', () => {
  const c = codec(1);
  const s = new SnapNegotiation(c.codec, silentLogger);
  const offer = s.localFor('offer', undefined);
  assert.ok(offer && isSnapInit(offer));
  assert.equal(s.localFor('offer', undefined), offer, 'made once');
  assert.equal(c.made(), 1);
  const peer = SctpAssociation.snapInit({ rng: new SeededRng(2), crypto: nodeCrypto });
  assert.deepEqual(s.take(peer), { local: offer, remote: peer });
  assert.equal(s.localFor('offer', undefined), offer, 'a later offer repeats it (§5.5)');
});

test('offerer: an answer without the line, with junk, or with our own INIT echoed (as is or re-encoded): normal handshake, and no line in later offers', () => {
  for (const answer of ['none', 'junk', 'echo', 'echo re-encoded'] as const) {
    const s = new SnapNegotiation(codec(3).codec, silentLogger);
    const offer = s.localFor('offer', undefined) as Uint8Array;
    // 'echo re-encoded': our INIT with 2 bytes of padding after it, a different byte string with our tag
    const remote = answer === 'none' ? undefined : answer === 'junk' ? Uint8Array.of(1, 2, 3) : answer === 'echo' ? offer.slice() : Uint8Array.of(...offer, 0, 0);
    assert.equal(s.take(remote), undefined, answer);
    assert.equal(s.localFor('offer', undefined), undefined, `${answer}: the association runs without SNAP for good`);
  }
});

test('answerer: its INIT only in answers to an offer with a valid INIT; none made otherwise', () => {
  const c = codec(4);
  const s = new SnapNegotiation(c.codec, silentLogger);
  assert.equal(s.localFor('answer', undefined), undefined);
  assert.equal(s.localFor('answer', Uint8Array.of(1, 0, 0, 4)), undefined);
  assert.equal(c.made(), 0, 'no INIT made for a peer without SNAP');
  const peer = SctpAssociation.snapInit({ rng: new SeededRng(5), crypto: nodeCrypto });
  const mine = s.localFor('answer', peer);
  assert.ok(mine);
  assert.deepEqual(s.take(peer), { local: mine, remote: peer });
  // renegotiation: a re-offer without the line is still answered with the same INIT (§5.5)
  assert.equal(s.localFor('answer', undefined), mine);
});

test('off (no codec: PeerStackOptions.sctpSnap false, or layers without SNAP): never a line, never SNAP', () => {
  const s = new SnapNegotiation(undefined, silentLogger);
  const peer = SctpAssociation.snapInit({ rng: new SeededRng(6), crypto: nodeCrypto });
  assert.equal(s.localFor('offer', undefined), undefined);
  assert.equal(s.localFor('answer', peer), undefined);
  assert.equal(s.take(peer), undefined);
});
