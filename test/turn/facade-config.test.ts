// initialize() options of issue 8 through the Godot facade and the Node binding, on loopback only:
// iceTransportPolicy, interfaces and portRangeBegin/portRangeEnd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../src/facade/index.js';
import { nodeBinding } from '../../src/facade/node-binding.js';
import { parsePeerConfig } from '../../src/facade/options.js';
import { pollUntil, wireMinimal } from '../scenarios/stack/minimal.js';

test('parsePeerConfig: iceTransportPolicy, interfaces, port range; bad values are Godot errors', () => {
  assert.deepEqual(parsePeerConfig({ iceServers: [{ urls: 'turn:198.18.3.2', username: 'u', credential: 'p' }], iceTransportPolicy: 'relay', interfaces: ['eth0'], portRangeBegin: 40000, portRangeEnd: 40100 }), {
    iceServers: [{ urls: ['turn:198.18.3.2'], username: 'u', credential: 'p' }],
    iceTransportPolicy: 'relay',
    interfaces: ['eth0'],
    portRange: { min: 40000, max: 40100 },
  });
  assert.deepEqual(parsePeerConfig({ portRangeBegin: 5000 }), { iceServers: [], portRange: { min: 5000, max: 5000 } });
  for (const bad of [{ iceTransportPolicy: 'none' }, { interfaces: 'eth0' }, { portRangeBegin: 0 }, { portRangeBegin: 6000, portRangeEnd: 5000 }, { portRangeBegin: 1.5 }]) {
    const r = parsePeerConfig(bad);
    assert.ok('code' in r && r.code === GodotError.ERR_INVALID_PARAMETER, JSON.stringify(bad));
  }
});

test('host candidates stay on the listed interface address and inside the port range', async () => {
  const env = nodeBinding({ addresses: ['127.0.0.1', '::1'] });
  const base = 42000 + Math.floor(Math.random() * 15000);
  const cfg = { interfaces: ['127.0.0.1'], portRangeBegin: base, portRangeEnd: base + 20 };
  const p1 = new WebRTCPeerConnection({ env });
  const p2 = new WebRTCPeerConnection({ env });
  try {
    assert.equal(p1.initialize(cfg), GodotError.OK);
    assert.equal(p2.initialize(cfg), GodotError.OK);
    const ch1 = p1.createDataChannel('c', { id: 1, negotiated: true });
    const ch2 = p2.createDataChannel('c', { id: 1, negotiated: true });
    assert.ok(ch1 && ch2);
    const cands: string[] = [];
    p1.connect('ice_candidate_created', (_m, _i, n) => cands.push(n));
    p2.connect('ice_candidate_created', (_m, _i, n) => cands.push(n));
    wireMinimal(p1, p2);
    assert.equal(p1.createOffer(), GodotError.OK);
    assert.ok(await pollUntil(() => ch1.getReadyState() === WebRTCDataChannel.STATE_OPEN && ch2.getReadyState() === WebRTCDataChannel.STATE_OPEN, [p1, p2]));
    assert.equal(cands.filter((c) => c.startsWith('candidate:')).length, 2, cands.join('\n'));
    assert.ok(await pollUntil(() => p1.getIceStats()?.selectedPair != null, [p1, p2]), 'a pair is selected');
    const stats = p1.getIceStats();
    assert.equal(stats?.selectedPair?.local.type, 'host');
    assert.equal(stats?.selectedPair?.local.address, '127.0.0.1');
    assert.ok(stats.selectedPair.remote.port >= base && stats.selectedPair.remote.port <= base + 20, JSON.stringify(stats));
    assert.deepEqual(stats.relays, []);
    for (const c of cands.filter((x) => x.startsWith('candidate:'))) {
      const [, , , , address, port] = c.replace(/^candidate:/, '').split(' ');
      assert.equal(address, '127.0.0.1');
      assert.ok(Number(port) >= base && Number(port) <= base + 20, c);
    }
  } finally {
    p1.close();
    p2.close();
  }
});
