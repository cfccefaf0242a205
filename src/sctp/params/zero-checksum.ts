import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { needLength, u32At } from './tlv.js';

/**
 * Zero Checksum Acceptable (RFC 9653 §5.1): "I accept packets with a zero checksum when the named
 * alternate error detection method protects them". One-directional. EDMID 1 = DTLS (RFC 9653 §8.2).
 *
 * | Type = 0x8001 | Length = 8 |
 * | Error Detection Method Identifier (EDMID)      |
 */
export interface ZeroChecksumParam {
  readonly kind: 'zero-checksum';
  readonly edmid: number;
}

/** EDMID of DTLS (RFC 9653 §8.2). */
export const EDMID_DTLS = 1;

export function decodeZeroChecksum(value: Uint8Array): ZeroChecksumParam {
  needLength(value, 4, 'sctp.param.zero-checksum.length');
  return { kind: 'zero-checksum', edmid: u32At(value, 0) };
}

export function encodeZeroChecksum(w: Writer, p: ZeroChecksumParam): void {
  w.u16(PARAM.zeroChecksum).u16(8).u32(p.edmid);
}
