// rtcpeer adapter, through the public entry point only (`import ... from 'rtcpeer'`, the built dist):
// the Godot facade WebRTCPeerConnection / WebRTCDataChannel with poll(). See ./README.md.
// A Godot game polls once per frame; here one pump per process polls every peer and channel on
// every event-loop turn (setImmediate) until 20 ms passed without anything happening, then on a
// 1 ms timer until something happens again. The polling's CPU is part of rtcpeer's figures.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';

export const name = 'rtcpeer';

let api;
let env; // nodeBinding({ addresses: ['127.0.0.1'] }): gather on loopback only

export async function load() {
  let mod;
  try {
    mod = await import('rtcpeer');
  } catch (e) {
    return { unavailable: `import('rtcpeer') failed (run npm run build): ${e instanceof Error ? e.message.split('\n')[0] : e}` };
  }
  if (typeof mod.WebRTCPeerConnection !== 'function' || typeof mod.WebRTCDataChannel !== 'function') {
    return { unavailable: "the public entry (src/index.ts -> dist/index.js) does not export WebRTCPeerConnection/WebRTCDataChannel yet" };
  }
  api = mod;
  if (typeof mod.nodeBinding === 'function') env = mod.nodeBinding({ addresses: ['127.0.0.1'] });
  return { version: createRequire(import.meta.url)('../../package.json').version };
}

/** Called by workloads whose side B plays a server (many): its connections share one UDP socket
 * (nodeBinding sharedSocket); side A keeps a port per connection, as browsers, so pairs stay distinct. */
export function useSharedSocket() {
  if (typeof api?.nodeBinding === 'function') env = api.nodeBinding({ addresses: ['127.0.0.1'], sharedSocket: true });
}

const peers = new Set();
let pumping = false;
let lastBusy = 0;
const SPIN_MS = 20;

function pump() {
  let busy = false;
  for (const p of peers) busy = p.tick() || busy;
  if (peers.size === 0) return void (pumping = false);
  const now = performance.now();
  if (busy) lastBusy = now;
  if (now - lastBusy < SPIN_MS) setImmediate(pump);
  else setTimeout(pump, 1);
}

function ensurePump() {
  if (pumping) return;
  pumping = true;
  setImmediate(pump);
}

function wrapChannel(dc) {
  const OPEN = api.WebRTCDataChannel.STATE_OPEN;
  let onMessage = () => {};
  let onOpen = () => {};
  let onLow = () => {};
  let low = 0;
  let armed = false;
  let wasOpen = false;
  const ch = {
    send: (u8) => {
      const err = dc.putPacket(u8);
      if (err !== 0) throw new Error(`putPacket failed: Godot error ${err}`);
      if (dc.getBufferedAmount() > low) armed = true;
      lastBusy = performance.now();
      ensurePump();
    },
    bufferedAmount: () => dc.getBufferedAmount(),
    setLowThreshold: (n) => void (low = n),
    onLow: (cb) => void (onLow = cb),
    onOpen: (cb) => void (onOpen = cb),
    isOpen: () => dc.getReadyState() === OPEN,
    onMessage: (cb) => void (onMessage = cb),
    close: () => dc.close(),
    /** One poll round; true when something happened. */
    tick: () => {
      let busy = false;
      dc.poll();
      if (!wasOpen && dc.getReadyState() === OPEN) {
        wasOpen = busy = true;
        onOpen();
      }
      while (dc.getAvailablePacketCount() > 0) {
        busy = true;
        onMessage(dc.getPacket());
      }
      if (armed && dc.getBufferedAmount() <= low) {
        armed = false;
        busy = true;
        onLow();
      }
      return busy;
    },
  };
  return ch;
}

export function createPeer({ onSignal, onChannel }) {
  const pc = new api.WebRTCPeerConnection(env ? { env } : {});
  pc.initialize({ iceServers: [] });
  const channels = [];
  pc.connect('session_description_created', (type, sdp) => {
    pc.setLocalDescription(type, sdp);
    onSignal({ kind: 'desc', type, sdp });
  });
  pc.connect('ice_candidate_created', (media, _index, cand) => onSignal({ kind: 'cand', candidate: cand, mid: media }));
  pc.connect('data_channel_received', (dc) => {
    const ch = wrapChannel(dc);
    channels.push(ch);
    onChannel(ch);
  });
  const peer = {
    tick: () => {
      pc.poll();
      let busy = false;
      for (const ch of channels) busy = ch.tick() || busy;
      return busy;
    },
    createChannel: (label, o = {}) => {
      const dc = pc.createDataChannel(label, { ordered: o.ordered !== false, ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}) });
      if (!dc) throw new Error('createDataChannel returned null');
      const ch = wrapChannel(dc);
      channels.push(ch);
      return ch;
    },
    start: () => void pc.createOffer(),
    signal: (msg) => {
      if (msg.kind === 'desc') pc.setRemoteDescription(msg.type, msg.sdp);
      else pc.addIceCandidate(msg.mid, 0, msg.candidate);
      lastBusy = performance.now();
      ensurePump();
    },
    close: () => {
      pc.close();
      peers.delete(peer);
    },
  };
  peers.add(peer);
  ensurePump();
  return peer;
}
