/**
 * Message boundaries on a byte stream (TURN over TCP/TLS, RFC 8656 §3.1 and §12.5): STUN messages
 * are self-delimiting (20-byte header + Length, RFC 8489 §5) and ChannelData messages are 4 + Length
 * bytes padded to a multiple of 4. The first two bits tell them apart (00 = STUN, 01 = ChannelData).
 *
 * `mode: 'rfc4571'` instead reads the 16-bit length prefix of RFC 4571 that ICE-TCP uses
 * (RFC 6544 §3). Memory is bounded: at most one incomplete frame (< 64 KiB + header) is buffered.
 */
import { ParseError, UsageError } from '../core/errors.js';

export type StreamFraming = 'turn' | 'rfc4571';

/** Splits an incoming byte stream into whole messages. A ParseError means the stream is broken: close it. */
export class StreamDeframer {
  private buf = new Uint8Array(0);

  constructor(private readonly mode: StreamFraming = 'turn') {}

  /** Appends `chunk` and returns every complete frame (copies, safe to keep). */
  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    const frames: Uint8Array[] = [];
    let p = 0;
    for (;;) {
      const size = this.frameSize(joined, p);
      if (size === undefined || p + size.total > joined.length) break;
      frames.push(joined.slice(p + size.skip, p + size.skip + size.body));
      p += size.total;
    }
    this.buf = joined.slice(p);
    return frames;
  }

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.buf.length;
  }

  private frameSize(b: Uint8Array, p: number): { skip: number; body: number; total: number } | undefined {
    if (b.length - p < 4) return undefined;
    const len = ((b[p + 2] as number) << 8) | (b[p + 3] as number);
    if (this.mode === 'rfc4571') {
      const n = ((b[p] as number) << 8) | (b[p + 1] as number);
      return { skip: 2, body: n, total: 2 + n };
    }
    const kind = (b[p] as number) >> 6;
    if (kind === 0) return { skip: 0, body: 20 + len, total: 20 + len };
    if (kind === 1) {
      const body = 4 + len;
      return { skip: 0, body, total: body + ((4 - (body % 4)) % 4) };
    }
    throw new ParseError('turn.stream', `byte 0x${(b[p] as number).toString(16)} starts neither STUN nor ChannelData`, p);
  }
}

/** Frames one message for a stream: RFC 4571 adds the 2-byte length; 'turn' pads ChannelData to 4. */
export function frameForStream(msg: Uint8Array, mode: StreamFraming = 'turn'): Uint8Array {
  if (mode === 'rfc4571') {
    if (msg.length > 0xffff) throw new UsageError('turn.too-big', `frame of ${msg.length} bytes`);
    const out = new Uint8Array(2 + msg.length);
    out[0] = msg.length >> 8;
    out[1] = msg.length & 0xff;
    out.set(msg, 2);
    return out;
  }
  const pad = (4 - (msg.length % 4)) % 4;
  if (pad === 0) return msg;
  const out = new Uint8Array(msg.length + pad);
  out.set(msg);
  return out;
}
