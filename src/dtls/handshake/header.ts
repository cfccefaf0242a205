import { Reader } from '../../core/bytes/reader.js';

/**
 * DTLS handshake message header (RFC 6347 §4.2.2), 12 bytes before each fragment:
 *
 *   +--------+--------------+---------------+-------------------+-------------------+
 *   |msg_type| length (3)   | message_seq(2)| fragment_offset(3)| fragment_length(3)|  body fragment...
 *   +--------+--------------+---------------+-------------------+-------------------+
 */
export interface HandshakeFragment {
  readonly msgType: number;
  /** Length of the whole message body. */
  readonly length: number;
  readonly messageSeq: number;
  readonly fragmentOffset: number;
  /** The fragment's bytes (a VIEW; copy to keep). Its length is fragment_length. */
  readonly body: Uint8Array;
}

export const HANDSHAKE_HEADER_LENGTH = 12;

/** Writes a fragment header (12 bytes) into `out` at `o`. */
export function writeFragmentHeader(out: Uint8Array, o: number, msgType: number, length: number, messageSeq: number, fragmentOffset: number, fragmentLength: number): void {
  out[o] = msgType;
  put24(out, o + 1, length);
  out[o + 4] = messageSeq >>> 8;
  out[o + 5] = messageSeq & 0xff;
  put24(out, o + 6, fragmentOffset);
  put24(out, o + 9, fragmentLength);
}

/** The header of a whole message as it enters the transcript: fragment_offset 0, fragment_length = length (RFC 6347 §4.2.6). */
export function writeMessageHeader(out: Uint8Array, o: number, msgType: number, messageSeq: number, length: number): void {
  writeFragmentHeader(out, o, msgType, length, messageSeq, 0, length);
}

/** Encodes one fragment (header + body bytes). */
export function encodeHandshakeFragment(f: HandshakeFragment): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + f.body.length);
  writeFragmentHeader(out, 0, f.msgType, f.length, f.messageSeq, f.fragmentOffset, f.body.length);
  out.set(f.body, HANDSHAKE_HEADER_LENGTH);
  return out;
}

function put24(out: Uint8Array, o: number, v: number): void {
  out[o] = (v >>> 16) & 0xff;
  out[o + 1] = (v >>> 8) & 0xff;
  out[o + 2] = v & 0xff;
}

/**
 * All handshake fragments of one record's plaintext (several messages may share a record, RFC 6347
 * §4.2.3). Throws ParseError on truncation or a fragment that overruns its message length.
 */
export function decodeHandshakeFragments(plain: Uint8Array): HandshakeFragment[] {
  const r = new Reader(plain, 0, plain.length, 'dtls.handshake');
  const out: HandshakeFragment[] = [];
  while (r.remaining > 0) {
    const msgType = r.u8();
    const length = r.u24();
    const messageSeq = r.u16();
    const fragmentOffset = r.u24();
    const fragmentLength = r.u24();
    if (fragmentOffset + fragmentLength > length) r.fail('fragment', `fragment ${fragmentOffset}+${fragmentLength} beyond length ${length}`);
    out.push({ msgType, length, messageSeq, fragmentOffset, body: r.bytes(fragmentLength) });
  }
  return out;
}
