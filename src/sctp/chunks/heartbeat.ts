import type { Writer } from '../../core/bytes/writer.js';
import { ParseError } from '../../core/errors.js';
import { PARAM } from '../params/index.js';
import { decodeTlvs, writeTlv } from '../params/tlv.js';
import { CHUNK, writeChunkWith } from './types.js';

/**
 * HEARTBEAT (RFC 9260 §3.3.5) and HEARTBEAT-ACK (§3.3.6): one Heartbeat Info parameter (type 1),
 * echoed back unchanged.
 *
 * | Type = 4 / 5  | Chunk Flags   |      Heartbeat Length         |
 * \            Heartbeat Information TLV (Variable-Length)         /
 */
export interface HeartbeatChunk {
  readonly kind: 'heartbeat' | 'heartbeat-ack';
  readonly info: Uint8Array;
}

export function decodeHeartbeat(kind: 'heartbeat' | 'heartbeat-ack', value: Uint8Array): HeartbeatChunk {
  const tlvs = decodeTlvs(value, 0, value.length, `sctp.${kind}`);
  const info = tlvs.find((t) => t.type === PARAM.heartbeatInfo);
  if (!info) throw new ParseError(`sctp.${kind}.no-info`, 'no Heartbeat Info parameter', 0);
  return { kind, info: info.value };
}

export function encodeHeartbeat(w: Writer, c: HeartbeatChunk): void {
  writeChunkWith(w, c.kind === 'heartbeat' ? CHUNK.heartbeat : CHUNK.heartbeatAck, 0, (w) => writeTlv(w, PARAM.heartbeatInfo, c.info));
}
