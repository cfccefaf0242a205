// nodeBinding({ sharedSocket: true }) over REAL loopback UDP: 20 "server" connections share one UDP
// socket while their 20 "clients" each have their own port (as browsers do); every pair opens a
// channel and exchanges messages, so a datagram routed to the wrong connection would show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, formatLogRecord } from '../../src/core/logger.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../src/facade/index.js';
import { nodeBinding } from '../../src/facade/node-binding.js';
import { pollUntil, wireMinimal } from '../scenarios/stack/minimal.js';
import { openUdpHandles } from './handles.js';

const N = 20;
const logger = createLogger((r) => console.log(formatLogRecord(r)), 'warn');
const text = (u: Uint8Array | undefined): string => new TextDecoder().decode(u);
const OPEN = WebRTCDataChannel.STATE_OPEN;

test(`${N} connections on one shared UDP socket exchange data with ${N} peers on ports of their own`, async () => {
  const serverEnv = nodeBinding({ addresses: ['127.0.0.1'], sharedSocket: true });
  const clientEnv = nodeBinding({ addresses: ['127.0.0.1'] });
  const pairs = Array.from({ length: N }, () => {
    const server = new WebRTCPeerConnection({ env: serverEnv, logger });
    const client = new WebRTCPeerConnection({ env: clientEnv, logger });
    const ports: number[] = [];
    server.connect('ice_candidate_created', (_m, _i, c) => ports.push(Number(c.split(' ')[5])));
    wireMinimal(client, server);
    const sc = server.createDataChannel('data', { id: 1, negotiated: true });
    const cc = client.createDataChannel('data', { id: 1, negotiated: true });
    assert.ok(sc && cc);
    return { server, client, sc, cc, ports };
  });
  const all = pairs.flatMap((p) => [p.server, p.client]);
  try {
    for (const p of pairs) assert.equal(p.client.createOffer(), GodotError.OK);
    const open = await pollUntil(() => pairs.every((p) => p.sc.getReadyState() === OPEN && p.cc.getReadyState() === OPEN), all, 30_000);
    assert.ok(open, `open: ${pairs.filter((p) => p.sc.getReadyState() === OPEN).length}/${N}`);
    const serverPorts = new Set(pairs.flatMap((p) => p.ports));
    assert.equal(serverPorts.size, 1, `every server candidate on one port: ${[...serverPorts].join(' ')}`);
    assert.equal(await openUdpHandles(), N + 1, 'one socket per client and one shared by the servers');

    pairs.forEach((p, i) => p.cc.putPacket(new TextEncoder().encode(`hello ${i}`)));
    assert.ok(await pollUntil(() => pairs.every((p) => p.sc.getAvailablePacketCount() > 0), all));
    pairs.forEach((p, i) => {
      assert.equal(text(p.sc.getPacket()), `hello ${i}`, `server ${i} got its own client's message`);
      p.sc.putPacket(new TextEncoder().encode(`echo ${i}`));
    });
    assert.ok(await pollUntil(() => pairs.every((p) => p.cc.getAvailablePacketCount() > 0), all));
    pairs.forEach((p, i) => assert.equal(text(p.cc.getPacket()), `echo ${i}`));
  } finally {
    for (const pc of all) pc.close();
  }
  // Closing lets the last sends leave, then releases the client sockets and the shared one.
  assert.ok(await pollUntil(() => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length === 0, [], 5000));
  assert.equal(await openUdpHandles(), 0);
});
