import { Reader } from '../../core/bytes/reader.js';
import { ParseError } from '../../core/errors.js';

/**
 * DTLS 1.2 record header (RFC 6347 §4.1):
 *
 *    0        1        2        3        4   ...   9       10      11      12
 *   +--------+-----------------+-----------------+------------------+----------------+
 *   |  type  |  version (2)    |  epoch (2)      | sequence_number (6) | length (2)  |  fragment...
 *   +--------+-----------------+-----------------+------------------+----------------+
 */
export interface RecordHeader {
  readonly contentType: number;
  readonly version: number;
  readonly epoch: number;
  /** 48-bit sequence number (exact as a number). */
  readonly sequence: number;
  readonly length: number;
}

/** A record as found in a datagram: header plus a VIEW of its fragment. */
export interface RawRecord {
  readonly header: RecordHeader;
  readonly fragment: Uint8Array;
  /** The 13 header bytes (a view), used to build the AEAD additional data. */
  readonly headerBytes: Uint8Array;
}

export const RECORD_HEADER_LENGTH = 13;

/** Writes a record header into `out` at `offset`. */
export function writeRecordHeader(out: Uint8Array, offset: number, h: RecordHeader): void {
  writeHeaderFields(out, offset, h.contentType, h.version, h.epoch, h.sequence, h.length);
}

/** The same from separate fields (the sealing hot path builds no header object). */
export function writeHeaderFields(out: Uint8Array, offset: number, type: number, version: number, epoch: number, sequence: number, length: number): void {
  out[offset] = type;
  out[offset + 1] = version >>> 8;
  out[offset + 2] = version & 0xff;
  out[offset + 3] = epoch >>> 8;
  out[offset + 4] = epoch & 0xff;
  const hi = Math.floor(sequence / 0x1_0000_0000);
  out[offset + 5] = (hi >>> 8) & 0xff;
  out[offset + 6] = hi & 0xff;
  out[offset + 7] = (sequence >>> 24) & 0xff;
  out[offset + 8] = (sequence >>> 16) & 0xff;
  out[offset + 9] = (sequence >>> 8) & 0xff;
  out[offset + 10] = sequence & 0xff;
  out[offset + 11] = length >>> 8;
  out[offset + 12] = length & 0xff;
}

/** Encodes one plaintext record. */
export function encodeRecord(h: Omit<RecordHeader, 'length'>, fragment: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_LENGTH + fragment.length);
  writeRecordHeader(out, 0, { ...h, length: fragment.length });
  out.set(fragment, RECORD_HEADER_LENGTH);
  return out;
}

/**
 * Splits a datagram into records (several records may share a datagram, RFC 6347 §4.1.1). A record
 * whose header is not DTLS (version major byte other than 0xFE) or whose length overruns the datagram
 * throws a ParseError; the caller keeps the records decoded before it.
 */
export function decodeRecords(datagram: Uint8Array, into: RawRecord[] = []): RawRecord[] {
  const r = new Reader(datagram, 0, datagram.length, 'dtls.record');
  while (r.remaining > 0) {
    const start = r.offset;
    const contentType = r.u8();
    const version = r.u16();
    if (version >>> 8 !== 0xfe) throw new ParseError('dtls.record.version', `not a DTLS version: ${version.toString(16)}`, start + 1);
    const epoch = r.u16();
    const sequence = r.u48();
    const length = r.u16();
    const fragment = r.bytes(length);
    into.push({
      header: { contentType, version, epoch, sequence, length },
      fragment,
      headerBytes: datagram.subarray(start, start + RECORD_HEADER_LENGTH),
    });
  }
  return into;
}
