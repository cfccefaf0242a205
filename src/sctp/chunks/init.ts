import type { Writer } from '../../core/bytes/writer.js';
import { ParseError } from '../../core/errors.js';
import { decodeParamList, type Param } from '../params/index.js';
import { u16At, u32At } from '../params/tlv.js';
import { CHUNK, writeChunkWithParams } from './types.js';

/**
 * INIT (RFC 9260 §3.3.2) and INIT-ACK (§3.3.3) share one layout.
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 1 / 2 |  Chunk Flags  |      Chunk Length             |
 * |                         Initiate Tag                          |
 * |           Advertised Receiver Window Credit (a_rwnd)          |
 * |  Number of Outbound Streams   |  Number of Inbound Streams    |
 * |                          Initial TSN                          |
 * \              Optional/Variable-Length Parameters              /
 */
export interface InitChunk {
  readonly kind: 'init' | 'init-ack';
  readonly initiateTag: number;
  readonly arwnd: number;
  readonly outboundStreams: number;
  readonly inboundStreams: number;
  readonly initialTsn: number;
  readonly params: readonly Param[];
  /** Unrecognised parameters to report (INIT-ACK's Unrecognized Parameter, RFC 9260 §3.3.3). */
  readonly unrecognized: readonly Uint8Array[];
}

export function decodeInit(kind: 'init' | 'init-ack', value: Uint8Array): InitChunk {
  if (value.length < 16) throw new ParseError(`sctp.${kind}.length`, `${kind} value is ${value.length} bytes`, 0);
  const initiateTag = u32At(value, 0);
  const outboundStreams = u16At(value, 8);
  const inboundStreams = u16At(value, 10);
  // RFC 9260 §3.3.2: a zero Initiate Tag or zero stream counts are protocol violations.
  if (initiateTag === 0) throw new ParseError(`sctp.${kind}.zero-tag`, 'Initiate Tag is 0', 4);
  if (outboundStreams === 0 || inboundStreams === 0) throw new ParseError(`sctp.${kind}.zero-streams`, 'stream count is 0', 12);
  const { params, unrecognized } = decodeParamList(value, 16, value.length);
  return { kind, initiateTag, arwnd: u32At(value, 4), outboundStreams, inboundStreams, initialTsn: u32At(value, 12), params, unrecognized };
}

export function encodeInit(w: Writer, c: InitChunk): void {
  const type = c.kind === 'init' ? CHUNK.init : CHUNK.initAck;
  writeChunkWithParams(w, type, 0, (w) => {
    w.u32(c.initiateTag).u32(c.arwnd).u16(c.outboundStreams).u16(c.inboundStreams).u32(c.initialTsn);
  }, c.params);
}
