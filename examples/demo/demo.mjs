#!/usr/bin/env node
// npm start: the Godot-demo-compatible signaling server, a web page and a Node bot, in one process.
//
//   node examples/demo/demo.mjs [--host 127.0.0.1] [--port 9080] [--http-port 8080]
//                               [--bot-address <ip>]... [--bot-interfaces] [--verbose]
//
// - signaling: rtcpeer's server (src/signaling), wire-compatible with godot-demo-projects
//   networking/webrtc_signaling, so Godot clients can use it too (ws://<host>:<port>).
// - web page: http://<host>:<http-port>/ (node:http); the browser's own RTCPeerConnection joins a
//   lobby through the same server, exactly as the demo's GDScript client does.
// - bot: rtcpeer's MultiplayerClient driving WebRTCMultiplayerPeer over the Godot facade. It creates
//   a mesh lobby at start (its name is printed and pre-filled in the page), joins lobbies it is
//   invited to (POST /api/invite?lobby=<name>&mesh=1), answers chat and pings; GET /api/status lists
//   its lobbies and their peers.
//
// Data on the channels is UTF-8 JSON: {t:'chat',text} on the reliable channel, {t:'ping',n,ts} ->
// {t:'pong',n,ts} on the unreliable one; plain text is taken as chat (e.g. from a Godot game).
// The bot gathers ICE candidates on --bot-address (default 127.0.0.1); --bot-interfaces adds this
// machine's real interfaces, which a browser needs (browsers do not use loopback candidates).
// RTCPEER_DEMO_SOURCE=1 (with `node --import tsx`) runs from src/ instead of dist/ (tests).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';
import { TextDecoder, TextEncoder, parseArgs } from 'node:util';

const lib = await import(process.env.RTCPEER_DEMO_SOURCE === '1' ? '../../src/index.ts' : '../../dist/index.js');
const { MultiplayerClient, WebRTCPeerConnection, nodeBinding, consoleLogger, startSignalingServer, TransferMode } = lib;
const PAGE = readFileSync(fileURLToPath(new URL('./page.html', import.meta.url)));
const MAX_BOT_LOBBIES = 16;
const POLL_MS = 4;
const enc = new TextEncoder();
const dec = new TextDecoder();

const HELP = 'commands: /help, /time, /peers, /stats; anything else is echoed back';

/** One bot seat per lobby: a MultiplayerClient that answers chat and pings. */
class BotSeat {
  constructor(bot, lobby, mesh) {
    this.bot = bot;
    this.stats = { chats: 0, pings: 0 };
    this.closed = false;
    this.mc = new MultiplayerClient({ createConnection: () => new WebRTCPeerConnection({ env: bot.env, logger: bot.logger }), logger: bot.logger });
    this.lobby = new Promise((resolve, reject) => {
      this.mc.signaling.on('lobbyJoined', resolve);
      this.mc.signaling.on('disconnected', (code, reason) => {
        reject(new Error(`signaling closed ${code} ${reason}`));
        this.closed = true; // tick() lets the seat go once its peers are gone (sealed lobbies keep them)
      });
    });
    this.lobby.catch(() => {});
    this.mc.mp.connect('peer_connected', (id) => {
      bot.say(`peer ${id} connected to the bot (lobby ${this.mc.signaling.lobby})`);
      this.reply(id, TransferMode.TRANSFER_MODE_RELIABLE, 0, { t: 'chat', text: `hello peer ${id}, I am the rtcpeer bot (peer ${this.mc.mp.getUniqueId()}). ${HELP}` });
    });
    this.mc.mp.connect('peer_disconnected', (id) => bot.say(`peer ${id} left the bot (lobby ${this.mc.signaling.lobby})`));
    this.mc.start(bot.wsUrl, lobby, mesh);
  }

  reply(to, mode, channel, msg) {
    const mp = this.mc.mp;
    mp.setTargetPeer(to);
    mp.transferMode = mode;
    mp.transferChannel = channel;
    mp.putPacket(enc.encode(JSON.stringify(msg)));
    mp.setTargetPeer(0);
    mp.transferMode = TransferMode.TRANSFER_MODE_RELIABLE;
    mp.transferChannel = 0;
  }

  answer(text) {
    if (text === '/help') return HELP;
    if (text === '/time') return new Date().toISOString();
    if (text === '/peers') return `peers of the bot: ${[...this.mc.mp.getPeers().keys()].join(', ') || 'none'}`;
    if (text === '/stats') return `chats ${this.stats.chats}, pings answered ${this.stats.pings}`;
    return `you said "${text}" (${[...text].length} characters)`;
  }

  tick() {
    const mp = this.mc.mp;
    this.mc.poll();
    if (this.closed && mp.getPeers().size === 0) {
      this.stop();
      this.bot.seats.delete(this);
      return;
    }
    while (mp.getAvailablePacketCount() > 0) {
      const from = mp.getPacketPeer();
      const mode = mp.getPacketMode();
      const channel = mp.getPacketChannel();
      const text = dec.decode(mp.getPacket());
      let msg;
      try {
        msg = JSON.parse(text);
      } catch {
        msg = { t: 'chat', text };
      }
      if (msg?.t === 'ping') {
        this.stats.pings++;
        this.reply(from, mode, channel, { t: 'pong', n: msg.n, ts: msg.ts });
      } else if (msg?.t === 'chat' && typeof msg.text === 'string') {
        this.stats.chats++;
        this.bot.say(`peer ${from}: ${msg.text.slice(0, 200)}`);
        this.reply(from, TransferMode.TRANSFER_MODE_RELIABLE, 0, { t: 'chat', text: this.answer(msg.text.slice(0, 2000)) });
      }
    }
  }

