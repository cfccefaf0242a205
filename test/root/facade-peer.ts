/**
 * rtcpeer through its PUBLIC facade only (WebRTCPeerConnection + nodeBinding + initialize()), as a
 * lab peer speaking the JSON-lines protocol of test/interop/peers/stdio.mjs, so test/interop's
 * PeerProcess and session helpers drive it against Chromium or another facade peer.
 *
 *   node --import tsx test/root/facade-peer.ts '<FacadePeerSetup json>'
 *
 * Ops: init {bind, trickle} (gathers on `bind` only), channel, offer, answer, remote, candidate,
 * send, info, close, exit, and `stats`: what ICE selected as the facade tells it (the rtcpeer
 * extension `getIceStats()`) and the candidates it signalled. Events: candidate, channel, open,
 * message, state, closed.
 * `publishMdns` sets the binding's `mdnsPublish` option: the facade signals host candidates under
 * `<uuid>.local` names and answers for them over multicast DNS. RTCPEER_LOG=debug|info|warn
 * overrides `log` (stderr).
 */
import { readFileSync } from 'node:fs';
import { createPeerConnection, consoleLogger, nodeBinding, silentLogger, WebRTCDataChannel, WebRTCPeerConnection } from '../../src/index.js';
import type { LogLevel, NodeBindingOptions } from '../../src/index.js';
import { emit, payload, serve, sha256, sleep } from '../interop/peers/stdio.mjs';

export interface FacadePeerSetup {
  /** The Godot configuration dictionary given to initialize(). */
  readonly config?: Record<string, unknown>;
  /** Extra nodeBinding() options (JSON). */
  readonly binding?: Record<string, unknown>;
  /** A PEM file (the test's self-signed TURN certificate) given to every iceServers entry as its
   * `tlsCa` (the rtcpeer extension field that trusts it for turns: URLs). */
  readonly tlsCaFile?: string;
  readonly publishMdns?: boolean;
  readonly log?: LogLevel;
}

const CONN = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'];
const CHAN = ['connecting', 'open', 'closing', 'closed'];
const setup = JSON.parse(process.argv[2] ?? '{}') as FacadePeerSetup;
const channels = new Map<string, { ch: WebRTCDataChannel; state: string }>();
const signalled: string[] = [];
let pc!: WebRTCPeerConnection;
let trickle = true;
let lastState = 'new';
let inCount = 0;
let pendingSdp: ((d: { type: string; sdp: string }) => void) | undefined;
let ticker: ReturnType<typeof setInterval> | undefined;

function bindingOptions(bind: string): NodeBindingOptions {
  return { ...setup.binding, addresses: [bind], ...(setup.publishMdns ? { mdnsPublish: true } : {}) } as NodeBindingOptions;
}

/** The initialize() dictionary, with `tlsCa` read from `tlsCaFile` into every iceServers entry. */
function configuration(): Record<string, unknown> {
  const config = { ...setup.config };
  if (setup.tlsCaFile === undefined || !Array.isArray(config['iceServers'])) return config;
  const tlsCa = readFileSync(setup.tlsCaFile, 'utf8');
  return { ...config, iceServers: (config['iceServers'] as object[]).map((s) => ({ ...s, tlsCa })) };
}

function track(key: string, ch: WebRTCDataChannel): void {
  ch.sendEmptyPackets = true;
  channels.set(key, { ch, state: 'connecting' });
}

function drain(key: string, ch: WebRTCDataChannel): void {
  for (;;) {
    const data = ch.getPacket();
    if (ch.getPacketError() !== 0) return;
    emit({ ev: 'message', key, text: ch.wasStringPacket(), len: data.length, sha: sha256(data) });
  }
}

function tick(): void {
  pc.poll();
  const s = CONN[pc.getConnectionState()] ?? 'closed';
  if (s !== lastState) emit({ ev: 'state', state: (lastState = s) });
  for (const [key, e] of channels) {
    drain(key, e.ch);
    const st = CHAN[e.ch.getReadyState()] ?? 'closed';
    if (st === e.state) continue;
    const was = e.state;
    e.state = st;
    if (st === 'open') emit({ ev: 'open', key, sid: e.ch.getId() });
    if (st === 'closed' && was !== 'closed') emit({ ev: 'closed', key });
  }
}

