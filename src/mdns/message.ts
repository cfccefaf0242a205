/**
 * DNS messages as multicast DNS uses them (RFC 1035 §4.1, RFC 6762 §18), restricted to what ICE
 * needs: questions and A / AAAA answers for `<uuid>.local` names. Other record types are kept with
 * their raw RDATA; authority records are skipped.
 *
 * ```
 *  0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15      RFC 1035 §4.1.1 header
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |   0 in mDNS (RFC 6762 §18.1)
 * |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |   QR=1 response, AA=1 in mDNS responses
 * |          QDCOUNT / ANCOUNT / NSCOUNT / ARCOUNT |   four u16
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * question: QNAME (labels) | QTYPE u16 | UNICAST-RESPONSE bit + QCLASS u15          (RFC 6762 §5.4)
 * record:   NAME (labels)  | TYPE u16 | CACHE-FLUSH bit + CLASS u15 | TTL u32 | RDLENGTH u16 | RDATA
 * ```
 */
import { Reader } from '../core/bytes/reader.js';
import { Writer } from '../core/bytes/writer.js';
import { ParseError, UsageError } from '../core/errors.js';
import { formatIp, parseIp } from '../stun/ip.js';

export const RR_A = 1;
export const RR_AAAA = 28;
export const RR_ANY = 255;
export const CLASS_IN = 1;
/** RFC 1035 §2.3.4: names are at most 255 octets, labels 63. */
const MAX_NAME = 255;
const MAX_POINTER_JUMPS = 16;

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  /** RFC 6762 §5.4 QU bit. */
  readonly unicastResponse: boolean;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  /** RFC 6762 §10.2 cache-flush bit. */
  readonly cacheFlush: boolean;
  readonly ttl: number;
  /** The address of an A (4 bytes) or AAAA (16 bytes) record; undefined for other types. */
  readonly address?: string;
  readonly data: Uint8Array;
}

export interface DnsMessage {
  readonly id: number;
  readonly response: boolean;
  readonly authoritative: boolean;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
}

/** RFC 1035 §4.1.4: labels, with compression pointers (bounded jumps, each pointing backwards). */
function readName(r: Reader): string {
  const labels: string[] = [];
  let pos = r.offset;
  let length = 0;
  let jumps = 0;
  let resume = -1;
  const buf = r.buf;
  for (;;) {
    const len = buf[pos];
    if (len === undefined) throw new ParseError('mdns.name.truncated', 'name runs past the end', pos);
    if ((len & 0xc0) === 0xc0) {
      const low = buf[pos + 1];
      if (low === undefined) throw new ParseError('mdns.name.truncated', 'pointer runs past the end', pos);
      const target = ((len & 0x3f) << 8) | low;
      if (target >= pos || ++jumps > MAX_POINTER_JUMPS) throw new ParseError('mdns.name.pointer', 'compression pointer loops', pos);
      if (resume < 0) resume = pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new ParseError('mdns.name.label', `reserved label type ${len >> 6}`, pos);
    if (len === 0) {
      pos += 1;
      break;
    }
    if (pos + 1 + len > buf.length) throw new ParseError('mdns.name.truncated', 'label runs past the end', pos);
    length += len + 1;
    if (length > MAX_NAME) throw new ParseError('mdns.name.length', 'name longer than 255 octets', pos);
    labels.push(String.fromCharCode(...buf.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  r.skip((resume < 0 ? pos : resume) - r.offset);
  return labels.join('.');
}

function writeName(w: Writer, name: string): void {
  const labels = name.replace(/\.$/, '').split('.');
  let total = 1;
  for (const label of labels) {
    // Names we put on the wire are host names (RFC 6762 §16 allows UTF-8; ICE uses ASCII UUIDs).
    if (label.length === 0 || label.length > 63 || !/^[\x21-\x7e]+$/.test(label)) throw new UsageError('mdns.name', `bad DNS label in ${JSON.stringify(name.slice(0, 80))}`);
    total += label.length + 1;
    if (total > MAX_NAME) throw new UsageError('mdns.name', 'name longer than 255 octets');
    w.u8(label.length);
    for (let i = 0; i < label.length; i++) w.u8(label.charCodeAt(i));
  }
  w.u8(0);
}

function readRecord(r: Reader): DnsRecord {
  const name = readName(r);
  const type = r.u16();
  const cls = r.u16();
  const ttl = r.u32();
  const rdlen = r.u16();
  const data = r.bytes(rdlen).slice();
  const base = { name, type, cacheFlush: (cls & 0x8000) !== 0, ttl, data };
  if ((cls & 0x7fff) === CLASS_IN && ((type === RR_A && rdlen === 4) || (type === RR_AAAA && rdlen === 16))) return { ...base, address: formatIp(data) };
  return base;
}

/** Decodes one DNS message. Throws ParseError on malformed input, nothing else. */
export function decodeDns(buf: Uint8Array): DnsMessage {
  const r = new Reader(buf, 0, buf.length, 'mdns');
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()] as const;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = readName(r);
    const type = r.u16();
    const cls = r.u16();
    questions.push({ name, type, unicastResponse: (cls & 0x8000) !== 0 });
  }
  const answers: DnsRecord[] = [];
  for (let i = 0; i < counts[1]; i++) answers.push(readRecord(r));
  for (let i = 0; i < counts[2]; i++) readRecord(r);
  const additionals: DnsRecord[] = [];
  for (let i = 0; i < counts[3]; i++) additionals.push(readRecord(r));
  return { id, response: (flags & 0x8000) !== 0, authoritative: (flags & 0x0400) !== 0, questions, answers, additionals };
}

/** An mDNS query (id 0, RFC 6762 §18.1) asking for each type of each name. */
export function encodeQuery(names: readonly string[], types: readonly number[] = [RR_A, RR_AAAA], unicastResponse = false): Uint8Array {
  const w = new Writer(64);
  w.u16(0).u16(0).u16(names.length * types.length).u16(0).u16(0).u16(0);
  for (const name of names) {
    for (const type of types) {
      writeName(w, name);
      w.u16(type).u16(CLASS_IN | (unicastResponse ? 0x8000 : 0));
    }
  }
  return w.finish();
}

/** An authoritative mDNS response (RFC 6762 §6) with one A or AAAA record per address, cache-flush set. */
export function encodeResponse(name: string, addresses: readonly string[], ttl = 120): Uint8Array {
  const w = new Writer(64);
  w.u16(0).u16(0x8400).u16(0).u16(addresses.length).u16(0).u16(0);
  for (const address of addresses) {
    const bytes = parseIp(address);
    if (!bytes) throw new UsageError('mdns.address', `not an IP literal: ${address}`);
    writeName(w, name);
    w.u16(bytes.length === 4 ? RR_A : RR_AAAA).u16(CLASS_IN | 0x8000).u32(ttl).u16(bytes.length).bytes(bytes);
  }
  return w.finish();
}
