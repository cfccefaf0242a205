/**
 * Address attributes (RFC 8489 §14.1 MAPPED-ADDRESS, §14.2 XOR-MAPPED-ADDRESS; the same layout serves
 * XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS (RFC 8656 §18.3, §18.5) and ALTERNATE-SERVER (§14.15)).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             (X-)Address (32 bits IPv4 or 128 bits IPv6)       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Family 0x01 = IPv4, 0x02 = IPv6. The XOR forms (§14.2) XOR the port with the top 16 bits of the
 * magic cookie, an IPv4 address with the cookie, and an IPv6 address with cookie || transaction id.
 */
import type { Reader } from '../core/bytes/reader.js';
import type { Writer } from '../core/bytes/writer.js';
import { UsageError } from '../core/errors.js';
import type { Addr } from '../core/types.js';
import { MAGIC_COOKIE } from './constants.js';
import { formatIp, parseIp } from './ip.js';

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

/** The 16-byte XOR mask: magic cookie followed by the transaction id (RFC 8489 §14.2). */
function xorMask(transactionId: Uint8Array): Uint8Array {
  const mask = new Uint8Array(16);
  mask[0] = MAGIC_COOKIE >>> 24;
  mask[1] = (MAGIC_COOKIE >>> 16) & 0xff;
  mask[2] = (MAGIC_COOKIE >>> 8) & 0xff;
  mask[3] = MAGIC_COOKIE & 0xff;
  mask.set(transactionId.subarray(0, 12), 4);
  return mask;
}

/** Decodes a (XOR-)address value. `transactionId` given = XOR form. */
export function decodeAddress(r: Reader, transactionId?: Uint8Array): Addr {
  r.u8(); // reserved, ignored on receipt
  const family = r.u8();
  let port = r.u16();
  let len: number;
  if (family === FAMILY_IPV4) len = 4;
  else if (family === FAMILY_IPV6) len = 16;
  else r.fail('attr.family', `unknown address family ${family}`);
  const raw = r.bytes(len).slice();
  if (transactionId) {
    port ^= MAGIC_COOKIE >>> 16;
    const mask = xorMask(transactionId);
    for (let i = 0; i < len; i++) raw[i] = (raw[i] as number) ^ (mask[i] as number);
  }
  return { address: formatIp(raw), port };
}

/** Encodes a (XOR-)address value. Throws UsageError for an address that is not an IP literal. */
export function encodeAddress(w: Writer, a: Addr, transactionId?: Uint8Array): void {
  const raw = parseIp(a.address);
  if (!raw) throw new UsageError('stun.address', `not an IP literal: ${a.address}`);
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 0xffff) throw new UsageError('stun.port', `bad port ${a.port}`);
  let port = a.port;
  if (transactionId) {
    port ^= MAGIC_COOKIE >>> 16;
    const mask = xorMask(transactionId);
    for (let i = 0; i < raw.length; i++) raw[i] = (raw[i] as number) ^ (mask[i] as number);
  }
  w.u8(0).u8(raw.length === 4 ? FAMILY_IPV4 : FAMILY_IPV6).u16(port).bytes(raw);
}
