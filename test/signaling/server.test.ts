import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { SignalingServerHandle } from '../../src/signaling/server.js';
import { RawClient, startTestServer, sync, withGuard, type Frame } from './helpers.js';

// Message types (godot-demo-projects networking/webrtc_signaling).
const JOIN = 0, ID = 1, PEER_CONNECT = 2, PEER_DISCONNECT = 3, OFFER = 4, ANSWER = 5, CANDIDATE = 6, SEAL = 7;

/** Creates a lobby and returns the host client and the lobby name. */
async function host(port: number, mesh: boolean): Promise<{ c: RawClient; lobby: string }> {
  const c = await RawClient.open(port);
  c.send(JOIN, mesh ? 0 : 1, '');
  assert.deepEqual(await c.next(), { type: ID, id: 1, data: mesh ? 'true' : '' });
  const joined = await c.next();
  assert.equal(joined.type, JOIN);
  assert.equal(joined.id, 0);
  assert.match(joined.data, /^[A-Za-z0-9]{16}$/);
  return { c, lobby: joined.data };
}

/** Joins `lobby`; checks ID comes first and JOIN last; returns the id and the PEER_CONNECTs between. */
async function join(port: number, lobby: string, mesh: boolean): Promise<{ c: RawClient; id: number; peers: number[] }> {
  const c = await RawClient.open(port);
  c.send(JOIN, mesh ? 0 : 1, lobby);
  const idMsg = await c.next();
  assert.equal(idMsg.type, ID);
  assert.equal(idMsg.data, mesh ? 'true' : '');
  assert.ok(idMsg.id >= 2 && idMsg.id <= 0x7fffffff, `id ${idMsg.id} is a non-reserved id`);
  const peers: number[] = [];
  for (let f: Frame = await c.next(); ; f = await c.next()) {
    if (f.type === JOIN) {
      assert.deepEqual(f, { type: JOIN, id: 0, data: lobby });
      break;
    }
    assert.equal(f.type, PEER_CONNECT);
    assert.equal(f.data, '');
    peers.push(f.id);
  }
  return { c, id: idMsg.id, peers };
}

async function expectClose(c: RawClient, code: number, reason: string): Promise<void> {
  assert.deepEqual(await c.closedWithin(), { code, reason });
}

