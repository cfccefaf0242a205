import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { needLength, streamList, u32At } from './tlv.js';

/**
 * Outgoing SSN Reset Request (RFC 6525 §4.1): "I reset my outgoing streams; my last TSN was X".
 *
 * | Type = 13 | Parameter Length = 16 + 2 * N |
 * | Re-configuration Request Sequence Number     |
 * | Re-configuration Response Sequence Number    |
 * | Sender's Last Assigned TSN                   |
 * | Stream Number 1 (optional) | Stream Number 2 |
 * | ...                        | Stream Number N |
 */
export interface OutgoingResetParam {
  readonly kind: 'outgoing-reset';
  readonly requestSeq: number;
  readonly responseSeq: number;
  readonly lastTsn: number;
  /** Empty means every stream. */
  readonly streamIds: readonly number[];
}

export function decodeOutgoingReset(value: Uint8Array): OutgoingResetParam {
  needLength(value, 12, 'sctp.param.outgoing-reset.length', true);
  const streamIds = streamList(value, 12, 'sctp.param.outgoing-reset.length');
  return { kind: 'outgoing-reset', requestSeq: u32At(value, 0), responseSeq: u32At(value, 4), lastTsn: u32At(value, 8), streamIds };
}

export function encodeOutgoingReset(w: Writer, p: OutgoingResetParam): void {
  w.u16(PARAM.outgoingReset).u16(16 + 2 * p.streamIds.length).u32(p.requestSeq).u32(p.responseSeq).u32(p.lastTsn);
  const ids = p.streamIds;
  for (let i = 0; i < ids.length; i++) w.u16(ids[i] as number);
  if (p.streamIds.length & 1) w.zeros(2);
}