  stop() {
    this.mc.stop();
  }
}

/** The bot: seats in lobbies, polled together like a game's _process. */
class Bot {
  constructor(wsUrl, env, logger, say) {
    Object.assign(this, { wsUrl, env, logger, say, seats: new Set() });
    this.timer = setInterval(() => {
      for (const s of this.seats) s.tick();
    }, POLL_MS);
  }

  /** Joins (or with "" creates) a lobby; resolves with its name. */
  join(lobby, mesh) {
    if (this.seats.size >= MAX_BOT_LOBBIES) return Promise.reject(new Error('the bot sits in too many lobbies'));
    const seat = new BotSeat(this, lobby, mesh);
    this.seats.add(seat);
    return seat.lobby;
  }

  /** The bot's lobbies and the peers connected to it in each. */
  status() {
    return { lobbies: [...this.seats].map((s) => ({ lobby: s.mc.signaling.lobby, id: s.mc.mp.getUniqueId(), peers: [...s.mc.mp.getPeers().keys()] })) };
  }

  stop() {
    clearInterval(this.timer);
    for (const s of this.seats) s.stop();
    this.seats.clear();
  }
}

function serveHttp(bot, config, onError) {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const json = (code, body) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
    } else if (req.method === 'GET' && url.pathname === '/config.json') json(200, config);
    else if (url.pathname === '/favicon.ico') res.writeHead(204).end();
    else if (req.method === 'GET' && url.pathname === '/api/status') json(200, bot.status());
    else if (req.method === 'POST' && url.pathname === '/api/invite') {
      const lobby = url.searchParams.get('lobby') ?? '';
      if (lobby === '' || lobby.length > 128) return json(400, { error: 'give ?lobby=<name>' });
      bot.join(lobby, url.searchParams.get('mesh') !== '0').then((name) => json(200, { lobby: name }), (e) => json(409, { error: e.message }));
    } else json(404, { error: 'not found' });
  }).on('error', onError);
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
  });
}

function urlHost(host) {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts everything; returns the addresses and a stop(). */
export async function startDemo(o = {}) {
  const host = o.host ?? '127.0.0.1';
  const logger = consoleLogger(o.verbose ? 'info' : 'warn');
  const say = o.say ?? ((line) => console.log(line));
  const signaling = await startSignalingServer({ host, port: o.port ?? 9080, logger });
  const addresses = o.botAddresses?.length ? o.botAddresses : ['127.0.0.1'];
  const env = o.botInterfaces
    ? nodeBinding({ gather: { includeLoopback: true } })
    : nodeBinding({ addresses });
  const wsHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const wsUrl = `ws://${urlHost(wsHost)}:${signaling.port}`;
  const bot = new Bot(wsUrl, env, logger, say);
  let http;
  try {
    const lobby = await bot.join('', true);
    http = serveHttp(bot, { wsPort: signaling.port, lobby }, (e) => say(`http error: ${e.message}`));
    const httpPort = await listen(http, o.httpPort ?? 8080, host);
    const stop = async () => {
      bot.stop();
      http.closeAllConnections?.();
      await Promise.all([new Promise((r) => http.close(() => r())), signaling.close()]);
    };
    return { url: `http://${urlHost(wsHost)}:${httpPort}/`, wsUrl, lobby, httpPort, wsPort: signaling.port, gather: o.botInterfaces ? 'loopback + interfaces' : addresses.join(', '), stop };
  } catch (e) {
    bot.stop();
    http?.close();
    await signaling.close();
    throw e;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '9080' },
      'http-port': { type: 'string', default: '8080' },
      'bot-address': { type: 'string', multiple: true },
      'bot-interfaces': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm start -- [--host 127.0.0.1] [--port 9080] [--http-port 8080] [--bot-address <ip>]... [--bot-interfaces] [--verbose]');
    return;
  }
  const demo = await startDemo({
    host: values.host, port: Number(values.port), httpPort: Number(values['http-port']),
    botAddresses: values['bot-address'] ?? [], botInterfaces: values['bot-interfaces'], verbose: values.verbose,
  });
  console.log('rtcpeer demo: a Node bot on rtcpeer, a Godot-compatible signaling server and a web page');
  console.log(`  signaling  ${demo.wsUrl}  (godot-demo-projects webrtc_signaling protocol)`);
  console.log(`  bot        waits in mesh lobby "${demo.lobby}", ICE candidates on ${demo.gather}`);
  console.log(`  open       ${demo.url}`);
  if (!values['bot-interfaces']) console.log('  (a browser on this machine may need --bot-interfaces: browsers ignore loopback candidates)');
  console.log('  Ctrl+C stops');
  const quit = () => void demo.stop().then(() => process.exit(0));
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(`demo failed: ${e.message}`);
    process.exit(1);
  });
}
