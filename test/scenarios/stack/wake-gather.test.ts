// The wake callback (rtcpeer extension) must fire when the shell finishes work on its own: sockets
// that bind asynchronously (a port range, a shared socket) do so after createOffer(), and the host
// candidates gathered then are only seen by a poll. A user who polls on wakes (no frame loop) must be
// woken for them, or its candidates leave with the next unrelated wake (issue 6: 2 to 5 ms later in
// the setup benchmark). A connection's own sockets on an IP literal bind inside initialize() instead:
// its offer has its host candidates at the first poll.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GodotError, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { nodeBinding } from '../../../src/facade/node-binding.js';

test('a wake follows the host candidates gathered after createOffer(), with nothing else to poll for', async () => {
  // a port range binds asynchronously (each port is tried in turn)
  const pc = new WebRTCPeerConnection({ env: nodeBinding({ addresses: ['127.0.0.1'], port: { min: 41000, max: 41999 } }) });
  const candidates: string[] = [];
  pc.connect('session_description_created', (type: string, sdp: string) => pc.setLocalDescription(type, sdp));
  pc.connect('ice_candidate_created', (_media: string, _index: number, name: string) => candidates.push(name));
  try {
    assert.ok(pc.createDataChannel('x'));
    let woken: () => void = () => {};
    pc.setWakeCallback(() => woken());
    assert.equal(pc.createOffer(), GodotError.OK);
    pc.poll(); // the poll a user makes after its own call: the offer, no candidate yet
    // Only wakes may lead to polls here: a timeout fails the test instead of polling.
    for (let wakes = 0; candidates.length === 0; wakes++) {
      assert.ok(wakes < 20, 'twenty wakes and still no candidate');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (woken = resolve)),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no wake within 2 s, with the candidates waiting')), 2_000))),
      ]).finally(() => clearTimeout(timer));
      pc.poll();
    }
    assert.match(candidates[0] ?? '', / 127\.0\.0\.1 /);
  } finally {
    pc.setWakeCallback(null);
    pc.close();
  }
});

test("own sockets on an IP literal are bound inside initialize(): the first poll after createOffer() has the offer with its host candidate", () => {
  const pc = new WebRTCPeerConnection({ env: nodeBinding({ addresses: ['127.0.0.1'] }) });
  const offers: string[] = [];
  pc.connect('session_description_created', (type: string, sdp: string) => {
    pc.setLocalDescription(type, sdp);
    offers.push(sdp);
  });
  try {
    assert.ok(pc.createDataChannel('x'));
    assert.equal(pc.createOffer(), GodotError.OK);
    pc.poll(); // in the same job: no tick for a bind to complete
    assert.equal(offers.length, 1);
    assert.match(offers[0] ?? '', /a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/);
  } finally {
    pc.close();
  }
});
