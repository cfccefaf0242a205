/**
 * ChannelData messages (RFC 8656 §12.4).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Channel Number        |            Length             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   /                       Application Data                        /
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Channel numbers 0x4000..0x4FFF (§12); Length counts the data only. Over TCP/TLS the message is
 * padded to a multiple of 4 bytes (§12.5); over UDP padding is optional and ignored on receipt.
 */
import { ParseError, UsageError } from '../core/errors.js';

export const MIN_CHANNEL = 0x4000;
export const MAX_CHANNEL = 0x4fff;

export interface ChannelData {
  readonly channel: number;
  /** A view into the input. */
  readonly data: Uint8Array;
}

export function isValidChannel(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_CHANNEL && n <= MAX_CHANNEL;
}

/** Encodes a ChannelData message; `pad` (TCP/TLS) rounds it up to 4 bytes. */
export function encodeChannelData(channel: number, data: Uint8Array, pad = false): Uint8Array {
  if (!isValidChannel(channel)) throw new UsageError('turn.channel', `channel 0x${channel.toString(16)} outside 0x4000-0x4FFF`);
  if (data.length > 0xffff) throw new UsageError('turn.too-big', `ChannelData of ${data.length} bytes`);
  const size = 4 + data.length;
  const out = new Uint8Array(pad ? size + ((4 - (size % 4)) % 4) : size);
  out[0] = channel >> 8;
  out[1] = channel & 0xff;
  out[2] = data.length >> 8;
  out[3] = data.length & 0xff;
  out.set(data, 4);
  return out;
}

/** Decodes a ChannelData message; bytes beyond Length (padding) are ignored. Throws ParseError. */
export function decodeChannelData(buf: Uint8Array): ChannelData {
  if (buf.length < 4) throw new ParseError('turn.truncated', `ChannelData of ${buf.length} bytes`, 0);
  const channel = ((buf[0] as number) << 8) | (buf[1] as number);
  if (!isValidChannel(channel)) throw new ParseError('turn.channel', `channel 0x${channel.toString(16)} outside 0x4000-0x4FFF`, 0);
  const len = ((buf[2] as number) << 8) | (buf[3] as number);
  if (4 + len > buf.length) throw new ParseError('turn.truncated', `ChannelData says ${len} bytes, has ${buf.length - 4}`, 2);
  return { channel, data: buf.subarray(4, 4 + len) };
}
