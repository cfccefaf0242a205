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

/** Encodes one fragment (header + body bytes). */
export function encodeHandshakeFragment(f: HandshakeFragment): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + f.body.length);
  out[0] = f.msgType;
  put24(out, 1, f.length);
  out[4] = f.messageSeq >>> 8;
  out[5] = f.messageSeq & 0xff;
  put24(out, 6, f.fragmentOffset);
  put24(out, 9, f.body.length);
  out.set(f.body, HANDSHAKE_HEADER_LENGTH);
  return out;
}

/** A whole message as it enters the transcript: fragment_offset 0, fragment_length = length (RFC 6347 §4.2.6). */
export function encodeHandshakeMessage(msgType: number, messageSeq: number, body: Uint8Array): Uint8Array {
  return encodeHandshakeFragment({ msgType, length: body.length, messageSeq, fragmentOffset: 0, body });
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
