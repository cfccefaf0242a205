import type { Writer } from '../../core/bytes/writer.js';
import { decodeCauses, writeCauses, type ErrorCause } from './error-cause.js';
import { CHUNK, writeChunkWith } from './types.js';

/**
 * ABORT (RFC 9260 §3.3.7). T = 1 when the sender reflected the receiver's tag (it has no TCB).
 *
 * |   Type = 6    |Reserved     |T|           Length              |
 * \                   zero or more Error Causes                   /
 */
export interface AbortChunk {
  readonly kind: 'abort';
  readonly reflectedTag: boolean;
  readonly causes: readonly ErrorCause[];
}

export function decodeAbort(flags: number, value: Uint8Array): AbortChunk {
  return { kind: 'abort', reflectedTag: (flags & 1) !== 0, causes: decodeCauses(value, 'sctp.abort') };
}

export function encodeAbort(w: Writer, c: AbortChunk): void {
  writeChunkWith(w, CHUNK.abort, c.reflectedTag ? 1 : 0, (w) => writeCauses(w, c.causes));
}
