// Regression: the usual Godot flow calls createOffer() right after initialize(), before the node
// binding's UDP sockets have bound. Gathering used to run at once with no host candidate, announce
// gathering-complete, and never ask the STUN servers from the sockets bound afterwards: no srflx.
// A loopback UDP socket stands in for the STUN server and answers with a made-up mapped address
// (198.18.0.0/15, never contacted: it only appears as the srflx candidate's text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { setTimeout as delay } from 'node:timers/promises';
import { WebRTCPeerConnection, GodotError } from '../../../src/facade/index.js';
import { nodeBinding } from '../../../src/facade/node-binding.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { attr, decodeStun, encodeStun, successResponse } from '../../../src/stun/index.js';

test('createOffer() right after initialize(): STUN servers are still asked from every host socket and a srflx candidate is trickled before end of gathering', async () => {
  const server = createSocket('udp4');
  let requests = 0;
  server.on('message', (m, rinfo) => {
    const req = decodeStun(new Uint8Array(m));
    if (req.cls !== 'request') return;
    requests++;
    const res = encodeStun(successResponse(req, [attr('xorMappedAddress', { address: '198.18.7.7', port: 40000 })]), { fingerprint: true }, nodeCrypto);
    server.send(res, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  const pc = new WebRTCPeerConnection({ env: nodeBinding({ addresses: ['127.0.0.1'] }) });
  const candidates: string[] = [];
  pc.connect('ice_candidate_created', (_mid: string, _index: number, cand: string) => candidates.push(cand));
  pc.connect('session_description_created', (type: string, sdp: string) => pc.setLocalDescription(type, sdp));
  try {
    assert.equal(pc.initialize({ iceServers: [{ urls: `stun:127.0.0.1:${server.address().port}` }] }), GodotError.OK);
    assert.equal(pc.createOffer(), GodotError.OK); // no wait: the sockets are not bound yet
    const end = Date.now() + 5000;
    while (!candidates.some((c) => c.includes(' typ srflx')) && Date.now() < end) {
      pc.poll();
      await delay(5);
    }
    assert.ok(requests > 0, 'the STUN server was asked');
    assert.ok(candidates.some((c) => c.includes(' typ host')), `a host candidate: ${candidates.join(' | ')}`);
    assert.ok(candidates.some((c) => / 198\.18\.7\.7 40000 typ srflx raddr 127\.0\.0\.1 /.test(c)), `a srflx candidate: ${candidates.join(' | ')}`);
  } finally {
    pc.close();
    server.close();
  }
});
