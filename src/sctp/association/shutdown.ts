import type { ShutdownChunk } from '../chunks/index.js';
import type { AssocCore } from './core.js';

/**
 * Graceful shutdown (RFC 9260 §9.2): SHUTDOWN once everything we sent is acked, SHUTDOWN-ACK once
 * the peer's data is acked, SHUTDOWN-COMPLETE ends it; T2-shutdown retransmits. Both sides may
 * start at once (SHUTDOWN in SHUTDOWN-SENT is answered with SHUTDOWN-ACK).
 */
export function startShutdown(core: AssocCore, now: number): void {
  if (core.state !== 'established') return;
  core.state = 'shutdown-pending';
  progressShutdown(core, now);
}

/** Moves the shutdown on when the send side has drained. Call after SACKs and user calls. */
export function progressShutdown(core: AssocCore, now: number): void {
  const est = core.est;
  if (!est || !est.send.idle) return;
  if (core.state === 'shutdown-pending') {
    core.sendChunk({ kind: 'shutdown', cumulativeTsnAck: est.recv.cumTsn });
    core.state = 'shutdown-sent';
    armT2(core, now);
  } else if (core.state === 'shutdown-received') {
    core.sendChunk({ kind: 'shutdown-ack' });
    core.state = 'shutdown-ack-sent';
    armT2(core, now);
  }
}

function armT2(core: AssocCore, now: number): void {
  core.timers.arm('t2', now + core.rto.timer(core.t2Backoff));
}

export function onShutdown(core: AssocCore, now: number, c: ShutdownChunk): void {
  const est = core.est;
  if (!est) return;
  // the SHUTDOWN's cumulative TSN acks like a SACK without gaps (RFC 9260 §9.2)
  est.send.onSack({ kind: 'sack', cumulativeTsnAck: c.cumulativeTsnAck, arwnd: est.send.peerRwnd + est.send.flight, gapBlocks: [], duplicateTsns: [] }, now);
  if (core.state === 'established' || core.state === 'shutdown-pending') core.state = 'shutdown-received';
  else if (core.state === 'shutdown-sent') {
    core.sendChunk({ kind: 'shutdown-ack' });
    core.state = 'shutdown-ack-sent';
    armT2(core, now);
    return;
  }
  progressShutdown(core, now);
}

export function onShutdownAck(core: AssocCore): void {
  const tcb = core.tcb;
  if (!tcb || (core.state !== 'shutdown-sent' && core.state !== 'shutdown-ack-sent')) return;
  core.sendPacket(tcb.peerTag, [{ kind: 'shutdown-complete', reflectedTag: false }]);
  core.closeWith('shutdown', false);
}

export function onShutdownComplete(core: AssocCore): void {
  if (core.state === 'shutdown-ack-sent') core.closeWith('shutdown', false);
}

/** T2-shutdown expiry: resend what the state calls for. */
export function onT2(core: AssocCore, now: number): void {
  const est = core.est;
  if (!est) return;
  core.t2Backoff++;
  if (core.state === 'shutdown-sent') core.sendChunk({ kind: 'shutdown', cumulativeTsnAck: est.recv.cumTsn });
  else if (core.state === 'shutdown-ack-sent') core.sendChunk({ kind: 'shutdown-ack' });
  else return;
  armT2(core, now);
}
