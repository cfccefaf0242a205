import type { Writer } from '../../core/bytes/writer.js';
import { decodeCauses, writeCauses, type ErrorCause } from './error-cause.js';
import { CHUNK, writeChunkWith } from './types.js';

/**
 * ERROR (RFC 9260 §3.3.10): reports conditions that do not end the association.
 *
 * |   Type = 9    | Chunk  Flags  |           Length              |
 * \                    one or more Error Causes                   /
 */
export interface ErrorChunk {
  readonly kind: 'error';
  readonly causes: readonly ErrorCause[];
}

export function decodeError(value: Uint8Array): ErrorChunk {
  return { kind: 'error', causes: decodeCauses(value, 'sctp.error') };
}

export function encodeError(w: Writer, c: ErrorChunk): void {
  writeChunkWith(w, CHUNK.error, 0, (w) => writeCauses(w, c.causes));
}
