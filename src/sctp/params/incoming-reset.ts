import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { needLength, streamList, u32At } from './tlv.js';

/**
 * Incoming SSN Reset Request (RFC 6525 §4.2): "please reset your outgoing streams". We never send it;
 * on receipt we answer "denied" (data channels close with outgoing resets only, RFC 8831 §6.7).
 *
 * | Type = 14 | Parameter Length = 8 + 2 * N |
 * | Re-configuration Request Sequence Number |
 * | Stream Number 1 (optional) | ...         |
 */
export interface IncomingResetParam {
  readonly kind: 'incoming-reset';
  readonly requestSeq: number;
  readonly streamIds: readonly number[];
}

export function decodeIncomingReset(value: Uint8Array): IncomingResetParam {
  needLength(value, 4, 'sctp.param.incoming-reset.length', true);
  const streamIds = streamList(value, 4, 'sctp.param.incoming-reset.length');
  return { kind: 'incoming-reset', requestSeq: u32At(value, 0), streamIds };
}

export function encodeIncomingReset(w: Writer, p: IncomingResetParam): void {
  w.u16(PARAM.incomingReset).u16(8 + 2 * p.streamIds.length).u32(p.requestSeq);
  const ids = p.streamIds;
  for (let i = 0; i < ids.length; i++) w.u16(ids[i] as number);
  if (p.streamIds.length & 1) w.zeros(2);
}