/** Non-trickle: wait for gathering, then put every signalled candidate into the description. */
async function withCandidates(sdp: string): Promise<string> {
  if (trickle) return sdp;
  while (pc.getGatheringState() !== WebRTCPeerConnection.GATHERING_STATE_COMPLETE) await sleep(2);
  const lines = sdp.split('\r\n').filter((l) => l !== '' && l !== 'a=end-of-candidates');
  const extra = signalled.filter((c) => !lines.includes(`a=${c}`)).map((c) => `a=${c}`);
  return [...lines, ...extra, 'a=end-of-candidates', ''].join('\r\n');
}

function nextDescription(): Promise<{ type: string; sdp: string }> {
  return new Promise((resolve) => (pendingSdp = resolve));
}

async function init(m: Record<string, unknown>): Promise<Record<string, unknown>> {
  trickle = m['trickle'] !== false;
  const level = (process.env['RTCPEER_LOG'] as LogLevel | undefined) ?? setup.log;
  const logger = level ? consoleLogger(level) : silentLogger;
  pc = createPeerConnection({ env: nodeBinding(bindingOptions(String(m['bind']))), logger });
  const err = pc.initialize(configuration());
  if (err !== 0) throw new Error(`initialize(${JSON.stringify(setup.config)}) = ${err}`);
  pc.connect('session_description_created', (type, sdp) => pendingSdp?.({ type, sdp }));
  pc.connect('ice_candidate_created', (mid, _index, candidate) => {
    signalled.push(candidate);
    if (trickle) emit({ ev: 'candidate', candidate, mid });
  });
  pc.connect('data_channel_received', (ch) => {
    const key = `in${inCount++}`;
    track(key, ch);
    emit({ ev: 'channel', key, label: ch.getLabel(), protocol: ch.getProtocol(), sid: ch.getId(), ordered: ch.isOrdered(), negotiated: ch.isNegotiated() });
  });
  ticker = setInterval(tick, 1);
  return { version: `rtcpeer facade${setup.publishMdns ? ' (mdnsPublish)' : ''}` };
}

function checked(what: string, err: number): void {
  if (err !== 0) throw new Error(`${what} = ${err}`);
}

serve({
  init,
  channel(m) {
    const ch = pc.createDataChannel(String(m['label']), (m['options'] ?? {}) as Record<string, unknown>);
    if (!ch) throw new Error('createDataChannel refused');
    track(String(m['key']), ch);
  },
  async offer() {
    const next = nextDescription();
    checked('createOffer', pc.createOffer());
    return { sdp: await withCandidates((await next).sdp) };
  },
  async answer(m) {
    const next = nextDescription();
    checked('setRemoteDescription(offer)', pc.setRemoteDescription('offer', String(m['sdp'])));
    return { sdp: await withCandidates((await next).sdp) };
  },
  remote: (m) => checked('setRemoteDescription', pc.setRemoteDescription(String(m['type']), String(m['sdp']))),
  candidate: (m) => checked('addIceCandidate', pc.addIceCandidate(String(m['mid'] ?? '0'), 0, String(m['candidate']))),
  async send(m) {
    const e = channels.get(String(m['key']));
    if (!e) throw new Error(`no channel ${String(m['key'])}`);
    e.ch.setWriteMode(m['text'] ? WebRTCDataChannel.WRITE_MODE_TEXT : WebRTCDataChannel.WRITE_MODE_BINARY);
    for (let i = 0; i < Number(m['count'] ?? 1); i++) {
      while (e.ch.getBufferedAmount() > 4 * 1024 * 1024) await sleep(2);
      checked('putPacket', e.ch.putPacket(payload(Number(m['size']), Number(m['seed']) + i)));
    }
  },
  stats: () => ({ ice: pc.getIceStats(), signalled: [...signalled] }),
  info() {
    tick();
    return { state: CONN[pc.getConnectionState()] };
  },
  close: () => new Promise<void>((resolve) => setTimeout(() => (pc.close(), tick(), resolve()), 0)),
  exit() {
    if (ticker) clearInterval(ticker);
    setTimeout(() => process.exit(0), 10);
  },
});
