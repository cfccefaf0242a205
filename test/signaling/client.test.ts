import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { SignalingClient, type SignalingClientEvents } from '../../src/signaling/client.js';
import type { SignalingServerHandle } from '../../src/signaling/server.js';
import { startTestServer, withGuard } from './helpers.js';

/** Resolves with the arguments of the next `event`. */
function nextEvent<K extends keyof SignalingClientEvents>(c: SignalingClient, event: K): Promise<SignalingClientEvents[K]> {
  return withGuard(new Promise((resolve) => {
    const off = c.on(event, (...args) => {
      off();
      resolve(args);
    });
  }), String(event));
}

describe('SignalingClient against the rtcpeer server', () => {
  let server: SignalingServerHandle;
  let url: string;
  before(async () => {
    server = await startTestServer({ sealCloseMs: 80 });
    url = `ws://127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  it('autojoins, gets its id and lobby, and exchanges offer, answer and candidates like the demo', async () => {
    const host = new SignalingClient({ mesh: true });
    const hostConnected = nextEvent(host, 'connected');
    const hostLobby = nextEvent(host, 'lobbyJoined');
    host.connectToUrl(url);
    assert.deepEqual(await hostConnected, [1, true]);
    const [lobby] = await hostLobby;

    const guest = new SignalingClient({ lobby });
    const guestConnected = nextEvent(guest, 'connected');
    const guestSees = nextEvent(guest, 'peerConnected');
    const hostSees = nextEvent(host, 'peerConnected');
    guest.connectToUrl(url);
    const [guestId, mesh] = await guestConnected;
    assert.equal(mesh, true);
    assert.deepEqual(await guestSees, [1]);
    assert.deepEqual(await hostSees, [guestId]);

    // The demo offers only towards lower ids: the guest (higher id) offers to the host (1).
    const offer = nextEvent(host, 'offerReceived');
    assert.equal(guest.sendOffer(1, 'v=0 offer'), 0);
    assert.deepEqual(await offer, [guestId, 'v=0 offer']);
    const answer = nextEvent(guest, 'answerReceived');
    host.sendAnswer(guestId, 'v=0 answer');
    assert.deepEqual(await answer, [1, 'v=0 answer']);
    const cand = nextEvent(host, 'candidateReceived');
    guest.sendCandidate(1, '0', 0, 'candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host');
    assert.deepEqual(await cand, [guestId, '0', 0, 'candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host']);

    const sealed = Promise.all([nextEvent(host, 'lobbySealed'), nextEvent(guest, 'lobbySealed')]);
    const closed = Promise.all([nextEvent(host, 'disconnected'), nextEvent(guest, 'disconnected')]);
    host.sealLobby();
    await sealed;
    assert.deepEqual(await closed, [[1000, 'Seal complete'], [1000, 'Seal complete']]);
    assert.equal(guest.code, 1000);
    assert.equal(guest.reason, 'Seal complete');
  });

  it('client/server: JOIN id 1 creates a non-mesh lobby; a peer leaving is announced', async () => {
    const host = new SignalingClient({ mesh: false });
    const lobbyP = nextEvent(host, 'lobbyJoined');
    const hostConnected = nextEvent(host, 'connected');
    host.connectToUrl(url);
    assert.deepEqual(await hostConnected, [1, false]);
    const [lobby] = await lobbyP;
    const guest = new SignalingClient({ lobby, mesh: false });
    const joined = nextEvent(host, 'peerConnected');
    guest.connectToUrl(url);
    const [gid] = await joined;
    const left = nextEvent(host, 'peerDisconnected');
    guest.close();
    assert.deepEqual(await left, [gid]);
    const hostClosed = nextEvent(host, 'disconnected');
    host.close();
    assert.equal((await hostClosed)[0], 1005);
  });

  it('reports the server close code and reason, and refuses to send when closed', async () => {
    const c = new SignalingClient({ lobby: 'NoSuchLobby' });
    const closed = nextEvent(c, 'disconnected');
    c.connectToUrl(url);
    assert.deepEqual(await closed, [4000, 'Lobby does not exists']);
    assert.equal(c.sendOffer(1, 'x'), 1, 'FAILED when the socket is not open');
    assert.equal(c.connectToUrl('not a url'), 31, 'ERR_INVALID_PARAMETER for a bad URL');
  });
});

describe('SignalingClient message parsing', () => {
  it('drops frames the demo client rejects and keeps going', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    wss.on('connection', (ws) => {
      ws.send('not json');
      ws.send('{"type":6,"id":3,"data":"\\n0\\nnot-an-int\\nsdp"}');
      ws.send('{"type":2,"id":3}');
      ws.send('{"type":42,"id":3,"data":""}');
      ws.send('{"type":2,"id":3,"data":""}');
    });
    try {
      const c = new SignalingClient({ autojoin: false });
      const bad: string[] = [];
      c.on('badMessage', (t) => bad.push(t));
      const peer = nextEvent(c, 'peerConnected');
      c.connectToUrl(`ws://127.0.0.1:${port}`);
      assert.deepEqual(await peer, [3]);
      assert.equal(bad.length, 4);
      c.close();
    } finally {
      await new Promise((r) => wss.close(r));
      for (const ws of wss.clients) ws.terminate();
    }
  });
});
