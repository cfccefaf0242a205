import { isParseError } from '../../core/errors.js';
import {
  CAUSE, CHUNK, decodeChunkAt, describeCauses, unknownChunkAction, type Chunk, type ErrorCause,
} from '../chunks/index.js';
import { COMMON_HEADER_SIZE, checkFraming, checksumOk, chunkLength, nextChunk, packetNeedsRealChecksum, verificationTagOf } from '../packet.js';
import type { AssocCore } from './core.js';
import { onHeartbeatAck } from './probe.js';
import { onShutdown, onShutdownAck, onShutdownComplete, progressShutdown } from './shutdown.js';

/**
 * Handles one received SCTP packet. The association takes ownership of `data`: delivered messages may
 * be views into it, so the caller must not reuse the buffer (DTLS hands each record's plaintext in a
 * fresh one). Steps: framing, checksum (RFC 9260 §6.8, RFC 9653), verification tag
 * (§8.5), then each chunk in order, unknown ones by their high bits (§3.2). Never throws for bad input:
 * it is dropped and counted. The chunks are walked in place: no packet or per-chunk object (issue 6).
 */
export function handleInput(core: AssocCore, now: number, data: Uint8Array): void {
  core.now = now;
  if (core.terminated) return;
  try {
    checkFraming(data);
  } catch (e) {
    if (!isParseError(e)) throw e;
    core.stats.malformed++;
    return;
  }
  const srcPort = ((data[0] as number) << 8) | (data[1] as number);
  const dstPort = ((data[2] as number) << 8) | (data[3] as number);
  if (dstPort !== core.opts.localPort || srcPort !== core.opts.remotePort) {
    core.stats.malformed++;
    return;
  }
  // RFC 9653 §5.3: a zero checksum is fine only when we announced it and the packet is not INIT/COOKIE-ECHO
  if (!checksumOk(data, core.opts.zeroChecksum && !packetNeedsRealChecksum(data))) {
    core.stats.badChecksum++;
    return;
  }
  core.stats.packetsIn++;
  if (!tagOk(core, data)) {
    core.stats.badTag++;
    return;
  }
  processChunks(core, now, data);
}

/** Verification tag rules (RFC 9260 §8.5, §8.5.1). */
function tagOk(core: AssocCore, pkt: Uint8Array): boolean {
  const type = pkt[COMMON_HEADER_SIZE] as number;
  const tag = verificationTagOf(pkt);
  // §8.5.1 A: INIT must be alone with tag 0 (pion/sctp#341)
  if (type === CHUNK.init) return tag === 0 && nextChunk(pkt, COMMON_HEADER_SIZE) >= pkt.length;
  if (type === CHUNK.cookieEcho) return true; // checked against the cookie
  const reflected = ((pkt[COMMON_HEADER_SIZE + 1] as number) & 1) !== 0;
  // §8.5.1 B/C: ABORT and SHUTDOWN-COMPLETE with T=1 carry the peer's own tag
  if ((type === CHUNK.abort || type === CHUNK.shutdownComplete) && reflected) return core.tcb !== undefined && tag === core.tcb.peerTag;
  return tag === core.handshake.myTag;
}

function processChunks(core: AssocCore, now: number, pkt: Uint8Array): void {
  let hadData = false;
  let report: ErrorCause[] | undefined;
  const tag = verificationTagOf(pkt);
  for (let p = COMMON_HEADER_SIZE; p < pkt.length; p = nextChunk(pkt, p)) {
    const len = chunkLength(pkt, p);
    let c: Chunk | undefined;
    try {
      c = decodeChunkAt(pkt, p, len);
    } catch (e) {
      if (!isParseError(e)) throw e;
      core.stats.malformed++;
      break; // the rest of a malformed packet is not trusted
    }
    if (!c) {
      const action = unknownChunkAction(pkt[p] as number);
      if (action === 'stop-report' || action === 'skip-report') (report ??= []).push({ code: CAUSE.unrecognizedChunk, info: pkt.slice(p, p + len) });
      if (action === 'stop' || action === 'stop-report') break;
      continue;
    }
    if (c.kind === 'data') hadData = true;
    if (!onChunk(core, now, c, tag) || core.terminated) break;
  }
  if (report && core.tcb) core.sendChunk({ kind: 'error', causes: report });
  afterPacket(core, now, hadData);
}

