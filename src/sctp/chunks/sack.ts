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
  return decodeSackIn(value, 0, value.length);
}

/** No gap blocks or duplicates (shared: most SACKs have none, and a decoded SACK is read only). */
export const NONE: readonly never[] = Object.freeze([]);

/** The same for the value at `buf[start..end)`. */
export function decodeSackIn(buf: Uint8Array, start: number, end: number): SackChunk {
  const length = end - start;
  if (length < 12) throw new ParseError('sctp.sack.length', `SACK value is ${length} bytes`, 0);
  const nGaps = u16At(buf, start + 8);
  const nDups = u16At(buf, start + 10);
  if (length < 12 + 4 * nGaps + 4 * nDups) throw new ParseError('sctp.sack.length', 'SACK shorter than its counts', 8);
  let o = start + 12;
  let gapBlocks: readonly GapBlock[] = NONE;
  if (nGaps > 0) {
    const gaps: GapBlock[] = [];
    for (let i = 0; i < nGaps; i++, o += 4) gaps.push({ start: u16At(buf, o), end: u16At(buf, o + 2) });
    gapBlocks = gaps;
  }
  let duplicateTsns: readonly number[] = NONE;
  if (nDups > 0) {
    const dups: number[] = [];
    for (let i = 0; i < nDups; i++, o += 4) dups.push(u32At(buf, o));
    duplicateTsns = dups;
  }
  return { kind: 'sack', cumulativeTsnAck: u32At(buf, start), arwnd: u32At(buf, start + 4), gapBlocks, duplicateTsns };
}

export function encodeSack(w: Writer, c: SackChunk): void {
  writeSack(w, c.cumulativeTsnAck, c.arwnd, c.gapBlocks, c.duplicateTsns);
}

/** Hot path: writes a SACK straight from its fields (no SackChunk object). */
export function writeSack(w: Writer, cumulativeTsnAck: number, arwnd: number, gapBlocks: readonly GapBlock[], duplicateTsns: readonly number[]): void {
  w.u8(CHUNK.sack).u8(0).u16(16 + 4 * (gapBlocks.length + duplicateTsns.length));
  w.u32(cumulativeTsnAck).u32(arwnd).u16(gapBlocks.length).u16(duplicateTsns.length);
  for (let i = 0; i < gapBlocks.length; i++) {
    const g = gapBlocks[i] as GapBlock;
    w.u16(g.start).u16(g.end);
  }
  for (let i = 0; i < duplicateTsns.length; i++) w.u32(duplicateTsns[i] as number);
}
