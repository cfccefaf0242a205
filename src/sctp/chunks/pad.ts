import type { Writer } from '../../core/bytes/writer.js';
import { CHUNK } from './types.js';

/**
 * PAD (RFC 4820 §3): fills a packet to a chosen size; PLPMTUD probes are HEARTBEAT + PAD (RFC 8899
 * §6.2.1.1). The padding data is zeros when we send it and ignored when we receive it (its content
 * is not kept: only its length).
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Type = 0x84   |   Flags=0     |             Length            |
 * \                         Padding Data                          /
 *
 * A peer that does not know the type skips it without a report (its high bits are 10, RFC 9260
 * §3.2), so the HEARTBEAT bundled before it is still answered: dcSCTP and werift skip it, usrsctp
 * knows it.
 */
export interface PadChunk {
  readonly kind: 'pad';
  /** Bytes of padding data (the chunk is 4 + padding bytes long, then padded to 4). */
  readonly padding: number;
}

export function decodePad(value: Uint8Array): PadChunk {
  return { kind: 'pad', padding: value.length };
}

export function encodePad(w: Writer, c: PadChunk): void {
  const len = 4 + c.padding;
  w.u8(CHUNK.pad).u8(0).u16(len).zeros(c.padding + ((4 - (len & 3)) & 3));
}
