// Every captured fixture (test/vectors/sdp, origin in SOURCES.md) parses to the values it carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSdp } from './index.js';
import type { DataChannelSdp } from './index.js';

const dir = new URL('../../test/vectors/sdp/', import.meta.url);

function load(name: string): DataChannelSdp {
  const r = parseSdp(readFileSync(new URL(name, dir), 'utf8'));
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

test('chromium offer: media-level ice/fingerprint, sctp-port, 262144', () => {
  const s = load('chromium/chrome-offer.sdp');
  const dc = s.dataChannel;
  assert.equal(dc.legacy, false);
  assert.equal(dc.proto, 'UDP/DTLS/SCTP');
  assert.equal(dc.mid, '0');
  assert.equal(dc.port, 57188);
  assert.equal(dc.connectionAddress, '198.18.1.2');
  assert.deepEqual(dc.ice, { ufrag: 'oNRO', pwd: 'b7qs9Prbe5+bz9Tz4vRIj66J', options: ['trickle'] });
  assert.deepEqual(dc.fingerprints, [
    { algorithm: 'sha-256', value: '4D:E0:9F:E7:00:74:D0:EE:EE:1C:2E:78:1E:87:B1:BF:8C:3E:E4:FE:AB:49:D0:C4:83:F3:7A:FD:E2:6F:70:44' },
  ]);
  assert.equal(dc.setup, 'actpass');
  assert.equal(dc.sctpPort, 5000);
  assert.equal(dc.maxMessageSize, 262144);
  assert.deepEqual(dc.candidates, ['candidate:3318315690 1 udp 2113937151 198.18.1.2 57188 typ host generation 0 network-cost 999']);
  assert.equal(dc.endOfCandidates, false);
  assert.deepEqual(s.bundle, ['0']);
  assert.equal(s.iceLite, false);
  assert.equal(s.origin.sessionId, '2190862390062536883');
});

test('chromium answer (mdns): .local candidate, port 9, setup active', () => {
  const dc = load('chromium/mdns/chrome-answer.sdp').dataChannel;
  assert.equal(dc.setup, 'active');
  assert.equal(dc.port, 9);
  assert.equal(dc.connectionAddress, '0.0.0.0');
  assert.match(dc.candidates[0] ?? '', /87605dc3-1ac3-4e63-9cac-3de5099c580d\.local 58000 typ host/);
  assert.equal(load('chromium/chrome-answer.sdp').dataChannel.ice.ufrag, 'cxNd');
});

test('firefox: session-level fingerprint and ice-options, 1073741823, tcp candidate kept, end-of-candidates', () => {
  for (const [name, setup, fp] of [
    ['firefox/offer.sdp', 'actpass', '13:22:A3:55'],
    ['firefox/answer.sdp', 'active', 'EE:53:71:C6'],
  ] as const) {
    const dc = load(name).dataChannel;
    assert.equal(dc.setup, setup);
    assert.equal(dc.fingerprints.length, 1);
    assert.ok(dc.fingerprints[0]?.value.startsWith(fp));
    assert.deepEqual(dc.ice.options, ['trickle']);
    assert.equal(dc.maxMessageSize, 1073741823);
    assert.equal(dc.candidates.length, 2);
    assert.match(dc.candidates[1] ?? '', / TCP .* tcptype active$/);
    assert.equal(dc.endOfCandidates, true);
  }
  assert.deepEqual(load('firefox/offer.sdp').dataChannel.ice, { ufrag: '8a9bb1cf', pwd: 'e0581aa925946f550867a2cc0034469c', options: ['trickle'] });
});

test('libdatachannel: session-level ice2,trickle and fingerprint', () => {
  const offer = load('ndc/offer.sdp').dataChannel;
  assert.deepEqual(offer.ice, { ufrag: 'gxWq', pwd: 'JqcDMst0/OEFrPmF4Dc90e', options: ['ice2', 'trickle'] });
  assert.ok(offer.fingerprints[0]?.value.startsWith('DC:70:89'));
  assert.equal(offer.setup, 'actpass');
  assert.equal(offer.endOfCandidates, true);
  assert.equal(load('ndc/answer.sdp').dataChannel.setup, 'active');
  assert.equal(load('chromium/mdns/node-offer.sdp').dataChannel.ice.ufrag, 'G3/g');
});

test('aiortc: legacy DTLS/SCTP + sctpmap', () => {
  const dc = load('aiortc/offer.sdp').dataChannel;
  assert.equal(dc.legacy, true);
  assert.equal(dc.proto, 'DTLS/SCTP');
  assert.equal(dc.sctpPort, 5000);
  assert.equal(dc.maxMessageSize, 65536);
  assert.equal(dc.port, 38526);
  assert.deepEqual(dc.ice, { ufrag: 'fyxr', pwd: 'PY6O9XYcmFGd2JXXfSUydR', options: [] });
  assert.equal(load('aiortc/answer.sdp').dataChannel.setup, 'active');
});

test('pion: no max-message-size means 65536; components 1 and 2 listed', () => {
  const dc = load('pion/offer.sdp').dataChannel;
  assert.equal(dc.maxMessageSize, 65536);
  assert.equal(dc.candidates.length, 2);
  assert.equal(dc.ice.ufrag, 'SitihWiRpZroGlPF');
  assert.ok(dc.fingerprints[0]?.value.startsWith('2B:C6:26'));
  assert.equal(load('pion/answer.sdp').dataChannel.setup, 'active');
});
