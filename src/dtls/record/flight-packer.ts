import { ContentType, MAX_PLAINTEXT } from '../constants.js';
import { HANDSHAKE_HEADER_LENGTH, encodeHandshakeFragment } from '../handshake/header.js';
import type { FlightItem } from '../handshake/context.js';
import { RECORD_HEADER_LENGTH } from './header.js';
import type { RecordLayer } from './layer.js';

const CCS_BODY = Uint8Array.of(1);
/** Smallest fragment worth starting in the rest of a datagram. */
const MIN_FRAGMENT = 32;

/**
 * Turns a flight into datagrams of at most `mtu` bytes (RFC 6347 §4.1.1.1, §4.2.3): records are
 * packed several to a datagram, and a message that does not fit the room left is fragmented, each
 * fragment in its own record. Every call uses fresh record sequence numbers (retransmissions too).
 */
export function packFlight(items: readonly FlightItem[], mtu: number, layer: RecordLayer, overhead: (epoch: number) => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let cur: Uint8Array[] = [];
  let size = 0;
  const flush = (): void => {
    if (cur.length === 0) return;
    out.push(cur.length === 1 ? (cur[0] as Uint8Array) : join(cur, size));
    cur = [];
    size = 0;
  };
  const add = (rec: Uint8Array): void => {
    if (size + rec.length > mtu) flush();
    cur.push(rec);
    size += rec.length;
  };
  for (const item of items) {
    const perRecord = RECORD_HEADER_LENGTH + overhead(item.epoch);
    if (item.kind === 'ccs') {
      add(layer.seal(ContentType.changeCipherSpec, item.epoch, CCS_BODY));
      continue;
    }
    let offset = 0;
    do {
      let room = mtu - size - perRecord - HANDSHAKE_HEADER_LENGTH;
      const left = item.body.length - offset;
      if (room < Math.min(MIN_FRAGMENT, left) || room <= 0) {
        flush();
        room = Math.max(1, mtu - perRecord - HANDSHAKE_HEADER_LENGTH);
      }
      const n = Math.min(room, left, MAX_PLAINTEXT - HANDSHAKE_HEADER_LENGTH);
      const frag = encodeHandshakeFragment({ msgType: item.msgType, length: item.body.length, messageSeq: item.messageSeq, fragmentOffset: offset, body: item.body.subarray(offset, offset + n) });
      add(layer.seal(ContentType.handshake, item.epoch, frag));
      offset += n;
    } while (offset < item.body.length);
  }
  flush();
  return out;
}

function join(parts: readonly Uint8Array[], size: number): Uint8Array {
  const d = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    d.set(p, o);
    o += p.length;
  }
  return d;
}
