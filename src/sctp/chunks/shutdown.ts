import type { Writer } from '../../core/bytes/writer.js';
import { ParseError } from '../../core/errors.js';
import { u32At } from '../params/tlv.js';
import { CHUNK } from './types.js';

/**
 * SHUTDOWN (RFC 9260 §3.3.8), SHUTDOWN-ACK (§3.3.9) and SHUTDOWN-COMPLETE (§3.3.13).
 *
 * |   Type = 7    | Chunk  Flags  |      Length = 8               |
 * |                      Cumulative TSN Ack                       |
 *
 * |   Type = 8    | Chunk  Flags  |      Length = 4               |
 * |   Type = 14   |Reserved     |T|      Length = 4               |
 */
export interface ShutdownChunk {
  readonly kind: 'shutdown';
  readonly cumulativeTsnAck: number;
}
export interface ShutdownAckChunk {
  readonly kind: 'shutdown-ack';
}
export interface ShutdownCompleteChunk {
  readonly kind: 'shutdown-complete';
  readonly reflectedTag: boolean;
}

export function decodeShutdown(value: Uint8Array): ShutdownChunk {
  if (value.length !== 4) throw new ParseError('sctp.shutdown.length', `SHUTDOWN value is ${value.length} bytes`, 0);
  return { kind: 'shutdown', cumulativeTsnAck: u32At(value, 0) };
}

export function decodeShutdownAck(): ShutdownAckChunk {
  return { kind: 'shutdown-ack' };
}

export function decodeShutdownComplete(flags: number): ShutdownCompleteChunk {
  return { kind: 'shutdown-complete', reflectedTag: (flags & 1) !== 0 };
}

export function encodeShutdown(w: Writer, c: ShutdownChunk): void {
  w.u8(CHUNK.shutdown).u8(0).u16(8).u32(c.cumulativeTsnAck);
}

export function encodeShutdownAck(w: Writer): void {
  w.u8(CHUNK.shutdownAck).u8(0).u16(4);
}

export function encodeShutdownComplete(w: Writer, c: ShutdownCompleteChunk): void {
  w.u8(CHUNK.shutdownComplete).u8(c.reflectedTag ? 1 : 0).u16(4);
}
