import type { ForwardTsnChunk, ForwardTsnStream } from '../chunks/index.js';
import { DATA_FLAG } from '../chunks/index.js';
import { tsnAdd, tsnLt } from './tsn.js';

interface Skippable {
  readonly tsn: number;
  readonly flags: number;
  readonly msg: { readonly streamId: number; readonly ssn: number };
  readonly acked: boolean;
  readonly abandoned: boolean;
}

/**
 * Advanced.Peer.Ack.Point (RFC 3758 §3.5 C1): from the cumulative ack, walk over chunks that are
 * acked or abandoned and stop at the last ABANDONED one, so the point never lands inside a message
 * that is still being delivered (abandoned messages are whole, placeholder included).
 */
export function advancedPeerAckPoint(out: ReadonlyArray<Skippable | undefined>, head: number, cumAck: number): number {
  let point = cumAck;
  for (let i = head; i < out.length; i++) {
    const c = out[i];
    if (!c || !(c.acked || c.abandoned)) break;
    if (c.abandoned) point = c.tsn;
  }
  return point;
}

/**
 * FORWARD-TSN up to `point`, listing for each ordered stream the highest SSN skipped (RFC 3758 §3.2);
 * unordered messages need no entry (the peer purges by TSN).
 */
export function forwardTsnFor(out: ReadonlyArray<Skippable | undefined>, head: number, cumAck: number, point: number): ForwardTsnChunk {
  const bySid = new Map<number, number>();
  for (let i = head, t = tsnAdd(cumAck, 1); i < out.length && !tsnLt(point, t); i++, t = tsnAdd(t, 1)) {
    const c = out[i];
    if (!c || !c.abandoned || (c.flags & DATA_FLAG.unordered) !== 0) continue;
    bySid.set(c.msg.streamId, c.msg.ssn);
  }
  const streams: ForwardTsnStream[] = [];
  bySid.forEach((ssn, streamId) => {
    streams.push({ streamId, ssn });
  });
  return { kind: 'forward-tsn', newCumulativeTsn: point, streams };
}
