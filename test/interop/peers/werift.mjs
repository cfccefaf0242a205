// Peer driver: werift (pure TypeScript WebRTC), driven over the JSON-lines protocol of stdio.mjs.
import { RTCPeerConnection } from 'werift';
import { emit, payload, serve, sha256, sleep } from './stdio.mjs';

let pc;
let trickle = true;
let gathered;
const channels = new Map();
let inCount = 0;

function watch(key, dc, announce) {
  const entry = { dc, state: dc.readyState };
  channels.set(key, entry);
  if (announce) emit({ ev: 'channel', key, label: dc.label, protocol: dc.protocol, sid: dc.id });
  const update = (s) => {
    if (s === entry.state && s !== 'open') return;
    if (s === 'open' && entry.announcedOpen) return;
    entry.state = s;
    if (s === 'open') {
      entry.announcedOpen = true;
      emit({ ev: 'open', key, sid: dc.id });
    } else if (s === 'closed') emit({ ev: 'closed', key });
  };
  dc.stateChange.subscribe(update);
  if (dc.readyState === 'open') update('open');
  dc.onMessage.subscribe((m) => {
    const text = typeof m === 'string';
    const bytes = text ? Buffer.from(m, 'utf8') : Buffer.from(m);
    emit({ ev: 'message', key, text, len: bytes.length, sha: sha256(bytes) });
  });
}

function channelInit(o = {}) {
  return {
    ordered: o.ordered !== false,
    ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}),
    ...(o.maxPacketLifeTime !== undefined ? { maxPacketLifeTime: o.maxPacketLifeTime } : {}),
    ...(o.protocol !== undefined ? { protocol: o.protocol } : {}),
    ...(o.negotiated ? { negotiated: true, id: o.id } : {}),
  };
}

const localSdp = async () => {
  if (!trickle) await gathered;
  return pc.localDescription.sdp;
};

serve({
  init(m) {
    trickle = m.trickle !== false;
    pc = new RTCPeerConnection({ iceServers: [], iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: [m.bind] });
    gathered = new Promise((res) => {
      pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && (emit({ ev: 'gathered' }), res()));
    });
    pc.onIceCandidate.subscribe((c) => c && c.candidate && emit({ ev: 'candidate', candidate: c.candidate, mid: c.sdpMid ?? '0' }));
    pc.connectionStateChange.subscribe((state) => emit({ ev: 'state', state }));
    pc.onDataChannel.subscribe((dc) => watch(`in${inCount++}`, dc, true));
    return { version: '0.25.2' };
  },
  channel(m) {
    watch(m.key, pc.createDataChannel(m.label, channelInit(m.options)), false);
  },
  async offer() {
    await pc.setLocalDescription(await pc.createOffer());
    return { sdp: await localSdp() };
  },
  async answer(m) {
    await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    return { sdp: await localSdp() };
  },
  async remote(m) {
    await pc.setRemoteDescription({ type: m.type, sdp: m.sdp });
  },
  async candidate(m) {
    await pc.addIceCandidate({ candidate: m.candidate, sdpMid: m.mid ?? '0', sdpMLineIndex: 0 });
  },
  async send(m) {
    const { dc } = channels.get(m.key);
    for (let i = 0; i < (m.count ?? 1); i++) {
      while (dc.bufferedAmount > 4 * 1024 * 1024) await sleep(2);
      const bytes = payload(m.size, m.seed + i);
      dc.send(m.text ? Buffer.from(bytes).toString('latin1') : Buffer.from(bytes));
    }
  },
  closeChannel(m) {
    channels.get(m.key).dc.close();
  },
  info() {
    return { state: pc.connectionState, channels: [...channels].map(([key, e]) => ({ key, state: e.dc.readyState, id: e.dc.id, label: e.dc.label, buffered: e.dc.bufferedAmount })) };
  },
  async close() {
    await pc.close();
  },
  exit() {
    setTimeout(() => process.exit(0), 10);
  },
});
