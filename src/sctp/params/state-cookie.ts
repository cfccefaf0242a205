import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { writeTlv } from './tlv.js';

/**
 * State Cookie (RFC 9260 §3.3.3.1), carried in INIT-ACK; its contents are ours (association/cookie.ts).
 *
 * | Type = 7 | Length | Cookie (variable) |
 */
export interface StateCookieParam {
  readonly kind: 'state-cookie';
  readonly cookie: Uint8Array;
}

export function decodeStateCookie(value: Uint8Array): StateCookieParam {
  return { kind: 'state-cookie', cookie: value };
}

export function encodeStateCookie(w: Writer, p: StateCookieParam): void {
  writeTlv(w, PARAM.stateCookie, p.cookie);
}
