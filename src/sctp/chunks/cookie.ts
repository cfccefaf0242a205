import type { Writer } from '../../core/bytes/writer.js';
import { CHUNK, writeChunkWith } from './types.js';

/**
 * COOKIE-ECHO (RFC 9260 §3.3.11) carries the State Cookie back; COOKIE-ACK (§3.3.12) is empty.
 *
 * |   Type = 10   |Chunk  Flags   |         Length                |
 * \                            Cookie                             /
 *
 * |   Type = 11   |Chunk  Flags   |     Length = 4                |
 */
export interface CookieEchoChunk {
  readonly kind: 'cookie-echo';
  readonly cookie: Uint8Array;
}
export interface CookieAckChunk {
  readonly kind: 'cookie-ack';
}

export function decodeCookieEcho(value: Uint8Array): CookieEchoChunk {
  return { kind: 'cookie-echo', cookie: value };
}

export function decodeCookieAck(): CookieAckChunk {
  return { kind: 'cookie-ack' };
}

export function encodeCookieEcho(w: Writer, c: CookieEchoChunk): void {
  writeChunkWith(w, CHUNK.cookieEcho, 0, (w) => w.bytes(c.cookie));
}

export function encodeCookieAck(w: Writer): void {
  w.u8(CHUNK.cookieAck).u8(0).u16(4);
}
