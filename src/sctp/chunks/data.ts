import type { Writer } from '../../core/bytes/writer.js';
import { ParseError } from '../../core/errors.js';
import { u16At, u32At } from '../params/tlv.js';
import { CHUNK } from './types.js';

/**
 * DATA (RFC 9260 §3.3.1; I bit from RFC 7053).
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Type = 0    |  Res  |I|U|B|E|           Length              |
 * |                              TSN                              |
 * |      Stream Identifier        |   Stream Sequence Number      |
 * |                  Payload Protocol Identifier                  |
 * \                 User Data (length - 16 bytes)                 /
 */
export interface DataChunk {
  readonly kind: 'data';
  readonly tsn: number;
  readonly streamId: number;
  readonly ssn: number;
  readonly ppid: number;
  readonly unordered: boolean;
  readonly beginning: boolean;
  readonly ending: boolean;
  readonly immediate: boolean;
  /** A view into the packet: copy it to keep it. */
  readonly userData: Uint8Array;
}

export const DATA_FLAG = { end: 1, begin: 2, unordered: 4, immediate: 8 } as const;
export const DATA_HEADER_SIZE = 16;

export function decodeData(flags: number, value: Uint8Array): DataChunk {
  return decodeDataIn(flags, value, 0, value.length);
}

/** The same for the value at `buf[start..end)` (the packet itself: the receive path cuts no view of the value). */
export function decodeDataIn(flags: number, buf: Uint8Array, start: number, end: number): DataChunk {
  if (end - start < 12) throw new ParseError('sctp.data.length', `DATA value is ${end - start} bytes`, 0);
  return {
    kind: 'data',
    tsn: u32At(buf, start),
    streamId: u16At(buf, start + 4),
    ssn: u16At(buf, start + 6),
    ppid: u32At(buf, start + 8),
    unordered: (flags & DATA_FLAG.unordered) !== 0,
    beginning: (flags & DATA_FLAG.begin) !== 0,
    ending: (flags & DATA_FLAG.end) !== 0,
    immediate: (flags & DATA_FLAG.immediate) !== 0,
    userData: buf.subarray(start + 12, end),
  };
}

export function dataFlags(c: Pick<DataChunk, 'unordered' | 'beginning' | 'ending' | 'immediate'>): number {
  return (c.ending ? 1 : 0) | (c.beginning ? 2 : 0) | (c.unordered ? 4 : 0) | (c.immediate ? 8 : 0);
}

/** Hot path: writes a DATA chunk straight from its fields and a payload view (no intermediate object). */
export function writeData(w: Writer, flags: number, tsn: number, streamId: number, ssn: number, ppid: number, payload: Uint8Array): void {
  const len = DATA_HEADER_SIZE + payload.length;
  w.u8(CHUNK.data).u8(flags).u16(len).u32(tsn).u16(streamId).u16(ssn).u32(ppid).bytes(payload);
  const pad = (4 - (len & 3)) & 3;
  if (pad) w.zeros(pad);
}

export function encodeData(w: Writer, c: DataChunk): void {
  writeData(w, dataFlags(c), c.tsn, c.streamId, c.ssn, c.ppid, c.userData);
}