describe('signaling server over loopback WebSockets', () => {
  let server: SignalingServerHandle;
  before(async () => {
    server = await startTestServer({ joinTimeoutMs: 5000, sealCloseMs: 100 });
  });
  after(() => server.close());

  it('mesh lobby: create, join in order, PEER_CONNECT both ways, relay with the host presented as 1', async () => {
    const h = await host(server.port, true);
    const a = await join(server.port, h.lobby, true);
    assert.deepEqual(a.peers, [1]);
    assert.deepEqual(await h.c.next(), { type: PEER_CONNECT, id: a.id, data: '' });
    const b = await join(server.port, h.lobby, true);
    assert.deepEqual(b.peers, [1, a.id]);
    assert.deepEqual(await h.c.next(), { type: PEER_CONNECT, id: b.id, data: '' });
    assert.deepEqual(await a.c.next(), { type: PEER_CONNECT, id: b.id, data: '' });
    assert.notEqual(a.id, b.id);

    b.c.send(OFFER, 1, 'v=0 offer');
    assert.deepEqual(await h.c.next(), { type: OFFER, id: b.id, data: 'v=0 offer' });
    h.c.send(ANSWER, b.id, 'v=0 answer');
    assert.deepEqual(await b.c.next(), { type: ANSWER, id: 1, data: 'v=0 answer' });
    b.c.send(CANDIDATE, a.id, '\n0\n0\ncandidate:1 1 udp 1 127.0.0.1 5000 typ host');
    assert.deepEqual(await a.c.next(), { type: CANDIDATE, id: b.id, data: '\n0\n0\ncandidate:1 1 udp 1 127.0.0.1 5000 typ host' });

    // A member leaving is announced to everyone left.
    b.c.close();
    assert.deepEqual(await h.c.next(), { type: PEER_DISCONNECT, id: b.id, data: '' });
    assert.deepEqual(await a.c.next(), { type: PEER_DISCONNECT, id: b.id, data: '' });
    // The host leaving closes the lobby for everyone.
    h.c.close();
    await expectClose(a.c, 4000, 'Room host has disconnected');
  });

  it('client/server lobby: clients only see the host (GDScript reference pairing)', async () => {
    const h = await host(server.port, false);
    const a = await join(server.port, h.lobby, false);
    assert.deepEqual(a.peers, [1]);
    assert.deepEqual(await h.c.next(), { type: PEER_CONNECT, id: a.id, data: '' });
    const b = await join(server.port, h.lobby, false);
    assert.deepEqual(b.peers, [1], 'a client is not told about other clients');
    assert.deepEqual(await h.c.next(), { type: PEER_CONNECT, id: b.id, data: '' });
    await sync(b.c, b.id);
    assert.deepEqual(await sync(a.c, a.id), [], 'client a hears nothing about client b');

    b.c.close();
    assert.deepEqual(await h.c.next(), { type: PEER_DISCONNECT, id: b.id, data: '' });
    await sync(h.c, 1);
    assert.deepEqual(await sync(a.c, a.id), [], 'client a hears nothing about client b leaving');
    h.c.close();
    await expectClose(a.c, 4000, 'Room host has disconnected');
  });

  it('SEAL: host only; SEAL{0} to every member; joins refused; everyone closed 1000 after the seal time', async () => {
    const h = await host(server.port, true);
    const a = await join(server.port, h.lobby, true);
    await h.c.next(); // PEER_CONNECT a
    const b = await join(server.port, h.lobby, true);
    await h.c.next();
    await a.c.next();
    b.c.send(SEAL, 0);
    await expectClose(b.c, 4000, 'Only host can seal the lobby');
    assert.deepEqual(await h.c.next(), { type: PEER_DISCONNECT, id: b.id, data: '' });
    assert.deepEqual(await a.c.next(), { type: PEER_DISCONNECT, id: b.id, data: '' });

    const started = performance.now();
    h.c.send(SEAL, 0);
    assert.deepEqual(await h.c.next(), { type: SEAL, id: 0, data: '' });
    assert.deepEqual(await a.c.next(), { type: SEAL, id: 0, data: '' });
    const late = await RawClient.open(server.port);
    late.send(JOIN, 0, h.lobby);
    await expectClose(late, 4000, 'Lobby is sealed');
    await expectClose(h.c, 1000, 'Seal complete');
    await expectClose(a.c, 1000, 'Seal complete');
    assert.ok(performance.now() - started >= 90, 'closed after the configured 100 ms seal time, not before');
  });

  it('closes with 4000 and the reference reason on each protocol error', async () => {
    const cases: readonly (readonly [string, (c: RawClient) => void, string])[] = [
      ['binary frame', (c) => c.sendRaw(new Uint8Array([1, 2])), 'Invalid transfer mode, must be text'],
      ['not JSON', (c) => c.sendRaw('{nope'), 'Invalid message format'],
      ['JSON but not an object', (c) => c.sendRaw('null'), 'Invalid message format'],
      ['missing type', (c) => c.sendRaw('{"id":0,"data":""}'), 'Invalid message format'],
      ['string type', (c) => c.sendRaw('{"type":"0","id":0,"data":""}'), 'Invalid message format'],
      ['negative id', (c) => c.send(JOIN, -1, ''), 'Invalid message format'],
      ['relay before joining', (c) => c.send(OFFER, 1, 'x'), 'Invalid message when not in a lobby'],
      ['SEAL before joining', (c) => c.send(SEAL, 0), 'Invalid message when not in a lobby'],
      ['unknown lobby', (c) => c.send(JOIN, 0, 'NoSuchLobby'), 'Lobby does not exists'],
    ];
    for (const [what, act, reason] of cases) {
      const c = await RawClient.open(server.port);
      act(c);
      assert.deepEqual(await c.closedWithin(), { code: 4000, reason }, what);
    }
  });

  it('closes on errors inside a lobby: second JOIN, bad destination, unknown command', async () => {
    const h = await host(server.port, true);
    const other = await host(server.port, true);
    const a = await join(server.port, h.lobby, true);
    a.c.send(OFFER, 12345, 'x');
    await expectClose(a.c, 4000, 'Invalid destination');
    const b = await join(server.port, h.lobby, true);
    b.c.send(OFFER, 1, 'ok'); // to the host: fine
    let f = await h.c.next();
    while (f.type !== OFFER) f = await h.c.next(); // skip a's and b's PEER_CONNECT/DISCONNECT
    assert.deepEqual(f, { type: OFFER, id: b.id, data: 'ok' });
    b.c.send(JOIN, 0, '');
    await expectClose(b.c, 4000, 'Already in a lobby');
    const d = await join(server.port, h.lobby, true);
    d.c.send(JOIN, 0, other.lobby);
    await expectClose(d.c, 4000, 'Already in a lobby');
    const e = await join(server.port, h.lobby, true);
    e.c.send(9, 1, '');
    await expectClose(e.c, 4000, 'Invalid command');
    // A member of another lobby is not a valid destination either.
    other.c.send(OFFER, e.id, 'x');
    await expectClose(other.c, 4000, 'Invalid destination');
    h.c.close();
  });

  it('assigns unique ids from the injected rng', async () => {
    const h = await host(server.port, true);
    const ids = new Set<number>();
    const clients: RawClient[] = [];
    for (let i = 0; i < 8; i++) {
      const j = await join(server.port, h.lobby, true);
      ids.add(j.id);
      clients.push(j.c);
    }
    assert.equal(ids.size, 8);
    h.c.close();
    await Promise.all(clients.map((c) => c.closedWithin()));
  });
});

