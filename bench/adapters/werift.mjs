// werift adapter: see ./README.md for the contract.
import { RTCPeerConnection } from 'werift';
import { packageVersion } from '../lib/version.mjs';

export const name = 'werift';

export async function load() {
  return { version: packageVersion('werift') };
}

function wrapChannel(dc) {
  let onMessage = () => {};
  let onOpen = () => {};
  let onLow = () => {};
  dc.onMessage.subscribe((m) => onMessage(typeof m === 'string' ? Buffer.from(m) : m));
  dc.stateChanged.subscribe((s) => s === 'open' && onOpen());
  dc.bufferedAmountLow.subscribe(() => onLow());
  return {
    send: (u8) => dc.send(Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)),
    bufferedAmount: () => dc.bufferedAmount,
    setLowThreshold: (n) => void (dc.bufferedAmountLowThreshold = n),
    onLow: (cb) => void (onLow = cb),
    onOpen: (cb) => void (onOpen = cb),
    isOpen: () => dc.readyState === 'open',
    onMessage: (cb) => void (onMessage = cb),
    close: () => dc.close(),
  };
}

export function createPeer({ onSignal, onChannel }) {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  pc.onIceCandidate.subscribe((c) => c && onSignal({ kind: 'cand', candidate: c.candidate, mid: c.sdpMid ?? '0' }));
  pc.onDataChannel.subscribe((dc) => onChannel(wrapChannel(dc)));
  const sendLocal = async (desc) => {
    await pc.setLocalDescription(desc);
    onSignal({ kind: 'desc', type: desc.type, sdp: pc.localDescription.sdp });
  };
  return {
    createChannel: (label, o = {}) =>
      wrapChannel(pc.createDataChannel(label, { ordered: o.ordered !== false, ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}) })),
    start: () => void pc.createOffer().then(sendLocal),
    signal: (msg) => {
      if (msg.kind === 'cand') return void pc.addIceCandidate({ candidate: msg.candidate, sdpMid: msg.mid, sdpMLineIndex: 0 });
      void pc.setRemoteDescription({ type: msg.type, sdp: msg.sdp }).then(() => (msg.type === 'offer' ? pc.createAnswer().then(sendLocal) : undefined));
    },
    close: () => void pc.close(),
  };
}
