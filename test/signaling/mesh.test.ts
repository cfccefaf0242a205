// Godot's webrtc_signaling demo flow end to end in one process: the rtcpeer signaling server on
// loopback, MultiplayerClients (multiplayer_client.gd) driving WebRTCMultiplayerPeer over the real
// facade, ICE and SCTP on loopback UDP. DTLS is the stack tests' toy double until the real DTLS is
// wired into the Node binding (see test/scenarios/stack/loopback.test.ts).
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createLogger, formatLogRecord } from '../../src/core/logger.js';
import { WebRTCPeerConnection } from '../../src/facade/index.js';
import { nodeBinding } from '../../src/facade/node-binding.js';
import { TransferMode } from '../../src/godot/multiplayer/enums.js';
import { MultiplayerClient } from '../../src/signaling/multiplayer-client.js';
import type { SignalingServerHandle } from '../../src/signaling/server.js';
import { fakeLayers } from '../scenarios/stack/doubles.js';
import { startTestServer } from './helpers.js';

const env = nodeBinding({ addresses: ['127.0.0.1'], dtls: (rng) => fakeLayers(rng, `peer${rng.u32()}`).dtls });
const logger = createLogger((r) => console.log(formatLogRecord(r)), 'warn');
const EXTRA = [TransferMode.TRANSFER_MODE_UNRELIABLE, TransferMode.TRANSFER_MODE_RELIABLE];

/** Polls every client (a game's _process) until `done`, failing after `ms`. */
async function until(what: string, done: () => boolean, clients: MultiplayerClient[], ms = 10_000, details: () => string = () => ''): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (const c of clients) c.poll();
    if (done()) return;
    await delay(3);
  }
  assert.fail(`timed out: ${what} ${details()}`);
}

function newClient(): MultiplayerClient & { events: string[] } {
  const mc = new MultiplayerClient({ createConnection: () => new WebRTCPeerConnection({ env, logger }), channelsConfig: EXTRA, logger });
  const events: string[] = [];
  mc.mp.connect('peer_connected', (id) => events.push(`+${id}`));
  mc.mp.connect('peer_disconnected', (id) => events.push(`-${id}`));
  return Object.assign(mc, { events });
}

async function joinAll(url: string, mesh: boolean, n: number): Promise<(MultiplayerClient & { events: string[] })[]> {
  const hostC = newClient();
  const lobby = new Promise<string>((resolve) => hostC.signaling.on('lobbyJoined', resolve));
  hostC.start(url, '', mesh);
  const name = await lobby;
  const all = [hostC];
  for (let i = 1; i < n; i++) {
    const c = newClient();
    c.start(url, name, mesh);
    all.push(c);
  }
  return all;
}

/** Drains every packet each client has, as "<from>:<channel>:<mode>:<payload>" strings. */
function drain(c: MultiplayerClient): string[] {
  const out: string[] = [];
  while (c.mp.getAvailablePacketCount() > 0) {
    const from = c.mp.getPacketPeer();
    const channel = c.mp.getPacketChannel();
    const mode = c.mp.getPacketMode();
    out.push(`${from}:${channel}:${mode}:${new TextDecoder().decode(c.mp.getPacket())}`);
  }
  return out;
}

