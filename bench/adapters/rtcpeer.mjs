// rtcpeer adapter, through the public entry point only (`import ... from 'rtcpeer'`, the built dist):
// the Godot facade WebRTCPeerConnection / WebRTCDataChannel with poll(). See ./README.md.
// Polling: a Godot game polls once per frame; a Node program has no frame loop, so it does what
// the facade's wake-up extension is for: `pc.setWakeCallback(fn)` calls fn (at most once until the
// next pc.poll()) when the network, a timer or the flush of sent packets changed something poll()
// or the channels would report. The callback only marks its connection and schedules ONE poll
// of the marked connections (a microtask right after the work that woke it, at most 4 per
// event-loop turn, then setImmediate; see markDirty): pc.poll(), then each
// channel's state, packets and bufferedAmount. After its own calls (createOffer,
// setRemoteDescription, addIceCandidate) the adapter marks the connection too, as a user would poll
// after them. No spinning and no polling timer: an idle process sleeps. The polling's CPU is part
// of rtcpeer's figures.
import { createRequire } from 'node:module';
import { setImmediate } from 'node:timers';
import { step, traceNext } from '../lib/timeline.mjs';

export const name = 'rtcpeer';

let api;
let env; // nodeBinding({ addresses: ['127.0.0.1'], ...extra }): gather on loopback only
/** Extra nodeBinding options of a variant (./rtcpeer-1200.mjs); none for the default stack. */
let extra = {};

/** @internal For variants of this adapter: nodeBinding options added to every binding it makes. */
export function configure(options) {
  extra = options;
}

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
  if (typeof mod.nodeBinding === 'function') env = mod.nodeBinding({ ...extra, addresses: ['127.0.0.1'] });
  return { version: createRequire(import.meta.url)('../../package.json').version };
}

/** Called by workloads whose side B plays a server (many): its connections share one UDP socket
 * (nodeBinding sharedSocket); side A keeps a port per connection, as browsers, so pairs stay distinct. */
export function useSharedSocket() {
  if (typeof api?.nodeBinding === 'function') env = api.nodeBinding({ ...extra, addresses: ['127.0.0.1'], sharedSocket: true });
}

/** Connections to poll on the next turn. */
let dirty = new Set();
let scheduled = false;

function pollDirty() {
  scheduled = false;
  const now = dirty;
  dirty = new Set();
  for (const p of now) p.tick();
}

/** Polls scheduled as microtasks since the last event-loop turn (see markDirty). */
let microPolls = 0;
const MAX_MICRO_POLLS = 4;

/**
 * A wake schedules one poll of the marked connections. It runs as a microtask, right after the
 * driver's work that woke it (a received batch, a timer, a flush), instead of one event-loop turn
 * later; after MAX_MICRO_POLLS in one turn the next poll waits for the check phase (setImmediate),
 * so chained wakes (a poll that sends, whose flush wakes again) cannot starve socket reads.
 */
function markDirty(peer) {
  dirty.add(peer);
  if (scheduled) return;
  scheduled = true;
  if (microPolls === 0) setImmediate(() => void (microPolls = 0));
  if (microPolls < MAX_MICRO_POLLS) {
    microPolls++;
    globalThis.queueMicrotask(pollDirty);
  } else setImmediate(pollDirty);
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
    },
    bufferedAmount: () => dc.getBufferedAmount(),
    setLowThreshold: (n) => void (low = n),
    onLow: (cb) => void (onLow = cb),
    onOpen: (cb) => void (onOpen = cb),
    isOpen: () => dc.getReadyState() === OPEN,
    onMessage: (cb) => void (onMessage = cb),
    close: () => dc.close(),
    /** One poll round: open, packets, then the low-threshold event. */
    tick: () => {
      dc.poll();
      if (!wasOpen && dc.getReadyState() === OPEN) {
        wasOpen = true;
        step('open');
        onOpen();
      }
      while (dc.getAvailablePacketCount() > 0) onMessage(dc.getPacket());
      if (armed && dc.getBufferedAmount() <= low) {
        armed = false;
        onLow();
      }
    },
  };
  return ch;
}

export function createPeer({ onSignal, onChannel }) {
  const logger = traceNext(); // BENCH_TIMELINE (../lib/timeline.mjs)
  const pc = new api.WebRTCPeerConnection(env ? { env, ...(logger ? { logger } : {}) } : {});
  pc.initialize({ iceServers: [] });
  const channels = [];
  let closed = false;
  pc.connect('session_description_created', (type, sdp) => {
    step(`${type} created`);
    pc.setLocalDescription(type, sdp);
    onSignal({ kind: 'desc', type, sdp });
  });
  pc.connect('ice_candidate_created', (media, _index, cand) => {
    step('candidate out');
    onSignal({ kind: 'cand', candidate: cand, mid: media });
  });
  pc.connect('data_channel_received', (dc) => {
    const ch = wrapChannel(dc);
    channels.push(ch);
    onChannel(ch);
  });
  const peer = {
    tick: () => {
      if (closed) return;
      pc.poll();
      for (const ch of channels) ch.tick();
    },
    createChannel: (label, o = {}) => {
      const dc = pc.createDataChannel(label, { ordered: o.ordered !== false, ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}) });
      if (!dc) throw new Error('createDataChannel returned null');
      const ch = wrapChannel(dc);
      channels.push(ch);
      return ch;
    },
    start: () => {
      step('createOffer');
      pc.createOffer();
      markDirty(peer);
    },
    signal: (msg) => {
      step(`signal in: ${msg.kind === 'desc' ? msg.type : 'candidate'}`);
      if (msg.kind === 'desc') pc.setRemoteDescription(msg.type, msg.sdp);
      else pc.addIceCandidate(msg.mid, 0, msg.candidate);
      step('  signal handled');
      markDirty(peer);
    },
    close: () => {
      closed = true;
      pc.setWakeCallback(null);
      pc.close();
    },
  };
  pc.setWakeCallback(() => markDirty(peer));
  return peer;
}
