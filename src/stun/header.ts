/**
 * STUN message header (RFC 8489 §5).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |0 0|     STUN Message Type     |         Message Length        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Magic Cookie                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     Transaction ID (96 bits)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Message Type (§5, Figure 3): M11..M7 C1 M6..M4 C0 M3..M0, i.e. the 2 class bits sit at 0x0100
 * and 0x0010 between the 12 method bits. Message Length counts the bytes after the header.
 */
import type { StunClass } from './constants.js';
import { HEADER_SIZE, MAGIC_COOKIE } from './constants.js';

const CLASSES: readonly StunClass[] = ['request', 'indication', 'success', 'error'];

/** The 14-bit message type for a method (0..0xfff) and class. */
export function messageType(method: number, cls: StunClass): number {
  const c = CLASSES.indexOf(cls);
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
}

/** Splits a message type into method and class. */
export function splitMessageType(type: number): { method: number; cls: StunClass } {
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const c = ((type >> 4) & 1) | ((type >> 7) & 2);
  return { method, cls: CLASSES[c] as StunClass };
}

/**
 * Cheap check that a datagram is a STUN message (RFC 8489 §5: top two bits zero, magic cookie, length a
 * multiple of 4 matching the datagram). It does not parse attributes.
 */
export function isStunPacket(buf: Uint8Array): boolean {
  if (buf.length < HEADER_SIZE || ((buf[0] as number) & 0xc0) !== 0) return false;
  const len = ((buf[2] as number) << 8) | (buf[3] as number);
  if (len % 4 !== 0 || len + HEADER_SIZE !== buf.length) return false;
  const cookie = (((buf[4] as number) << 24) | ((buf[5] as number) << 16) | ((buf[6] as number) << 8) | (buf[7] as number)) >>> 0;
  return cookie === MAGIC_COOKIE;
}