describe('WebRTCMultiplayerPeer through the signaling server (loopback)', () => {
  let server: SignalingServerHandle;
  let url: string;
  before(async () => {
    server = await startTestServer();
    url = `ws://127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  it('a mesh of 4 peers connects fully, exchanges packets on every mode and channel, and sees one leave', async () => {
    const peers = await joinAll(url, true, 4);
    try {
      await until('full mesh', () => peers.every((p) => p.events.length === 3), peers);
      const ids = peers.map((p) => p.mp.getUniqueId());
      assert.equal(ids[0], 1);
      assert.equal(new Set(ids).size, 4);
      for (const p of peers) assert.deepEqual(p.events.map((e) => Number(e.slice(1))).sort((a, b) => a - b), ids.filter((i) => i !== p.mp.getUniqueId()).sort((a, b) => a - b));
      // Every peer broadcasts on the three modes (channel 0) and on extra channels 1 and 2.
      const sends: [number, number][] = [
        [TransferMode.TRANSFER_MODE_RELIABLE, 0], [TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED, 0],
        [TransferMode.TRANSFER_MODE_UNRELIABLE, 0], [TransferMode.TRANSFER_MODE_RELIABLE, 1], [TransferMode.TRANSFER_MODE_RELIABLE, 2],
      ];
      for (const p of peers) {
        for (const [mode, channel] of sends) {
          p.mp.transferMode = mode as TransferMode;
          p.mp.transferChannel = channel;
          assert.equal(p.mp.putPacket(new TextEncoder().encode(`m${mode}c${channel}`)), 0);
        }
      }
      const got = new Map<MultiplayerClient, string[]>(peers.map((p) => [p, []]));
      await until('all packets', () => {
        for (const p of peers) got.get(p)?.push(...drain(p));
        return peers.every((p) => got.get(p)?.length === 15);
      }, peers, 10_000, () => peers.map((p) => `peer ${p.mp.getUniqueId()} got [${(got.get(p) ?? []).sort().join(' ')}]`).join('; '));
      for (const p of peers) {
        const expected = ids.filter((i) => i !== p.mp.getUniqueId()).flatMap((from) => [
          `${from}:0:2:m2c0`, `${from}:0:1:m1c0`, `${from}:0:0:m0c0`, `${from}:1:0:m2c1`, `${from}:2:2:m2c2`,
        ]);
        assert.deepEqual([...(got.get(p) ?? [])].sort(), expected.sort(), `peer ${p.mp.getUniqueId()}`);
      }
      // One peer leaves: the others hear PEER_DISCONNECT and report peer_disconnected.
      const leaver = peers[3] as (typeof peers)[number];
      const leaverId = leaver.mp.getUniqueId();
      leaver.stop();
      const rest = peers.slice(0, 3);
      await until('peer_disconnected', () => rest.every((p) => p.events.includes(`-${leaverId}`)), rest);
      for (const p of rest) assert.ok(!p.mp.hasPeer(leaverId));
      // The rest still talk.
      rest[1]?.mp.setTargetPeer(1);
      rest[1]?.mp.putPacket(new TextEncoder().encode('still here'));
      await until('after leave', () => (got.get(peers[0]!)?.push(...drain(peers[0]!)), got.get(peers[0]!)?.some((s) => s.endsWith('still here')) ?? false), rest);
    } finally {
      for (const p of peers) p.stop();
    }
  });

  it('a server/client lobby of 1 host + 3 clients: clients connect to the host only; relay by the host', async () => {
    const peers = await joinAll(url, false, 4);
    try {
      const [host, ...clients] = peers as [(typeof peers)[number], ...(typeof peers)[number][]];
      await until('clients connected', () => host.events.length === 3 && clients.every((c) => c.events.length === 1), peers);
      assert.ok(host.mp.isServer());
      for (const c of clients) {
        assert.deepEqual(c.events, ['+1']);
        assert.equal(c.mp.getConnectionStatus(), 2);
        assert.ok(c.mp.isServerRelaySupported());
        c.mp.setTargetPeer(1);
        c.mp.transferMode = TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED;
        assert.equal(c.mp.putPacket(new TextEncoder().encode(`hi from ${c.mp.getUniqueId()}`)), 0);
      }
      const atHost: string[] = [];
      await until('host got 3', () => (atHost.push(...drain(host)), atHost.length === 3), peers);
      assert.deepEqual(atHost.sort(), clients.map((c) => `${c.mp.getUniqueId()}:0:1:hi from ${c.mp.getUniqueId()}`).sort());
      host.mp.setTargetPeer(0);
      host.mp.putPacket(new TextEncoder().encode('welcome'));
      const atClients = new Map<MultiplayerClient, string[]>(clients.map((c) => [c, []]));
      await until('clients got broadcast', () => clients.every((c) => (atClients.get(c)?.push(...drain(c)), atClients.get(c)?.length === 1)), peers);
      for (const c of clients) assert.deepEqual(atClients.get(c), ['1:0:2:welcome']);
      // A client leaving is reported to the host only.
      const gone = clients[2] as (typeof clients)[number];
      const goneId = gone.mp.getUniqueId();
      gone.stop();
      await until('host sees the leave', () => host.events.includes(`-${goneId}`), peers.slice(0, 3));
      assert.deepEqual(clients[0]?.events, ['+1']);
    } finally {
      for (const p of peers) p.stop();
    }
  });
});

describe('sealed lobby (loopback)', () => {
  it('the mesh outlives the signaling connections the seal closes', async () => {
    const server = await startTestServer({ sealCloseMs: 100 });
    const peers = await joinAll(`ws://127.0.0.1:${server.port}`, true, 3);
    try {
      await until('full mesh', () => peers.every((p) => p.events.length === 2), peers);
      const closed = Promise.all(peers.map((p) => new Promise<number>((resolve) => p.signaling.on('disconnected', (code) => resolve(code)))));
      peers[0]?.signaling.sealLobby();
      let codes: number[] | undefined;
      void closed.then((c) => (codes = c));
      await until('seal complete', () => codes !== undefined, peers);
      assert.deepEqual(codes, [1000, 1000, 1000]);
      assert.ok(peers.every((p) => p.sealed));
      for (const p of peers) assert.equal(p.events.length, 2, `no peer_disconnected at ${p.mp.getUniqueId()}: ${p.events.join(' ')}`);
      const last = peers[2] as (typeof peers)[number];
      last.mp.setTargetPeer(1);
      assert.equal(last.mp.putPacket(new TextEncoder().encode('after seal')), 0);
      const got: string[] = [];
      await until('packet after seal', () => (got.push(...drain(peers[0] as MultiplayerClient)), got.length === 1), peers);
      assert.deepEqual(got, [`${last.mp.getUniqueId()}:0:2:after seal`]);
    } finally {
      for (const p of peers) p.stop();
      await server.close();
    }
  });
});
