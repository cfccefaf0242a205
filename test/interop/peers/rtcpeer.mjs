// Peer driver: rtcpeer through its public Godot-style facade (src/index.ts, run with `node --import tsx`),
// over the JSON-lines protocol of stdio.mjs. Gathering is restricted to the one address in `init.bind`.
// RTCPEER_LOG=debug|info|warn sends the stack's log to stderr. With --sped, sending fails unless a DTLS
// packet came embedded in STUN (SPED, src/ice/sped.ts): the case then did not test it.
/* global setInterval, clearInterval */
import { WebRTCPeerConnection, WebRTCDataChannel, createPeerConnection, nodeBinding, consoleLogger, createLogger, formatLogRecord } from '../../../src/index.ts';
import { emit, payload, serve, sha256, sleep } from './stdio.mjs';

const CONN = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'];
const CHAN = ['connecting', 'open', 'closing', 'closed'];
let pc;
let trickle = true;
const channels = new Map(); // key -> { ch, state }
const candidates = [];
let lastState = 'new';
let inCount = 0;
let pendingSdp;
let ticker;
const sped = process.argv.includes('--sped');
let spedSeen = false;

function track(key, ch) {
  // Godot's putPacket drops empty buffers; the extension sends them as RFC 8831 empty messages,
  // which is what the 0-byte case checks on the wire.
  ch.sendEmptyPackets = true;
  const entry = { ch, state: 'connecting' };
  channels.set(key, entry);
  return entry;
}

function tick() {
  pc.poll();
  const s = CONN[pc.getConnectionState()];
  if (s !== lastState) emit({ ev: 'state', state: (lastState = s) });
  for (const [key, e] of channels) {
    for (;;) {
      const data = e.ch.getPacket();
      if (e.ch.getPacketError() !== 0) break;
      emit({ ev: 'message', key, text: e.ch.wasStringPacket(), len: data.length, sha: sha256(data) });
    }
    const st = CHAN[e.ch.getReadyState()];
    if (st === e.state) continue;
    const was = e.state;
    e.state = st;
    if (st === 'open') emit({ ev: 'open', key, sid: e.ch.getId() });
    if (st === 'closed' && was !== 'closed') emit({ ev: 'closed', key });
  }
}

// "All candidates in the SDP": Godot signals candidates separately, so (like a signalling server that
// bundles them) we wait for gathering to complete and add the ones the SDP does not carry yet.
async function withCandidates(sdp) {
  if (trickle) return sdp;
  while (pc.getGatheringState() !== WebRTCPeerConnection.GATHERING_STATE_COMPLETE) await sleep(2);
  const lines = sdp.split('\r\n').filter((l) => l !== '');
  const extra = candidates.filter((c) => !lines.includes(`a=${c}`) && !lines.includes(c)).map((c) => (c.startsWith('a=') ? c : `a=${c}`));
  const out = lines.filter((l) => l !== 'a=end-of-candidates');
  return [...out, ...extra, 'a=end-of-candidates', ''].join('\r\n');
}

function nextDescription() {
  return new Promise((resolve) => (pendingSdp = resolve));
}

serve({
  init(m) {
    trickle = m.trickle !== false;
    const level = process.env.RTCPEER_LOG;
    const out = level ? consoleLogger(level) : undefined;
    const logger = createLogger((r) => {
      if (r.msg === 'DTLS in STUN: first embedded packet received') spedSeen = true;
      if (out?.enabled(r.level)) process.stderr.write(`[rtcpeer] ${formatLogRecord(r)}\n`);
    }, out?.enabled('debug') ? 'debug' : 'info');
    pc = createPeerConnection({ env: nodeBinding({ addresses: [m.bind] }), logger });
    pc.connect('session_description_created', (type, sdp) => pendingSdp?.({ type, sdp }));
    pc.connect('ice_candidate_created', (mid, index, candidate) => {
      candidates.push(candidate);
      if (trickle) emit({ ev: 'candidate', candidate, mid });
    });
    pc.connect('data_channel_received', (ch) => {
      const key = `in${inCount++}`;
      track(key, ch);
      emit({ ev: 'channel', key, label: ch.getLabel(), protocol: ch.getProtocol(), sid: ch.getId(), ordered: ch.isOrdered(), maxRetransmits: ch.getMaxRetransmits(), maxPacketLifeTime: ch.getMaxPacketLifeTime(), negotiated: ch.isNegotiated() });
    });
    ticker = setInterval(tick, 1);
    return { version: 'rtcpeer (src)' };
  },
  channel(m) {
    const ch = pc.createDataChannel(m.label, m.options ?? {});
    if (!ch) throw new Error(`createDataChannel refused ${JSON.stringify(m.options)}`);
    track(m.key, ch);
  },
  async offer() {
    const next = nextDescription();
    if (pc.createOffer() !== 0) throw new Error('createOffer failed');
    const d = await next;
    return { sdp: await withCandidates(d.sdp) };
  },
  async answer(m) {
    const next = nextDescription();
    const err = pc.setRemoteDescription('offer', m.sdp);
    if (err !== 0) throw new Error(`setRemoteDescription(offer) = ${err}`);
    const d = await next;
    return { sdp: await withCandidates(d.sdp) };
  },
  remote(m) {
    const err = pc.setRemoteDescription(m.type, m.sdp);
    if (err !== 0) throw new Error(`setRemoteDescription(${m.type}) = ${err}`);
  },
  candidate(m) {
    const err = pc.addIceCandidate(m.mid ?? '0', 0, m.candidate);
    if (err !== 0) throw new Error(`addIceCandidate = ${err}`);
  },
  async send(m) {
    if (sped && !spedSeen) throw new Error('SPED: no DTLS packet came embedded in STUN');
    const { ch } = channels.get(m.key);
    ch.setWriteMode(m.text ? WebRTCDataChannel.WRITE_MODE_TEXT : WebRTCDataChannel.WRITE_MODE_BINARY);
    for (let i = 0; i < (m.count ?? 1); i++) {
      while (ch.getBufferedAmount() > 4 * 1024 * 1024) await sleep(2);
      const err = ch.putPacket(payload(m.size, m.seed + i));
      if (err !== 0) throw new Error(`putPacket(${m.size}) = ${err}`);
    }
  },
  closeChannel(m) {
    channels.get(m.key).ch.close();
  },
  info() {
    tick();
    return { state: CONN[pc.getConnectionState()], channels: [...channels].map(([key, e]) => ({ key, state: CHAN[e.ch.getReadyState()], id: e.ch.getId(), label: e.ch.getLabel(), buffered: e.ch.getBufferedAmount() })) };
  },
  close() {
    // From a timer, as a game loop would: called inside a promise job, the sockets are closed before
    // dgram's next-tick send of the ABORT and close_notify (see docs/interop.md, bug 2).
    return new Promise((resolve) => setTimeout(() => (pc.close(), tick(), resolve()), 0));
  },
  exit() {
    clearInterval(ticker);
    setTimeout(() => process.exit(0), 10);
  },
});
