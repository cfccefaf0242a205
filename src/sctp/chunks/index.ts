import type { Writer } from '../../core/bytes/writer.js';
import { decodeAbort, encodeAbort, type AbortChunk } from './abort.js';
import { decodeCookieAck, decodeCookieEcho, encodeCookieAck, encodeCookieEcho, type CookieAckChunk, type CookieEchoChunk } from './cookie.js';
import { decodeData, decodeDataIn, encodeData, type DataChunk } from './data.js';
import { decodeError, encodeError, type ErrorChunk } from './error.js';
import { decodeForwardTsn, encodeForwardTsn, type ForwardTsnChunk } from './forward-tsn.js';
import { decodeHeartbeat, encodeHeartbeat, type HeartbeatChunk } from './heartbeat.js';
import { decodeInit, encodeInit, type InitChunk } from './init.js';
import { decodePad, encodePad, type PadChunk } from './pad.js';
import { decodeReconfig, encodeReconfig, type ReconfigChunk } from './reconfig.js';
import { decodeSack, decodeSackIn, encodeSack, type SackChunk } from './sack.js';
import {
  decodeShutdown, decodeShutdownAck, decodeShutdownComplete, encodeShutdown, encodeShutdownAck, encodeShutdownComplete,
  type ShutdownAckChunk, type ShutdownChunk, type ShutdownCompleteChunk,
} from './shutdown.js';
import { CHUNK } from './types.js';

export { CHUNK, unknownChunkAction, type UnknownChunkAction } from './types.js';
export { CAUSE, describeCauses, type ErrorCause } from './error-cause.js';
export { DATA_FLAG, DATA_HEADER_SIZE, writeData } from './data.js';
export type {
  AbortChunk, CookieAckChunk, CookieEchoChunk, DataChunk, ErrorChunk, ForwardTsnChunk, HeartbeatChunk, InitChunk,
  PadChunk, ReconfigChunk, SackChunk, ShutdownAckChunk, ShutdownChunk, ShutdownCompleteChunk,
};
export type { GapBlock } from './sack.js';
export { writeSack, NONE } from './sack.js';
export type { ForwardTsnStream } from './forward-tsn.js';

/** Every chunk this stack understands, as a discriminated union on `kind`. */
export type Chunk =
  | DataChunk | InitChunk | SackChunk | HeartbeatChunk | AbortChunk | ShutdownChunk | ShutdownAckChunk | ErrorChunk
  | CookieEchoChunk | CookieAckChunk | ShutdownCompleteChunk | ReconfigChunk | ForwardTsnChunk | PadChunk;

type Decoder = (flags: number, value: Uint8Array) => Chunk;

/** The chunk registry: type code to decoder. Types not listed are unknown (RFC 9260 §3.2 high bits). */
const DECODERS = new Map<number, Decoder>([
  [CHUNK.data, decodeData],
  [CHUNK.init, (_f, v) => decodeInit('init', v)],
  [CHUNK.initAck, (_f, v) => decodeInit('init-ack', v)],
  [CHUNK.sack, (_f, v) => decodeSack(v)],
  [CHUNK.heartbeat, (_f, v) => decodeHeartbeat('heartbeat', v)],
  [CHUNK.heartbeatAck, (_f, v) => decodeHeartbeat('heartbeat-ack', v)],
  [CHUNK.abort, decodeAbort],
  [CHUNK.shutdown, (_f, v) => decodeShutdown(v)],
  [CHUNK.shutdownAck, () => decodeShutdownAck()],
  [CHUNK.error, (_f, v) => decodeError(v)],
  [CHUNK.cookieEcho, (_f, v) => decodeCookieEcho(v)],
  [CHUNK.cookieAck, () => decodeCookieAck()],
  [CHUNK.shutdownComplete, (f) => decodeShutdownComplete(f)],
  [CHUNK.reconfig, (_f, v) => decodeReconfig(v)],
  [CHUNK.forwardTsn, (_f, v) => decodeForwardTsn(v)],
  [CHUNK.pad, (_f, v) => decodePad(v)],
]);

/** Decodes a chunk value; undefined for an unknown type. Malformed known chunks throw ParseError. */
export function decodeChunk(type: number, flags: number, value: Uint8Array): Chunk | undefined {
  const dec = DECODERS.get(type);
  return dec ? dec(flags, value) : undefined;
}

/**
 * `decodeChunk` for the chunk framed at `buf[p..p + length)` (header included). DATA and SACK, the
 * chunks of every data packet, are read in place, without a view of the value or a registry lookup.
 */
export function decodeChunkAt(buf: Uint8Array, p: number, length: number): Chunk | undefined {
  const type = buf[p] as number;
  if (type === CHUNK.data) return decodeDataIn(buf[p + 1] as number, buf, p + 4, p + length);
  if (type === CHUNK.sack) return decodeSackIn(buf, p + 4, p + length);
  return decodeChunk(type, buf[p + 1] as number, buf.subarray(p + 4, p + length));
}

type Encoders = { [K in Chunk['kind']]: (w: Writer, c: Extract<Chunk, { kind: K }>) => void };

const ENCODERS: Encoders = {
  'data': encodeData,
  'init': encodeInit,
  'init-ack': encodeInit,
  'sack': encodeSack,
  'heartbeat': encodeHeartbeat,
  'heartbeat-ack': encodeHeartbeat,
  'abort': encodeAbort,
  'shutdown': encodeShutdown,
  'shutdown-ack': (w) => encodeShutdownAck(w),
  'error': encodeError,
  'cookie-echo': encodeCookieEcho,
  'cookie-ack': (w) => encodeCookieAck(w),
  'shutdown-complete': encodeShutdownComplete,
  'reconfig': encodeReconfig,
  'forward-tsn': encodeForwardTsn,
  'pad': encodePad,
};

/** Writes any chunk (padded). */
export function encodeChunk(w: Writer, c: Chunk): void {
  (ENCODERS[c.kind] as (w: Writer, c: Chunk) => void)(w, c);
}
