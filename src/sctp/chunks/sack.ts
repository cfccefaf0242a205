import type { Writer } from '../../core/bytes/writer.js';
import { ParseError } from '../../core/errors.js';
import { u16At, u32At } from '../params/tlv.js';
import { CHUNK } from './types.js';

/**
 * SACK (RFC 9260 §3.3.4). Gap block offsets are relative to the Cumulative TSN Ack.
 *
 * |   Type = 3    |Chunk  Flags   |      Chunk Length             |
 * |                      Cumulative TSN Ack                       |
 * |          Advertised Receiver Window Credit (a_rwnd)           |
 * | Number of Gap Ack Blocks = N  |  Number of Duplicate TSNs = M |
 * |  Gap Ack Block #1 Start       |   Gap Ack Block #1 End        |
 * ...
 * |                       Duplicate TSN 1                         |
 * ...
 */
export interface GapBlock {
  readonly start: number;
  readonly end: number;
}

export interface SackChunk {
  readonly kind: 'sack';
  readonly cumulativeTsnAck: number;
  readonly arwnd: number;
  readonly gapBlocks: readonly GapBlock[];
  readonly duplicateTsns: readonly number[];
}

export function decodeSack(value: Uint8Array): SackChunk {
  if (value.length < 12) throw new ParseError('sctp.sack.length', `SACK value is ${value.length} bytes`, 0);
  const nGaps = u16At(value, 8);
  const nDups = u16At(value, 10);
  if (value.length < 12 + 4 * nGaps + 4 * nDups) throw new ParseError('sctp.sack.length', 'SACK shorter than its counts', 8);
  const gapBlocks: GapBlock[] = [];
  let o = 12;
  for (let i = 0; i < nGaps; i++, o += 4) gapBlocks.push({ start: u16At(value, o), end: u16At(value, o + 2) });
  const duplicateTsns: number[] = [];
  for (let i = 0; i < nDups; i++, o += 4) duplicateTsns.push(u32At(value, o));
  return { kind: 'sack', cumulativeTsnAck: u32At(value, 0), arwnd: u32At(value, 4), gapBlocks, duplicateTsns };
}

export function encodeSack(w: Writer, c: SackChunk): void {
  w.u8(CHUNK.sack).u8(0).u16(16 + 4 * (c.gapBlocks.length + c.duplicateTsns.length));
  w.u32(c.cumulativeTsnAck).u32(c.arwnd).u16(c.gapBlocks.length).u16(c.duplicateTsns.length);
  for (const g of c.gapBlocks) w.u16(g.start).u16(g.end);
  for (const d of c.duplicateTsns) w.u32(d);
}
