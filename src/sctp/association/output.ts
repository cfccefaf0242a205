import type { Chunk } from '../chunks/index.js';
import { beginPacket, finishPacket } from '../packet.js';
import type { AssocCore, Established } from './core.js';
import type { ReconfigResponseParam } from '../params/index.js';

/** A packet within this many bytes of the size in use counts as full (the sender's smallest tail fragment). */
const FULL_SLACK = 256;

/** States in which DATA may be sent (RFC 9260 §9.2: none after SHUTDOWN is sent or received). */
function mayFillData(core: AssocCore): boolean {
  return core.state === 'established' || core.state === 'shutdown-pending';
}

/**
 * Builds the next packet lazily (called from pollTransmit): control chunks first (a COOKIE-ACK
 * must be the first chunk, RFC 9260 §5.1 D), then the SACK, FORWARD-TSN, RE-CONFIG, then
 * retransmissions and new DATA up to the MTU, cwnd and peer window.
 * One reused Writer; the only allocation is the packet handed down.
 */
export function buildPacket(core: AssocCore): Uint8Array | undefined {
  const tcb = core.tcb;
  if (!tcb || core.terminated) return undefined;
  const est = core.est;
  if (core.ctrl.length === 0 && (!est || nothingFor(core, est, tcb.peerForwardTsn))) return undefined;
  const w = core.w;
  const limit = core.pmtu.size;
  beginPacket(w, core.opts.localPort, core.opts.remotePort, tcb.peerTag);
  addControl(core, limit);
  if (est) addEstablished(core, est, tcb.peerForwardTsn, limit);
  if (w.length <= 12) return undefined;
  // RFC 9653: checksum 0 only towards a peer that accepts it; normal packets never hold INIT/COOKIE-ECHO
  const pkt = finishPacket(w, tcb.peerZeroChecksum, core.opts.ownedTransmits ? undefined : null);
  afterSend(core, est);
  return pkt;
}

/** The chunks of an established association after the control chunks: SACK, FORWARD-TSN, RE-CONFIG, DATA. */
function addEstablished(core: AssocCore, est: Established, forwardTsn: boolean, limit: number): void {
  addSack(core, est);
  // each step is asked only when it may have something: most packets carry DATA or a SACK alone,
  // and in V8's interpreter every call of the empty ones costs (issue 6).
  // RFC 3758 §3.3: FORWARD-TSN only towards a peer that announced it (every WebRTC peer does)
  if (forwardTsn && est.send.forwardDue) addChunk(core, est.send.takeForwardTsn(), limit);
  if (est.reset.mayHaveOutput) addReconfig(core, est, limit);
  if (mayFillData(core)) {
    const w = core.w;
    est.send.fill(w, limit, core.now);
    // full, and more waits behind it: larger packets would help (PLPMTUD searches above 2^14 on demand)
    if (w.length + FULL_SLACK > limit && core.queue.fifo.length > 0) core.pmtu.onDemand(core.now);
  }
}

/**
 * No SACK due, no FORWARD-TSN, no RE-CONFIG and no DATA to send: each step of addEstablished would
 * find nothing. Asked first, so that the many polls that find nothing (several per datagram) cost one
 * call, not seven (issue 6: a process's first thousands of round trips run in the interpreter).
 */
function nothingFor(core: AssocCore, est: Established, forwardTsn: boolean): boolean {
  if (sackGoes(core, est)) return false;
  if (forwardTsn && est.send.forwardDue) return false;
  return !est.reset.mayHaveOutput && (!mayFillData(core) || est.send.nothingToFill);
}

/** A SACK goes in this packet: it is due, or a delayed one rides with the data queued to go. */
function sackGoes(core: AssocCore, est: Established): boolean {
  const r = est.recv;
  return r.sackNow || (r.sackPending && core.queue.fifo.length > 0);
}

function addSack(core: AssocCore, est: Established): void {
  if (!sackGoes(core, est)) return;
  est.recv.writeSack(core.w);
  core.timers.disarm('sack');
}

function addControl(core: AssocCore, limit: number): void {
  if (core.ctrl.length === 0) return;
  const w = core.w;
  let i = 0;
  for (; i < core.ctrl.length; i++) {
    const c = core.ctrl[i] as Uint8Array;
    if (w.length + c.length > limit && w.length > 12) break;
    w.bytes(c);
  }
  core.ctrl = i === core.ctrl.length ? [] : core.ctrl.slice(i);
}

function addChunk(core: AssocCore, c: Chunk | undefined, limit: number): void {
  if (!c) return;
  const b = core.encode(c);
  if (core.w.length + b.length > limit && core.w.length > 12) core.ctrl.unshift(b); // first in the next packet
  else core.w.bytes(b);
}

function addReconfig(core: AssocCore, est: Established, limit: number): void {
  const responses = est.reset.takeResponses();
  for (let i = 0; i < responses.length; i++) addChunk(core, { kind: 'reconfig', params: [responses[i] as ReconfigResponseParam] }, limit);
  const req = est.reset.takeRequest();
  if (req) {
    addChunk(core, { kind: 'reconfig', params: [req] }, limit);
    core.timers.arm('reconfig', core.now + core.rto.timer(core.reconfigBackoff));
  }
}

function afterSend(core: AssocCore, est: Established | undefined): void {
  core.lastSend = core.now;
  core.stats.packetsOut++;
  if (est?.send.needsT3 && !core.timers.isArmed('t3')) core.timers.arm('t3', core.now + core.rto.timer(core.t3Backoff));
}
