import type { Writer } from '../../core/bytes/writer.js';
import { ParseError } from '../../core/errors.js';
import { u16At, u32At } from '../params/tlv.js';
import { CHUNK } from './types.js';

/**
 * FORWARD-TSN (RFC 3758 §3.2). Streams listed only for ordered messages that were skipped.
 *
 * |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
 * |                      New Cumulative TSN                       |
 * |         Stream-1              |       Stream Sequence-1       |
 * ...
 */
export interface ForwardTsnStream {
  readonly streamId: number;
  readonly ssn: number;
}

export interface ForwardTsnChunk {
  readonly kind: 'forward-tsn';
  readonly newCumulativeTsn: number;
  readonly streams: readonly ForwardTsnStream[];
}

export function decodeForwardTsn(value: Uint8Array): ForwardTsnChunk {
  if (value.length < 4 || value.length % 4 !== 0) {
    throw new ParseError('sctp.forward-tsn.length', `FORWARD-TSN value is ${value.length} bytes`, 0);
  }
  const streams: ForwardTsnStream[] = [];
  for (let o = 4; o < value.length; o += 4) streams.push({ streamId: u16At(value, o), ssn: u16At(value, o + 2) });
  return { kind: 'forward-tsn', newCumulativeTsn: u32At(value, 0), streams };
}

export function encodeForwardTsn(w: Writer, c: ForwardTsnChunk): void {
  w.u8(CHUNK.forwardTsn).u8(0).u16(8 + 4 * c.streams.length).u32(c.newCumulativeTsn);
  const streams = c.streams;
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i] as ForwardTsnStream;
    w.u16(s.streamId).u16(s.ssn);
  }
}
