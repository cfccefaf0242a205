import type { Writer } from '../../core/bytes/writer.js';
import { decodeParamList, type Param } from '../params/index.js';
import { CHUNK, writeChunkWithParams } from './types.js';

/**
 * RE-CONFIG (RFC 6525 §3.1): one or two re-configuration parameters (requests and/or responses).
 *
 * | Type = 130    |  Chunk Flags  |      Chunk Length             |
 * \                  Re-configuration Parameter                   /
 * \             Re-configuration Parameter (optional)             /
 */
export interface ReconfigChunk {
  readonly kind: 'reconfig';
  readonly params: readonly Param[];
}

export function decodeReconfig(value: Uint8Array): ReconfigChunk {
  return { kind: 'reconfig', params: decodeParamList(value, 0, value.length).params };
}

export function encodeReconfig(w: Writer, c: ReconfigChunk): void {
  writeChunkWithParams(w, CHUNK.reconfig, 0, undefined, c.params);
}