function afterPacket(core: AssocCore, now: number, hadData: boolean): void {
  const est = core.est;
  if (!est || core.terminated) return;
  if (hadData) est.recv.endOfPacket();
  if (est.recv.sackPending && !est.recv.sackNow) core.timers.armIfIdle('sack', now + core.opts.sackDelay);
  est.reset.onCumTsn();
  const grace = est.reset.graceDeadline;
  if (grace !== undefined) core.timers.arm('reset-grace', grace);
  if (!est.reset.awaitingResponse && core.timers.isArmed('reconfig')) {
    core.timers.disarm('reconfig');
    core.reconfigBackoff = 0;
  }
  // a peer that makes us hold twice our window ignored our window and max message size
  if (est.recv.reassembly.bytes >= 2 * core.opts.receiveWindow) {
    core.sendPacket(core.tcb?.peerTag ?? 0, [{ kind: 'abort', reflectedTag: false, causes: [{ code: CAUSE.protocolViolation, info: new TextEncoder().encode('message exceeds max message size') }] }]);
    core.closeWith('peer exceeded our receive window / max message size', true);
    return;
  }
  progressShutdown(core, now);
}

/** One decoded chunk. Returns false to stop processing the packet. */
function onChunk(core: AssocCore, now: number, c: Chunk, tag: number): boolean {
  const est = core.est;
  switch (c.kind) {
    case 'init': core.handshake.onInit(now, c); return false;
    case 'init-ack': core.handshake.onInitAck(now, c); return false;
    case 'cookie-echo': return core.handshake.onCookieEcho(now, c.cookie, tag);
    case 'cookie-ack': core.handshake.onCookieAck(now); return true;
    case 'abort': core.closeWith(`aborted by peer${c.causes.length ? `: ${describeCauses(c.causes)}` : ''}`, true); return false;
    case 'heartbeat': if (core.tcb) core.sendChunk({ kind: 'heartbeat-ack', info: c.info.slice() }); return true;
    case 'heartbeat-ack': onHeartbeatAck(core, now, c.info); return true;
    case 'error': core.log.log('debug', 'ERROR from peer', { causes: describeCauses(c.causes) }); return true;
    default: return est ? onEstablishedChunk(core, now, c) : true;
  }
}

function onEstablishedChunk(core: AssocCore, now: number, c: Chunk): boolean {
  const est = core.est;
  if (!est) return true;
  switch (c.kind) {
    case 'data':
      if (c.userData.length === 0) {
        // RFC 9260 §6.2: DATA without user data is a protocol violation
        core.sendPacket(core.tcb?.peerTag ?? 0, [{ kind: 'abort', reflectedTag: false, causes: [{ code: CAUSE.noUserData, info: u32(c.tsn) }] }]);
        core.closeWith('peer sent DATA without user data', true);
        return false;
      }
      if (c.streamId >= (core.tcb?.inStreams ?? 0)) {
        // RFC 9260 §6.5: a stream the peer may not use is reported and the chunk is acked but dropped
        core.sendChunk({ kind: 'error', causes: [{ code: CAUSE.invalidStreamId, info: Uint8Array.of(c.streamId >> 8, c.streamId & 0xff, 0, 0) }] });
        est.recv.onData(c, false);
        return true;
      }
      est.recv.onData(c);
      return true;
    case 'sack': onSack(core, now, c); return true;
    case 'forward-tsn': est.recv.onForwardTsn(c.newCumulativeTsn, c.streams); return true;
    case 'reconfig': est.reset.onReconfig(c.params, now, core.rto.timer(0)); return true;
    case 'shutdown': onShutdown(core, now, c); return true;
    case 'shutdown-ack': onShutdownAck(core); return false;
    case 'shutdown-complete': onShutdownComplete(core); return false;
    default: return true;
  }
}

function onSack(core: AssocCore, now: number, c: Extract<Chunk, { kind: 'sack' }>): void {
  const est = core.est;
  if (!est) return;
  const advanced = est.send.onSack(c, now);
  if (advanced) {
    core.t3Backoff = 0;
    if (est.send.needsT3) core.timers.arm('t3', now + core.rto.timer(0));
  }
  if (!est.send.needsT3) core.timers.disarm('t3');
}

function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
