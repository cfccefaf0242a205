import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { writeTlv } from './tlv.js';

/**
 * Unrecognized Parameter (RFC 9260 §3.3.3.1, type 8 in INIT-ACK): carries the whole unrecognised TLV
 * (header included) back to the sender of the INIT.
 */
export interface UnrecognizedParam {
  readonly kind: 'unrecognized';
  readonly param: Uint8Array;
}

export function decodeUnrecognized(value: Uint8Array): UnrecognizedParam {
  return { kind: 'unrecognized', param: value };
}

export function encodeUnrecognized(w: Writer, p: UnrecognizedParam): void {
  writeTlv(w, PARAM.unrecognized, p.param);
}