describe('signaling server limits and timers (short configured values)', () => {
  it('closes a peer that has not joined within the join timeout', async () => {
    const server = await startTestServer({ joinTimeoutMs: 50 });
    try {
      const c = await RawClient.open(server.port);
      const started = performance.now();
      await expectClose(c, 4000, 'Have not joined lobby yet');
      assert.ok(performance.now() - started >= 40);
      // Joining in time disarms it.
      const h = await host(server.port, true);
      await new Promise((r) => setTimeout(r, 120));
      assert.equal(h.c.ws.readyState, WebSocket.OPEN);
      h.c.close();
    } finally {
      await server.close();
    }
  });

  it('refuses peers beyond maxPeers and lobbies beyond maxLobbies', async () => {
    const server = await startTestServer({ maxPeers: 2, maxLobbies: 1 });
    try {
      const h = await host(server.port, true);
      const c2 = await RawClient.open(server.port);
      const c3 = await RawClient.open(server.port);
      await expectClose(c3, 4000, 'Too many peers connected');
      c2.send(JOIN, 0, '');
      await expectClose(c2, 4000, 'Too many lobbies open, disconnecting');
      h.c.close();
      await h.c.closedWithin();
      // Slots free again once peers leave.
      const h2 = await host(server.port, true);
      h2.c.close();
    } finally {
      await server.close();
    }
  });

  it('bounds message size and rate per connection', async () => {
    const server = await startTestServer({ maxMessageBytes: 200, rateBurst: 3, ratePerSecond: 0.001 });
    try {
      const big = await RawClient.open(server.port);
      big.send(JOIN, 0, 'x'.repeat(300));
      await expectClose(big, 4000, 'Message too large');
      const h = await host(server.port, true); // 1 message
      h.c.send(OFFER, 1, 'a'); // 2
      h.c.send(OFFER, 1, 'b'); // 3
      h.c.send(OFFER, 1, 'c'); // over the burst
      assert.equal((await h.c.next()).data, 'a');
      assert.equal((await h.c.next()).data, 'b');
      await expectClose(h.c, 4000, 'Too many messages');
      assert.equal(server.core.errors.get('Too many messages'), 1);
    } finally {
      await server.close();
    }
  });

  it('pings every client at the ping interval', async () => {
    const server = await startTestServer({ pingIntervalMs: 30 });
    try {
      const h = await host(server.port, true);
      await withGuard(new Promise<void>((resolve) => h.c.ws.once('ping', () => resolve())), 'ping');
      h.c.close();
    } finally {
      await server.close();
    }
  });
});

describe('signaling server memory bound', () => {
  it('drops a client that stops reading once its send buffer passes maxBufferedBytes', async () => {
    const server = await startTestServer({ maxBufferedBytes: 256 * 1024, rateBurst: 10_000, maxMessageBytes: 64 * 1024 });
    try {
      const h = await host(server.port, true);
      const slow = await join(server.port, h.lobby, true);
      assert.deepEqual(await h.c.next(), { type: PEER_CONNECT, id: slow.id, data: '' });
      const socket = Reflect.get(slow.c.ws, '_socket') as { pause(): void };
      socket.pause();
      const chunk = 'x'.repeat(60_000);
      let gone: Frame | undefined;
      void h.c.next().then((f) => (gone = f));
      for (let i = 0; i < 2000 && !gone; i++) {
        h.c.send(OFFER, slow.id, chunk);
        if (i % 20 === 19) await new Promise((r) => setImmediate(r));
      }
      assert.deepEqual(await withGuard((async () => { while (!gone) await new Promise((r) => setTimeout(r, 5)); return gone; })(), 'PEER_DISCONNECT'),
        { type: PEER_DISCONNECT, id: slow.id, data: '' });
      h.c.close();
    } finally {
      await server.close();
    }
  });
});
