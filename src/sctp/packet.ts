import { crc32c } from '../core/bytes/crc32.js';
import type { Writer } from '../core/bytes/writer.js';
import { ParseError } from '../core/errors.js';
import { CHUNK } from './chunks/types.js';

/**
 * The SCTP common header (RFC 9260 §3.1) and the packet's chunk framing.
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Source Port Number        |     Destination Port Number   |
 * |                      Verification Tag                         |
 * |                           Checksum                            |
 * \                    Chunk #1 ... Chunk #n                      /
 *
 * The checksum is CRC32c over the packet with the field zeroed, stored LITTLE-endian (RFC 9260
 * Appendix A; pion/sctp `packet.go`). RFC 9653 lets it be 0 when the peer accepts zero checksums.
 */
export const COMMON_HEADER_SIZE = 12;

/** A chunk as framed in the packet: the value is a view (no copy). */
export interface RawChunk {
  readonly type: number;
  readonly flags: number;
  readonly value: Uint8Array;
}

export interface RawPacket {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly verificationTag: number;
  /** The checksum field as a number (read little-endian). */
  readonly checksum: number;
  readonly chunks: readonly RawChunk[];
}

/**
 * Checks a packet's chunk framing without building anything; throws ParseError on bad framing. The
 * receive path then walks the chunks itself (`chunkLength`, `(len + 3) & ~3`): no object per chunk.
 */
export function checkFraming(buf: Uint8Array): void {
  if (buf.length < COMMON_HEADER_SIZE + 4) throw new ParseError('sctp.packet.truncated', `packet is ${buf.length} bytes`, 0);
  for (let p = COMMON_HEADER_SIZE; p < buf.length; p = nextChunk(buf, p)) {
    if (p + 4 > buf.length) throw new ParseError('sctp.chunk.truncated', 'chunk header truncated', p);
    const len = chunkLength(buf, p);
    if (len < 4 || p + len > buf.length) throw new ParseError('sctp.chunk.length', `bad chunk length ${len}`, p + 2);
  }
}

/** The length field of the chunk at `p` (header included, padding excluded). */
export function chunkLength(buf: Uint8Array, p: number): number {
  return ((buf[p + 2] as number) << 8) | (buf[p + 3] as number);
}

/** Offset of the chunk after the one at `p` (chunks are padded to 4 bytes). */
export function nextChunk(buf: Uint8Array, p: number): number {
  return p + ((chunkLength(buf, p) + 3) & ~3);
}

/** The verification tag of a packet. */
export function verificationTagOf(buf: Uint8Array): number {
  return (((buf[4] as number) << 24) | ((buf[5] as number) << 16) | ((buf[6] as number) << 8) | (buf[7] as number)) >>> 0;
}

/** Frames a packet into chunks without decoding them. Throws ParseError on bad framing. */
export function decodePacket(buf: Uint8Array): RawPacket {
  checkFraming(buf);
  const chunks: RawChunk[] = [];
  for (let p = COMMON_HEADER_SIZE; p < buf.length; p = nextChunk(buf, p)) {
    chunks.push({ type: buf[p] as number, flags: buf[p + 1] as number, value: buf.subarray(p + 4, p + chunkLength(buf, p)) });
  }
  return {
    srcPort: ((buf[0] as number) << 8) | (buf[1] as number),
    dstPort: ((buf[2] as number) << 8) | (buf[3] as number),
    verificationTag: verificationTagOf(buf),
    checksum: readChecksum(buf),
    chunks,
  };
}

function readChecksum(buf: Uint8Array): number {
  return ((buf[8] as number) | ((buf[9] as number) << 8) | ((buf[10] as number) << 16) | ((buf[11] as number) << 24)) >>> 0;
}

/**
 * CRC32c of the packet with the checksum field taken as zero. The four bytes are zeroed in place and
 * restored, so the hot path neither copies the packet nor allocates.
 */
export function computeChecksum(buf: Uint8Array): number {
  const b8 = buf[8] as number, b9 = buf[9] as number, b10 = buf[10] as number, b11 = buf[11] as number;
  buf[8] = buf[9] = buf[10] = buf[11] = 0;
  const c = crc32c(buf);
  buf[8] = b8;
  buf[9] = b9;
  buf[10] = b10;
  buf[11] = b11;
  return c;
}

/**
 * Checks the checksum. `acceptZero`: the packet may carry 0 under RFC 9653 (we announced it and the
 * packet is not one of those that always carry a CRC). A correct CRC is accepted always.
 */
export function checksumOk(buf: Uint8Array, acceptZero: boolean): boolean {
  const got = readChecksum(buf);
  if (got === 0 && acceptZero) return true;
  return computeChecksum(buf) === got;
}

/** Starts a packet in `w` (which is reset). */
export function beginPacket(w: Writer, srcPort: number, dstPort: number, verificationTag: number): void {
  w.reset();
  w.u16(srcPort).u16(dstPort).u32(verificationTag).u32(0);
}

/**
 * Hands out packet-sized views of large slabs, so that a packet costs no ArrayBuffer allocation (as
 * Node's Buffer pool). A view is never reused: a slab is dropped when full and freed by the GC once
 * the packets cut from it are gone.
 */
export class PacketSlab {
  private slab = new Uint8Array(0);
  private used = 0;

  constructor(private readonly size = 64 * 1024) {}

  copy(src: Uint8Array): Uint8Array {
    const n = src.length;
    if (n > this.size / 4) return src.slice();
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(this.size);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + n);
    out.set(src);
    this.used += (n + 7) & ~7;
    return out;
  }
}

const defaultSlab = new PacketSlab();

/**
 * Finishes the packet in `w`: writes the CRC (or 0) little-endian and returns an owned copy cut from
 * `slab`, or with `slab` null the writer's own view (valid until `w` is written again: no copy).
 */
export function finishPacket(w: Writer, zeroChecksum: boolean, slab: PacketSlab | null = defaultSlab): Uint8Array {
  const out = slab ? slab.copy(w.finish()) : w.finish();
  if (!zeroChecksum) {
    const c = crc32c(out);
    out[8] = c & 0xff;
    out[9] = (c >>> 8) & 0xff;
    out[10] = (c >>> 16) & 0xff;
    out[11] = (c >>> 24) & 0xff;
  }
  return out;
}

/** True when the packet holds a chunk that must always carry a real CRC (RFC 9653 §5.2: INIT, COOKIE-ECHO). */
export function needsRealChecksum(chunks: readonly RawChunk[]): boolean {
  return chunks.some((c) => c.type === CHUNK.init || c.type === CHUNK.cookieEcho);
}

/** `needsRealChecksum` on the bytes of a packet whose framing was checked (`checkFraming`). */
export function packetNeedsRealChecksum(buf: Uint8Array): boolean {
  for (let p = COMMON_HEADER_SIZE; p < buf.length; p = nextChunk(buf, p)) {
    const t = buf[p] as number;
    if (t === CHUNK.init || t === CHUNK.cookieEcho) return true;
  }
  return false;
}
