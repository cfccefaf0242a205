/**
 * SNAP, the SCTP Negotiation Acceleration Protocol (draft-hancke-tsvwg-snap): each end's INIT chunk
 * travels in its SDP (`a=sctp-init`, base64) and, once DTLS is up, both ends take the association as
 * ESTABLISHED from the two INITs. No INIT, INIT-ACK, COOKIE-ECHO or COOKIE-ACK crosses the network:
 * the first DATA leaves with (or right after) the DTLS Finished, two round trips earlier. The cookie's
 * protection against half-open associations is DTLS's job here (draft §7; RFC 8261).
 *
 * The bytes are the chunk as it would go on the wire, without the padding after its last parameter
 * (the draft's example is 30 bytes); padding of up to 3 zero bytes is accepted on input.
 */
import { Writer } from '../../core/bytes/writer.js';
import { ParseError, isParseError } from '../../core/errors.js';
import { CHUNK, type InitChunk } from '../chunks/index.js';
import { decodeInit, encodeInit } from '../chunks/init.js';

/** The largest `a=sctp-init` value taken from a peer (a WebRTC INIT is about 30 to 40 bytes). */
export const MAX_SNAP_INIT_BYTES = 2048;

/** Our INIT chunk as signalled in `a=sctp-init`. */
export function encodeSnapInit(init: InitChunk): Uint8Array {
  const w = new Writer(64);
  encodeInit(w, init.kind === 'init' ? init : Object.assign({}, init, { kind: 'init' as const }));
  const b = w.toBytes();
  return b.slice(0, ((b[2] as number) << 8) | (b[3] as number));
}

/**
 * A peer's `a=sctp-init` bytes as an INIT chunk. Throws ParseError (`sctp.snap.*`, or `sctp.init.*`
 * from the INIT decoder) when they are not exactly one valid INIT: the caller then does not use SNAP
 * (draft §5.2: the line is ignored and no `a=sctp-init` is answered).
 */
export function decodeSnapInit(bytes: Uint8Array): InitChunk {
  if (bytes.length < 20 || bytes.length > MAX_SNAP_INIT_BYTES) throw new ParseError('sctp.snap.length', `a=sctp-init of ${bytes.length} bytes`, 0);
  if (bytes[0] !== CHUNK.init) throw new ParseError('sctp.snap.type', `chunk type ${bytes[0]} is not INIT`, 0);
  if (bytes[1] !== 0) throw new ParseError('sctp.snap.flags', 'INIT chunk flags are not 0', 1);
  const length = ((bytes[2] as number) << 8) | (bytes[3] as number);
  if (length < 20 || length > bytes.length || bytes.length - length > 3) {
    throw new ParseError('sctp.snap.length', `chunk length ${length} does not frame ${bytes.length} bytes`, 2);
  }
  for (let i = length; i < bytes.length; i++) if (bytes[i] !== 0) throw new ParseError('sctp.snap.padding', 'non-zero padding after the chunk', i);
  return decodeInit('init', bytes.subarray(4, length));
}

/** Whether `bytes` are one valid INIT chunk for SNAP (decodeSnapInit does not throw). */
export function isSnapInit(bytes: Uint8Array): boolean {
  try {
    decodeSnapInit(bytes);
    return true;
  } catch (e) {
    if (isParseError(e)) return false;
    throw e;
  }
}
