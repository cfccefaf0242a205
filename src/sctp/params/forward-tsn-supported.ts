import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { needLength } from './tlv.js';

/**
 * Forward-TSN-Supported (RFC 3758 §3.1): announces partial reliability. No value.
 *
 * | Type = 0xC000 | Length = 4 |
 */
export interface ForwardTsnSupportedParam {
  readonly kind: 'forward-tsn-supported';
}

export function decodeForwardTsnSupported(value: Uint8Array): ForwardTsnSupportedParam {
  needLength(value, 0, 'sctp.param.forward-tsn-supported.length');
  return { kind: 'forward-tsn-supported' };
}

export function encodeForwardTsnSupported(w: Writer): void {
  w.u16(PARAM.forwardTsnSupported).u16(4);
}
