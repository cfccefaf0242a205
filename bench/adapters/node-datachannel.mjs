// node-datachannel (libdatachannel) adapter: see ./README.md for the contract.
import { packageVersion } from '../lib/version.mjs';
import ndc from 'node-datachannel';

export const name = 'node-datachannel';

export async function load() {
  return { version: `${packageVersion('node-datachannel')} (libdatachannel ${ndc.getLibraryVersion()})` };
}

function wrapChannel(dc) {
  let onMessage = () => {};
  let onOpen = () => {};
  let onLow = () => {};
  dc.onMessage((m) => onMessage(typeof m === 'string' ? Buffer.from(m) : m));
  dc.onOpen(() => onOpen());
  dc.onBufferedAmountLow(() => onLow());
  return {
    send: (u8) => void dc.sendMessageBinary(Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)),
    bufferedAmount: () => dc.bufferedAmount(),
    setLowThreshold: (n) => dc.setBufferedAmountLowThreshold(n),
    onLow: (cb) => void (onLow = cb),
    onOpen: (cb) => void (onOpen = cb),
    isOpen: () => dc.isOpen(),
    onMessage: (cb) => void (onMessage = cb),
    close: () => dc.close(),
  };
}

let seq = 0;
export function createPeer({ onSignal, onChannel }) {
  const pc = new ndc.PeerConnection(`p${seq++}`, { iceServers: [], bindAddress: '127.0.0.1' });
  pc.onLocalDescription((sdp, type) => onSignal({ kind: 'desc', type: type.toLowerCase(), sdp }));
  pc.onLocalCandidate((candidate, mid) => onSignal({ kind: 'cand', candidate, mid }));
  pc.onDataChannel((dc) => onChannel(wrapChannel(dc)));
  // Remote candidates that arrive before the remote description wait for it (libdatachannel
  // refuses them while it has no ICE transport).
  let early = [];
  const addCandidate = (m) => pc.addRemoteCandidate(m.candidate, m.mid);
  return {
    createChannel: (label, o = {}) =>
      wrapChannel(pc.createDataChannel(label, { unordered: o.ordered === false, ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}) })),
    start: () => {}, // libdatachannel negotiates automatically once a channel exists
    signal: (msg) => {
      if (msg.kind === 'cand') return void (early ? early.push(msg) : addCandidate(msg));
      pc.setRemoteDescription(msg.sdp, msg.type);
      const queued = early ?? [];
      early = undefined;
      queued.forEach(addCandidate);
    },
    close: () => pc.close(),
  };
}
