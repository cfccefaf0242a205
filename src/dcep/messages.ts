/**
 * DCEP messages (RFC 8832 §5), carried on the channel's own SCTP stream with PPID 50, reliable and
 * ordered.
 *
 * DATA_CHANNEL_OPEN (RFC 8832 §5.1):
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Message Type |  Channel Type |            Priority           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Reliability Parameter                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Label Length          |       Protocol Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   \                             Label                             /
 *   \                            Protocol                           /
 *
 * DATA_CHANNEL_ACK (RFC 8832 §5.2): one byte, 0x02.
 */
import { Reader } from '../core/bytes/reader.js';
import { Writer } from '../core/bytes/writer.js';
import { ParseError, UsageError } from '../core/errors.js';

export const DCEP_OPEN = 0x03;
export const DCEP_ACK = 0x02;

/** RFC 8832 §5.1 channel types: bit 0x80 = unordered; low bits = reliability kind. */
export const ChannelType = {
  Reliable: 0x00,
  ReliableUnordered: 0x80,
  PartialReliableRexmit: 0x01,
  PartialReliableRexmitUnordered: 0x81,
  PartialReliableTimed: 0x02,
  PartialReliableTimedUnordered: 0x82,
} as const;
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType];

const CHANNEL_TYPES: ReadonlySet<number> = new Set(Object.values(ChannelType));

/** How a channel delivers: ordered or not, and at most one partial-reliability limit. */
export interface Reliability {
  readonly ordered: boolean;
  /** Max retransmissions (channel type 0x01/0x81). */
  readonly maxRetransmits?: number;
  /** Max lifetime in ms (channel type 0x02/0x82). */
  readonly maxPacketLifeTime?: number;
}

/** A decoded DATA_CHANNEL_OPEN. `priority` per RFC 8832 §5.1 (Chrome sends 256). */
export interface DcepOpen {
  readonly type: 'open';
  readonly channelType: ChannelType;
  readonly priority: number;
  /** Max retransmits or lifetime (ms) for partial-reliable types; ignored (0) for reliable ones. */
  readonly reliabilityParameter: number;
  readonly label: string;
  readonly protocol: string;
}

export interface DcepAck {
  readonly type: 'ack';
}

export type DcepMessage = DcepOpen | DcepAck;

/** Channel type + parameter for a reliability description (RFC 8832 §5.1). */
export function channelTypeFor(r: Reliability): { channelType: ChannelType; reliabilityParameter: number } {
  const unordered = r.ordered ? 0 : 0x80;
  if (r.maxRetransmits !== undefined) return { channelType: (0x01 | unordered) as ChannelType, reliabilityParameter: r.maxRetransmits };
  if (r.maxPacketLifeTime !== undefined) return { channelType: (0x02 | unordered) as ChannelType, reliabilityParameter: r.maxPacketLifeTime };
  return { channelType: unordered as ChannelType, reliabilityParameter: 0 };
}

/** The reliability an OPEN asks for. */
export function reliabilityOf(open: Pick<DcepOpen, 'channelType' | 'reliabilityParameter'>): Reliability {
  const ordered = (open.channelType & 0x80) === 0;
  switch (open.channelType & 0x7f) {
    case 0x01:
      return { ordered, maxRetransmits: open.reliabilityParameter };
    case 0x02:
      return { ordered, maxPacketLifeTime: open.reliabilityParameter };
    default:
      return { ordered };
  }
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Encodes OPEN. UsageError (`dcep.string-too-long`) when label or protocol exceeds 65535 UTF-8 bytes. */
export function encodeDcepOpen(m: Omit<DcepOpen, 'type'>): Uint8Array {
  const label = utf8.encode(m.label);
  const protocol = utf8.encode(m.protocol);
  if (label.length > 0xffff || protocol.length > 0xffff) throw new UsageError('dcep.string-too-long', 'label and protocol must each fit in 65535 UTF-8 bytes');
  const w = new Writer(12 + label.length + protocol.length);
  w.u8(DCEP_OPEN).u8(m.channelType).u16(m.priority).u32(m.reliabilityParameter >>> 0);
  w.u16(label.length).u16(protocol.length).bytes(label).bytes(protocol);
  return w.finish().slice();
}

export function encodeDcepAck(): Uint8Array {
  return Uint8Array.of(DCEP_ACK);
}

/** Decodes a PPID-50 payload. Throws ParseError (`dcep.*`) on malformed input. */
export function decodeDcep(buf: Uint8Array): DcepMessage {
  const r = new Reader(buf, 0, buf.length, 'dcep');
  const type = r.u8();
  if (type === DCEP_ACK) return { type: 'ack' };
  if (type !== DCEP_OPEN) r.fail('message-type', `unknown DCEP message type ${type}`);
  const channelType = r.u8();
  if (!CHANNEL_TYPES.has(channelType)) r.fail('channel-type', `unknown channel type 0x${channelType.toString(16)}`);
  const priority = r.u16();
  const reliabilityParameter = r.u32();
  const labelLength = r.u16();
  const protocolLength = r.u16();
  const label = decodeUtf8(r, labelLength);
  const protocol = decodeUtf8(r, protocolLength);
  return { type: 'open', channelType: channelType as ChannelType, priority, reliabilityParameter, label, protocol };
}

function decodeUtf8(r: Reader, n: number): string {
  const at = r.offset;
  const bytes = r.bytes(n);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new ParseError('dcep.utf8', 'label or protocol is not valid UTF-8', at);
  }
}
