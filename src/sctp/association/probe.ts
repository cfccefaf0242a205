import { Writer } from '../../core/bytes/writer.js';
import { encodeChunk } from '../chunks/index.js';
import { beginPacket, finishPacket } from '../packet.js';
import type { AssocCore } from './core.js';

/**
 * PLPMTUD probe packets (RFC 8899 §6.2.1.1): common header + HEARTBEAT + PAD, exactly the probed size.
 * The Heartbeat Info names the probe, so its HEARTBEAT-ACK confirms that size:
 *
 * | 'P' 'M' 'T' 'U' (0x504d5455) | probed packet size (u32) | probe sequence (u32) |
 *
 * Idle-time heartbeats carry 8 bytes (a timestamp) and are told apart by length and magic.
 */
const PROBE_MAGIC = 0x504d5455;
const PROBE_INFO_SIZE = 12;
/** Common header (12) + HEARTBEAT chunk header (4) + Heartbeat Info TLV header (4) + info + PAD header (4). */
export const PROBE_OVERHEAD = 12 + 4 + 4 + PROBE_INFO_SIZE + 4;

export function probeInfo(size: number, seq: number): Uint8Array {
  const info = new Uint8Array(PROBE_INFO_SIZE);
  const v = new DataView(info.buffer);
  v.setUint32(0, PROBE_MAGIC);
  v.setUint32(4, size);
  v.setUint32(8, seq >>> 0);
  return info;
}

/** The probed size named by a HEARTBEAT-ACK's info, or undefined for any other heartbeat. */
export function probedSize(info: Uint8Array): number | undefined {
  if (info.length !== PROBE_INFO_SIZE) return undefined;
  const v = new DataView(info.buffer, info.byteOffset, info.length);
  return v.getUint32(0) === PROBE_MAGIC ? v.getUint32(4) : undefined;
}

/** The next probe packet, when PLPMTUD wants one and the association is established. */
export function buildProbe(core: AssocCore): Uint8Array | undefined {
  const tcb = core.tcb;
  if (!tcb || !core.est || core.terminated || core.state !== 'established' || !core.pmtu.probeDue) return undefined;
  const probe = core.pmtu.takeProbe(core.now);
  core.pmtuChanged();
  if (!probe) return undefined;
  // Its own writer, not the association's reused one: that one would keep a buffer of the largest
  // probe (16 KiB) for the association's life, even when its data packets stay small (issue 6, many
  // connections: RSS per connection 105-114 -> 87-99 KiB). The packet is a fresh array: owned as is.
  const w = new Writer(probe.size);
  beginPacket(w, core.opts.localPort, core.opts.remotePort, tcb.peerTag);
  encodeChunk(w, { kind: 'heartbeat', info: probeInfo(probe.size, probe.seq) });
  encodeChunk(w, { kind: 'pad', padding: probe.size - PROBE_OVERHEAD });
  core.stats.packetsOut++;
  return finishPacket(w, tcb.peerZeroChecksum, null);
}

/** A HEARTBEAT-ACK: a probe's answer raises the packet size; other heartbeats need nothing. */
export function onHeartbeatAck(core: AssocCore, now: number, info: Uint8Array): void {
  const size = probedSize(info);
  if (size === undefined) return;
  core.pmtu.onProbeAck(now, size);
  core.pmtuChanged();
}
