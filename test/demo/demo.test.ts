// `npm start` on loopback: the demo program (signaling server + web page + bot) runs as a child
// process on ephemeral ports; a Node peer (rtcpeer MultiplayerClient) joins the bot's lobby, chats
// with it and gets its pings answered; then it creates its own lobby and invites the bot over HTTP.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createLogger, formatLogRecord } from '../../src/core/logger.js';
import { withGuard } from '../signaling/helpers.js';
import { DemoPeer, TransferMode, demoArgs, demoEnv, parseDemoOutput, type DemoInfo } from './helpers.js';

const logger = createLogger((r) => console.log(formatLogRecord(r)), 'warn');

async function startDemo(): Promise<{ child: ChildProcess; info: DemoInfo; output: () => string }> {
  const child = spawn(process.execPath, demoArgs(['--port', '0', '--http-port', '0']), { env: demoEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  try {
    const info = await withGuard(new Promise<DemoInfo>((resolve, reject) => {
      const check = (): void => {
        const i = parseDemoOutput(out);
        if (i) resolve(i);
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => reject(new Error(`demo exited (${code}): ${out}`)));
    }), 'demo start-up', 30_000);
    return { child, info, output: () => out };
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}

/** SIGTERM by PID (SIGKILL after 3 s); resolves when the child is gone. */
async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(child.pid, 'SIGTERM');
  const killer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 3000);
  const code = await exited;
  clearTimeout(killer);
  return code;
}

interface Status {
  readonly lobbies: readonly { readonly lobby: string; readonly id: number; readonly peers: readonly number[] }[];
}

async function status(pageUrl: string): Promise<Status> {
  return (await (await fetch(new URL('/api/status', pageUrl))).json()) as Status;
}

/** Polls the demo's status until `done` holds (guarded). */
async function statusUntil(pageUrl: string, what: string, done: (s: Status) => boolean): Promise<Status> {
  const end = performance.now() + 10_000;
  for (;;) {
    const s = await status(pageUrl);
    if (done(s)) return s;
    if (performance.now() > end) assert.fail(`timed out: ${what}: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `peer` creates a lobby (mesh or client/server), invites the bot over HTTP and waits for it. */
async function createAndInvite(peer: DemoPeer, pageUrl: string, wsUrl: string, mesh: boolean): Promise<{ lobby: string; bot: number }> {
  const joined = new Promise<string>((resolve) => peer.mc.signaling.on('lobbyJoined', resolve));
  peer.mc.start(wsUrl, '', mesh);
  const lobby = await withGuard(joined, 'lobby created');
  const r = await fetch(new URL(`/api/invite?lobby=${encodeURIComponent(lobby)}&mesh=${mesh ? 1 : 0}`, pageUrl), { method: 'POST' });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { lobby });
  await peer.until('bot connected', () => peer.connected.length === 1);
  return { lobby, bot: peer.connected[0] as number };
}

describe('npm start demo on loopback (child process, ephemeral ports)', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let started = false;
  before(async () => {
    demo = await startDemo();
    started = true;
  });
  after(async () => {
    if (!started) return; // startDemo already stopped the child
    const code = await stopChild(demo.child);
    assert.equal(code, 0, `demo exit on SIGTERM: ${demo.output()}`);
  });

  it('serves the page and its config (the bot lobby and the signaling port)', async () => {
    const page = await fetch(demo.info.pageUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /RTCPeerConnection/);
    const cfg = (await (await fetch(new URL('/config.json', demo.info.pageUrl))).json()) as { wsPort: number; lobby: string };
    assert.equal(cfg.lobby, demo.info.lobby);
    assert.equal(`ws://127.0.0.1:${cfg.wsPort}`, demo.info.wsUrl);
    assert.equal((await fetch(new URL('/nope', demo.info.pageUrl))).status, 404);
    assert.equal((await fetch(new URL('/api/invite', demo.info.pageUrl), { method: 'POST' })).status, 400);
    assert.equal((await fetch(new URL('/api/invite?lobby=no-such-lobby', demo.info.pageUrl), { method: 'POST' })).status, 409);
  });

  it('a Node peer joins the bot lobby, chats with the bot and gets its pings answered', async () => {
    const peer = new DemoPeer(logger);
    try {
      assert.equal(peer.mc.start(demo.info.wsUrl, demo.info.lobby, true), 0);
      await peer.until('bot connected', () => peer.connected.length === 1);
      const bot = peer.connected[0] as number;
      await peer.until('greeting', () => peer.chats(bot).length === 1);
      assert.match(peer.chats(bot)[0] ?? '', /I am the rtcpeer bot/);
      for (const text of ['hello bot', 'héllo ✓ wörld', '/peers']) {
        assert.equal(peer.send(bot, TransferMode.TRANSFER_MODE_RELIABLE, { t: 'chat', text }), 0);
      }
      await peer.until('three replies', () => peer.chats(bot).length === 4);
      const replies = peer.chats(bot).slice(1);
      assert.equal(replies[0], 'you said "hello bot" (9 characters)');
      assert.equal(replies[1], 'you said "héllo ✓ wörld" (13 characters)');
      assert.equal(replies[2], `peers of the bot: ${peer.mc.mp.getUniqueId()}`);
      // Pings on the unreliable mode come back as pongs on the same mode, same n and ts.
      for (let n = 0; n < 5; n++) peer.send(bot, TransferMode.TRANSFER_MODE_UNRELIABLE, { t: 'ping', n, ts: n * 10 });
      await peer.until('pongs', () => peer.got.filter((r) => r.msg.t === 'pong').length === 5);
      const pongs = peer.got.filter((r) => r.msg.t === 'pong');
      assert.deepEqual(pongs.map((r) => r.msg.n).sort(), [0, 1, 2, 3, 4]);
      for (const p of pongs) {
        assert.equal(p.mode, TransferMode.TRANSFER_MODE_UNRELIABLE);
        assert.equal(p.msg.ts, (p.msg.n ?? -1) * 10);
      }
      assert.match(demo.output(), /peer \d+: hello bot/);
      const me = peer.mc.mp.getUniqueId();
      assert.deepEqual((await status(demo.info.pageUrl)).lobbies, [{ lobby: demo.info.lobby, id: bot, peers: [me] }]);
      peer.mc.stop();
      await statusUntil(demo.info.pageUrl, 'the bot sees the peer leave', (s) => s.lobbies[0]?.peers.length === 0);
      assert.match(demo.output(), new RegExp(`peer ${me} left the bot`));
    } finally {
      peer.mc.stop();
    }
  });

  it('a Node peer creates its own lobby and invites the bot over HTTP', async () => {
    const peer = new DemoPeer(logger);
    try {
      const { lobby, bot } = await createAndInvite(peer, demo.info.pageUrl, demo.info.wsUrl, true);
      assert.notEqual(lobby, demo.info.lobby);
      peer.send(bot, TransferMode.TRANSFER_MODE_RELIABLE, { t: 'chat', text: 'in my lobby' });
      await peer.until('reply', () => peer.chats(bot).includes('you said "in my lobby" (11 characters)'));
      assert.equal((await status(demo.info.pageUrl)).lobbies.length, 2);
      // The host leaves: the server closes the lobby, the bot lets its seat go.
      peer.mc.stop();
      await statusUntil(demo.info.pageUrl, 'the bot leaves the closed lobby', (s) => s.lobbies.length === 1);
    } finally {
      peer.mc.stop();
    }
  });

  it('a client/server lobby: the Node peer hosts (id 1) and the invited bot joins as a client', async () => {
    const peer = new DemoPeer(logger);
    try {
      const { lobby, bot } = await createAndInvite(peer, demo.info.pageUrl, demo.info.wsUrl, false);
      assert.equal(peer.mc.mp.getUniqueId(), 1);
      assert.ok(peer.mc.mp.isServer());
      const seat = (await status(demo.info.pageUrl)).lobbies.find((l) => l.lobby === lobby);
      assert.deepEqual(seat, { lobby, id: bot, peers: [1] });
      peer.send(bot, TransferMode.TRANSFER_MODE_RELIABLE, { t: 'chat', text: '/peers' });
      await peer.until('reply', () => peer.chats(bot).includes('peers of the bot: 1'));
    } finally {
      peer.mc.stop();
    }
  });
});
