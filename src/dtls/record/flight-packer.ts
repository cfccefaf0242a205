import { ContentType, MAX_PLAINTEXT } from '../constants.js';
import { HANDSHAKE_HEADER_LENGTH, encodeHandshakeFragment, writeFragmentHeader } from '../handshake/header.js';
import type { FlightItem } from '../handshake/context.js';
import { RECORD_HEADER_LENGTH } from './header.js';
import type { RecordLayer } from './layer.js';

const CCS_BODY = Uint8Array.of(1);
/** Smallest fragment worth starting in the rest of a datagram. */
const MIN_FRAGMENT = 32;

/** One record of a packed flight: a fragment [offset, offset + n) of a handshake item, or a CCS. */
interface Piece {
  readonly item: FlightItem;
  readonly offset: number;
  readonly n: number;
  readonly size: number;
}

/**
 * Turns a flight into datagrams of at most `mtu` bytes (RFC 6347 §4.1.1.1, §4.2.3): records are
 * packed several to a datagram, and a message that does not fit the room left is fragmented, each
 * fragment in its own record. Every call uses fresh record sequence numbers (retransmissions too).
 * The layout is planned first, then each datagram is allocated once at its size and its epoch-0
 * records written straight into it (no array per fragment or record, no join).
 */
export function packFlight(items: readonly FlightItem[], mtu: number, layer: RecordLayer, overhead: (epoch: number) => number): Uint8Array[] {
  return plan(items, mtu, overhead).map((pieces) => write(pieces, layer));
}

function plan(items: readonly FlightItem[], mtu: number, overhead: (epoch: number) => number): Piece[][] {
  const out: Piece[][] = [];
  let cur: Piece[] = [];
  let size = 0;
  const add = (p: Piece): void => {
    if (size + p.size > mtu && cur.length > 0) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(p);
    size += p.size;
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as FlightItem;
    const perRecord = RECORD_HEADER_LENGTH + overhead(item.epoch);
    if (item.kind === 'ccs') {
      add({ item, offset: 0, n: 1, size: perRecord + 1 });
      continue;
    }
    let offset = 0;
    do {
      let room = mtu - size - perRecord - HANDSHAKE_HEADER_LENGTH;
      const left = item.body.length - offset;
      if (room < Math.min(MIN_FRAGMENT, left) || room <= 0) {
        if (cur.length > 0) out.push(cur);
        cur = [];
        size = 0;
        room = Math.max(1, mtu - perRecord - HANDSHAKE_HEADER_LENGTH);
      }
      const n = Math.min(room, left, MAX_PLAINTEXT - HANDSHAKE_HEADER_LENGTH);
      add({ item, offset, n, size: perRecord + HANDSHAKE_HEADER_LENGTH + n });
      offset += n;
    } while (offset < item.body.length);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function write(pieces: readonly Piece[], layer: RecordLayer): Uint8Array {
  let total = 0;
  for (let i = 0; i < pieces.length; i++) total += (pieces[i] as Piece).size;
  const d = new Uint8Array(total);
  let o = 0;
  for (let i = 0; i < pieces.length; i++) {
    const { item, offset, n } = pieces[i] as Piece;
    if (item.epoch > 0) {
      const plain = item.kind === 'ccs' ? CCS_BODY : encodeHandshakeFragment({ msgType: item.msgType, length: item.body.length, messageSeq: item.messageSeq, fragmentOffset: offset, body: item.body.subarray(offset, offset + n) });
      const rec = layer.seal(item.kind === 'ccs' ? ContentType.changeCipherSpec : ContentType.handshake, item.epoch, plain);
      d.set(rec, o);
      o += rec.length;
    } else if (item.kind === 'ccs') {
      layer.writePlainHeader(d, o, ContentType.changeCipherSpec, 1);
      d[o + RECORD_HEADER_LENGTH] = 1;
      o += RECORD_HEADER_LENGTH + 1;
    } else {
      layer.writePlainHeader(d, o, ContentType.handshake, HANDSHAKE_HEADER_LENGTH + n);
      writeFragmentHeader(d, o + RECORD_HEADER_LENGTH, item.msgType, item.body.length, item.messageSeq, offset, n);
      d.set(item.body.subarray(offset, offset + n), o + RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH);
      o += RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH + n;
    }
  }
  return o === total ? d : d.subarray(0, o);
}

