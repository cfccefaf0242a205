import type { Writer } from '../../core/bytes/writer.js';
import { NONE, writeSack, type DataChunk, type GapBlock, type SackChunk } from '../chunks/index.js';
import { Reassembly, type InboundMessage } from './reassembly.js';
import { tsnAdd, tsnDiff, tsnLe } from './tsn.js';

/** At most this many duplicate TSNs and gap blocks go into one SACK (keeps it inside one packet). */
const MAX_DUPS = 16;
const MAX_GAPS = 64;
/** Accounting overhead per held chunk, so many tiny chunks cannot exceed the window in memory. */
const CHUNK_OVERHEAD = 64;

/**
 * The receive side (RFC 9260 §6.2, §6.7): cumulative TSN, out-of-order TSNs, duplicates, the
 * advertised window and the SACK schedule. DATA beyond the window or beyond `maxTsnAhead` is dropped
 * (not acked, the peer resends), so a peer can make us hold at most `window` bytes plus one message.
 */
export class Receiver {
  cumTsn: number;
  private readonly above = new Set<number>();
  private dups: number[] = [];
  /** SACK must go out now (out of order, duplicate, gap, FORWARD-TSN, 2nd packet). */
  sackNow = false;
  /** A SACK is owed (delayed-SACK timer running). */
  sackPending = false;
  private packetsSinceSack = 0;
  readonly reassembly: Reassembly;
  /** Counters for observability. */
  dropped = 0;
  duplicates = 0;

  constructor(peerInitialTsn: number, private readonly window: number, private readonly maxTsnAhead: number, deliver: (m: InboundMessage) => void) {
    this.cumTsn = tsnAdd(peerInitialTsn, -1);
    this.reassembly = new Reassembly(deliver);
  }

  /**
   * What our SACKs may advertise at most, when it is less than `window` (setAdvertisedWindow): the
   * window we accept is unchanged, the sender is only told to keep less in flight.
   */
  private advertisedCap = Number.POSITIVE_INFINITY;

  /** Bytes we still accept (the acceptance test, and our a_rwnd unless advertisedCap is lower). */
  get arwnd(): number {
    return Math.max(0, this.window - this.reassembly.bytes - this.above.size * CHUNK_OVERHEAD);
  }

  /** The a_rwnd our SACKs carry: arwnd, less what the advertised cap leaves. */
  get advertised(): number {
    const held = this.window - this.arwnd;
    return this.advertisedCap >= this.window ? this.arwnd : Math.max(0, this.advertisedCap - held);
  }

  /** Caps what our SACKs advertise (undefined: no cap). See SctpAssociation.setAdvertisedWindow. */
  setAdvertisedWindow(bytes: number | undefined): void {
    this.advertisedCap = bytes ?? Number.POSITIVE_INFINITY;
  }

  /** One DATA chunk. Returns false when it was dropped or a duplicate. `keep` false acks it without
   * keeping it (a chunk for an invalid stream, RFC 9260 §6.5). */
  onData(c: DataChunk, keep = true): boolean {
    const ahead = tsnDiff(c.tsn, this.cumTsn);
    if (ahead <= 0 || this.above.has(c.tsn)) {
      this.duplicates++;
      if (this.dups.length < MAX_DUPS) this.dups.push(c.tsn);
      this.sackNow = true; // RFC 9260 §6.7: report duplicates at once
      return false;
    }
    // RFC 9260 §6.2: no room → drop, except the next in-sequence chunk while under window + one message
    const room = this.arwnd >= c.userData.length + CHUNK_OVERHEAD || (ahead === 1 && this.reassembly.bytes < 2 * this.window);
    if (ahead > this.maxTsnAhead || !room) {
      this.dropped++;
      this.sackNow = true;
      return false;
    }
    if (ahead === 1) {
      this.cumTsn = c.tsn;
      this.advance();
    } else {
      this.above.add(c.tsn);
    }
    if (keep) this.reassembly.add(c);
    if (this.above.size > 0) this.sackNow = true; // RFC 9260 §6.7: gaps are reported at once
    if (c.immediate) this.sackNow = true; // RFC 7053
    return true;
  }

  private advance(): void {
    while (this.above.size > 0 && this.above.delete(tsnAdd(this.cumTsn, 1))) this.cumTsn = tsnAdd(this.cumTsn, 1);
  }

  /** Called once per received packet that carried DATA: every 2nd packet is acked at once (§6.2). */
  endOfPacket(): void {
    this.sackPending = true;
    if (++this.packetsSinceSack >= 2) this.sackNow = true;
  }

  /** FORWARD-TSN (RFC 3758 §3.6). */
  onForwardTsn(newCum: number, streams: readonly { streamId: number; ssn: number }[]): void {
    if (tsnLe(newCum, this.cumTsn)) {
      // already there, but fragments it covers may still wait for siblings that will never come
      if (this.reassembly.fragmentCount > 0) this.reassembly.forward(newCum, streams);
      this.sackNow = true;
      return;
    }
    this.above.forEach((t) => {
      if (tsnLe(t, newCum)) this.above.delete(t);
    });
    this.cumTsn = newCum;
    this.advance();
    this.reassembly.forward(newCum, streams);
    this.sackNow = true;
  }

  /** Builds the SACK and clears the SACK state. */
  takeSack(): SackChunk {
    const sack: SackChunk = { kind: 'sack', cumulativeTsnAck: this.cumTsn, arwnd: this.advertised, gapBlocks: this.gapBlocks(), duplicateTsns: this.dups.length > 0 ? this.dups : NONE };
    this.clearSack();
    return sack;
  }

  /** `takeSack` written straight into `w` (the data path: no SACK object, no arrays when in order). */
  writeSack(w: Writer): void {
    writeSack(w, this.cumTsn, this.advertised, this.gapBlocks(), this.dups);
    this.clearSack();
  }

  private clearSack(): void {
    if (this.dups.length > 0) this.dups = [];
    this.sackNow = false;
    this.sackPending = false;
    this.packetsSinceSack = 0;
  }

  private gapBlocks(): readonly GapBlock[] {
    if (this.above.size === 0) return NONE;
    const offs: number[] = [];
    this.above.forEach((t) => {
      offs.push(tsnDiff(t, this.cumTsn));
    });
    offs.sort((a, b) => a - b);
    const blocks: GapBlock[] = [];
    let start = offs[0] as number;
    let prev = start;
    for (let i = 1; i <= offs.length && blocks.length < MAX_GAPS; i++) {
      const o = offs[i];
      if (o === prev + 1) {
        prev = o;
        continue;
      }
      blocks.push({ start, end: prev });
      if (o !== undefined) start = prev = o;
    }
    return blocks.filter((b) => b.end <= 0xffff);
  }
}
