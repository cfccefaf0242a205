/* global setInterval, clearInterval */
// Peer driver: node-datachannel (libdatachannel), driven over the JSON-lines protocol of stdio.mjs.
import nodeDataChannel from 'node-datachannel';
import { emit, payload, serve, sha256, sleep } from './stdio.mjs';

let pc;
let trickle = true;
let gathered;
const channels = new Map(); // key -> { dc, state }
let inCount = 0;

function watch(key, dc, announce) {
  const entry = { dc, state: 'connecting', id: dc.getId(), label: dc.getLabel() };
  channels.set(key, entry);
  if (announce) emit({ ev: 'channel', key, label: dc.getLabel(), protocol: dc.getProtocol(), sid: dc.getId() });
  const opened = () => {
    if (entry.state !== 'connecting') return;
    entry.state = 'open';
    emit({ ev: 'open', key, sid: dc.getId() });
  };
  dc.onOpen(opened);
  // libdatachannel may hand over an incoming channel already open and never call onOpen for it.
  const poll = setInterval(() => (entry.state !== 'connecting' ? clearInterval(poll) : dc.isOpen() && opened()), 5);
  dc.onOpen(() => (entry.id = dc.getId()));
  dc.onClosed(() => {
    entry.state = 'closed';
    emit({ ev: 'closed', key });
  });
  dc.onMessage((m) => {
    const text = typeof m === 'string';
    const bytes = text ? Buffer.from(m, 'utf8') : Buffer.from(m);
    emit({ ev: 'message', key, text, len: bytes.length, sha: sha256(bytes) });
  });
}

function channelInit(o = {}) {
  return {
    ...(o.ordered === false ? { unordered: true } : {}),
    ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}),
    ...(o.maxPacketLifeTime !== undefined ? { maxPacketLifeTime: o.maxPacketLifeTime } : {}),
    ...(o.protocol !== undefined ? { protocol: o.protocol } : {}),
    ...(o.negotiated ? { negotiated: true, id: o.id } : {}),
  };
}

const localSdp = async () => {
  if (!trickle) await gathered;
  return pc.localDescription().sdp;
};

serve({
  init(m) {
    trickle = m.trickle !== false;
    pc = new nodeDataChannel.PeerConnection('ndc', {
      iceServers: [],
      bindAddress: m.bind,
      enableIceUdpMux: false,
      maxMessageSize: 262144,
      disableAutoNegotiation: true,
    });
    gathered = new Promise((res) => pc.onGatheringStateChange((s) => s === 'complete' && (emit({ ev: 'gathered' }), res())));
    pc.onLocalCandidate((candidate, mid) => emit({ ev: 'candidate', candidate, mid }));
    pc.onStateChange((state) => emit({ ev: 'state', state }));
    pc.onDataChannel((dc) => watch(`in${inCount++}`, dc, true));
    return { version: '0.33.4 (libdatachannel)' };
  },
  channel(m) {
    watch(m.key, pc.createDataChannel(m.label, channelInit(m.options)), false);
  },
  async offer() {
    pc.setLocalDescription('offer');
    return { sdp: await localSdp() };
  },
  async answer(m) {
    pc.setRemoteDescription(m.sdp, 'offer');
    pc.setLocalDescription('answer');
    return { sdp: await localSdp() };
  },
  remote(m) {
    pc.setRemoteDescription(m.sdp, m.type);
  },
  candidate(m) {
    pc.addRemoteCandidate(m.candidate, m.mid ?? '0');
  },
  async send(m) {
    const { dc } = channels.get(m.key);
    for (let i = 0; i < (m.count ?? 1); i++) {
      while (dc.bufferedAmount() > 4 * 1024 * 1024) await sleep(2);
      const bytes = payload(m.size, m.seed + i);
      const ok = m.text ? dc.sendMessage(Buffer.from(bytes).toString('latin1')) : dc.sendMessageBinary(Buffer.from(bytes));
      if (!ok && dc.bufferedAmount() === 0) throw new Error(`send failed on ${m.key}`);
    }
  },
  closeChannel(m) {
    channels.get(m.key).dc.close();
  },
  info() {
    return { state: pc.state(), channels: [...channels].map(([key, e]) => ({ key, state: e.state, id: e.id, label: e.label, buffered: e.state === 'closed' ? 0 : e.dc.bufferedAmount() })) };
  },
  close() {
    pc.close();
  },
  exit() {
    setTimeout(() => {
      nodeDataChannel.cleanup();
      process.exit(0);
    }, 10);
  },
});
