import type { Writer } from '../../core/bytes/writer.js';
import { encodeParam, type Param } from '../params/index.js';
import { actionFromBits, type UnknownAction } from '../params/types.js';

/** Chunk type codes (RFC 9260 §3.2, RFC 3758, RFC 6525; pion/sctp `chunktype.go`). */
export const CHUNK = {
  data: 0,
  init: 1,
  initAck: 2,
  sack: 3,
  heartbeat: 4,
  heartbeatAck: 5,
  abort: 6,
  shutdown: 7,
  shutdownAck: 8,
  error: 9,
  cookieEcho: 10,
  cookieAck: 11,
  shutdownComplete: 14,
  auth: 15,
  pad: 0x84,
  iData: 64,
  asconfAck: 128,
  reconfig: 130,
  forwardTsn: 192,
  asconf: 193,
  iForwardTsn: 194,
} as const;

/**
 * What to do with an unrecognised chunk, from its two high bits (RFC 9260 §3.2): 00 stop processing the
 * packet and discard it; 01 the same and report it in an ERROR; 10 skip it; 11 skip it and report.
 */
export type UnknownChunkAction = UnknownAction;

export function unknownChunkAction(type: number): UnknownChunkAction {
  return actionFromBits(type >>> 6);
}

/**
 * Writes a chunk header, the body, patches the length and pads to 4 bytes (RFC 9260 §3.2: the length
 * excludes the final padding).
 *
 * | Chunk Type | Chunk Flags | Chunk Length | Chunk Value ... |
 */
export function writeChunkWith(w: Writer, type: number, flags: number, body?: (w: Writer) => void): void {
  const start = w.length;
  w.u8(type).u8(flags);
  const lenAt = w.reserve(2);
  if (body) body(w);
  const len = w.length - start;
  w.setU16At(lenAt, len);
  const pad = (4 - (len & 3)) & 3;
  if (pad) w.zeros(pad);
}

/**
 * Writes a chunk made of a fixed part and a parameter list. Parameters are written padded; the chunk
 * length excludes the last parameter's padding (RFC 9260 §3.2).
 */
export function writeChunkWithParams(w: Writer, type: number, flags: number, fixed: ((w: Writer) => void) | undefined, params: readonly Param[]): void {
  const start = w.length;
  w.u8(type).u8(flags);
  const lenAt = w.reserve(2);
  if (fixed) fixed(w);
  let lastStart = -1;
  for (let i = 0; i < params.length; i++) {
    lastStart = w.length;
    encodeParam(w, params[i] as Param);
  }
  let len = w.length - start;
  if (lastStart >= 0) {
    const b = w.slice(lastStart, lastStart + 4);
    const plen = ((b[2] as number) << 8) | (b[3] as number);
    len = lastStart + plen - start;
  }
  w.setU16At(lenAt, len);
}
