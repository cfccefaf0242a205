import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { u32At } from './tlv.js';
import { ParseError } from '../../core/errors.js';

/**
 * Re-configuration Response (RFC 6525 §4.4). The two TSN fields appear together or not at all.
 *
 * | Type = 16 | Parameter Length            |
 * | Re-configuration Response Sequence Number |
 * | Result                                    |
 * | Sender's Next TSN (optional)              |
 * | Receiver's Next TSN (optional)            |
 */
export interface ReconfigResponseParam {
  readonly kind: 'reconfig-response';
  readonly responseSeq: number;
  readonly result: number;
  readonly senderNextTsn?: number;
  readonly receiverNextTsn?: number;
}

/** Result codes (RFC 6525 §4.4). */
export const RECONFIG_RESULT = {
  successNothing: 0,
  successPerformed: 1,
  denied: 2,
  errorWrongSsn: 3,
  errorRequestInProgress: 4,
  errorBadSequence: 5,
  inProgress: 6,
} as const;

export function decodeReconfigResponse(value: Uint8Array): ReconfigResponseParam {
  if (value.length === 8) return { kind: 'reconfig-response', responseSeq: u32At(value, 0), result: u32At(value, 4) };
  if (value.length === 16) {
    return {
      kind: 'reconfig-response', responseSeq: u32At(value, 0), result: u32At(value, 4),
      senderNextTsn: u32At(value, 8), receiverNextTsn: u32At(value, 12),
    };
  }
  throw new ParseError('sctp.param.reconfig-response.length', `value is ${value.length} bytes, expected 8 or 16`, 0);
}

export function encodeReconfigResponse(w: Writer, p: ReconfigResponseParam): void {
  const withTsn = p.senderNextTsn !== undefined && p.receiverNextTsn !== undefined;
  w.u16(PARAM.reconfigResponse).u16(withTsn ? 20 : 12).u32(p.responseSeq).u32(p.result);
  if (withTsn) w.u32(p.senderNextTsn ?? 0).u32(p.receiverNextTsn ?? 0);
}
