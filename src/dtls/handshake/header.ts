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
  // the three 24-bit fields written out, not through a helper: this runs for every fragment of every
  // flight and again for the transcript, in V8's interpreter (issue 6)
  out[o] = msgType;
  out[o + 1] = length >>> 16;
  out[o + 2] = length >>> 8;
  out[o + 3] = length;
  out[o + 4] = messageSeq >>> 8;
  out[o + 5] = messageSeq;
  out[o + 6] = fragmentOffset >>> 16;
  out[o + 7] = fragmentOffset >>> 8;
  out[o + 8] = fragmentOffset;
  out[o + 9] = fragmentLength >>> 16;
  out[o + 10] = fragmentLength >>> 8;
  out[o + 11] = fragmentLength;
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

/**
 * All handshake fragments of one record's plaintext (several messages may share a record, RFC 6347
 * §4.2.3). Throws ParseError on truncation or a fragment that overruns its message length.
 */
export function decodeHandshakeFragments(plain: Uint8Array): HandshakeFragment[] {
  const r = new Reader(plain, 0, plain.length, 'dtls.handshake');
  const out: HandshakeFragment[] = [];
  while (r.offset < r.end) {
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
