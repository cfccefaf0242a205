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
  writeHeaderFields(out, 0, h.contentType, h.version, h.epoch, h.sequence, fragment.length);
  out.set(fragment, RECORD_HEADER_LENGTH);
  return out;
}

/**
 * A record found in a datagram. The header bytes are cut from the datagram only when asked for
 * (early records keep a copy; issue 6: one view less per datagram).
 */
class DatagramRecord implements RawRecord {
  constructor(
    private readonly datagram: Uint8Array,
    private readonly start: number,
    readonly header: RecordHeader,
    readonly fragment: Uint8Array,
  ) {}

  get headerBytes(): Uint8Array {
    return this.datagram.subarray(this.start, this.start + RECORD_HEADER_LENGTH);
  }
}

/**
 * Splits a datagram into records (several records may share a datagram, RFC 6347 §4.1.1). A record
 * whose header is not DTLS (version major byte other than 0xFE) or whose length overruns the datagram
 * throws a ParseError; the caller keeps the records decoded before it. Runs once per received
 * datagram: plain index reads, no Reader/DataView per datagram.
 */
export function decodeRecords(datagram: Uint8Array, into: RawRecord[] = []): RawRecord[] {
  const d = datagram;
  const n = d.length;
  for (let start = 0; start < n; ) {
    if (n - start < RECORD_HEADER_LENGTH) throw truncated(RECORD_HEADER_LENGTH, n - start, start);
    const version = ((d[start + 1] as number) << 8) | (d[start + 2] as number);
    if (version >>> 8 !== 0xfe) throw new ParseError('dtls.record.version', `not a DTLS version: ${version.toString(16)}`, start + 1);
    const length = ((d[start + 11] as number) << 8) | (d[start + 12] as number);
    const body = start + RECORD_HEADER_LENGTH;
    if (n - body < length) throw truncated(length, n - body, body);
    const header = { contentType: d[start] as number, version, epoch: ((d[start + 3] as number) << 8) | (d[start + 4] as number), sequence: u48(d, start + 5), length };
    into.push(new DatagramRecord(d, start, header, d.subarray(body, body + length)));
    start = body + length;
  }
  return into;
}

function u48(d: Uint8Array, o: number): number {
  const hi = ((d[o] as number) << 8) | (d[o + 1] as number);
  const lo = (((d[o + 2] as number) << 24) | ((d[o + 3] as number) << 16) | ((d[o + 4] as number) << 8) | (d[o + 5] as number)) >>> 0;
  return hi * 0x1_0000_0000 + lo;
}

function truncated(need: number, left: number, offset: number): ParseError {
  return new ParseError('dtls.record.truncated', `need ${need} bytes, ${left} left`, offset);
}
