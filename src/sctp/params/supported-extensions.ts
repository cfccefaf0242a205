import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { writeTlv } from './tlv.js';

/**
 * Supported Extensions (RFC 5061 §4.2.7): one byte per extension chunk type the sender understands.
 * Ours is [RE-CONFIG 0x82, FORWARD-TSN 0xC0] (protocol.md 2.2).
 *
 * | Type = 0x8008 | Length | CHUNK TYPE 1 | CHUNK TYPE 2 | ... |
 */
export interface SupportedExtensionsParam {
  readonly kind: 'supported-extensions';
  readonly chunkTypes: readonly number[];
}

export function decodeSupportedExtensions(value: Uint8Array): SupportedExtensionsParam {
  const chunkTypes: number[] = [];
  for (let i = 0; i < value.length; i++) chunkTypes.push(value[i] as number);
  return { kind: 'supported-extensions', chunkTypes };
}

export function encodeSupportedExtensions(w: Writer, p: SupportedExtensionsParam): void {
  writeTlv(w, PARAM.supportedExtensions, Uint8Array.from(p.chunkTypes));
}
