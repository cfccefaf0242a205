import type { DataChunk } from '../chunks/index.js';
import { ssnLe, tsnAdd, tsnLe } from './tsn.js';

/** A whole user message ready for the layer above. */
export interface InboundMessage {
  readonly streamId: number;
  readonly ppid: number;
  readonly data: Uint8Array;
}

interface Fragment {
  readonly streamId: number;
  readonly ssn: number;
  readonly ppid: number;
  readonly unordered: boolean;
  readonly beginning: boolean;
  readonly ending: boolean;
  readonly data: Uint8Array;
}

interface InStream {
  nextSsn: number;
  /** Complete ordered messages waiting for earlier SSNs. */
  readonly ready: Map<number, InboundMessage>;
}

/**
 * Reassembly and ordering of inbound DATA (RFC 9260 §6.5, §6.6, §6.9). Fragments of one message carry
 * consecutive TSNs, so a message is complete when a run B..E of consecutive TSNs is present; unordered
 * messages are assembled strictly from such a run (protocol.md 2.5, pion/sctp#71). Only whole messages
 * leave (threema-web#997). `bytes` counts everything held, for the receive window.
 */
export class Reassembly {
  private readonly frags = new Map<number, Fragment>();
  private readonly streams = new Map<number, InStream>();
  /** Bytes held (fragments plus complete ordered messages waiting for their turn). */
  bytes = 0;

  constructor(private readonly deliver: (m: InboundMessage) => void) {}

  /**
   * Takes a new (not duplicate) DATA chunk. It keeps VIEWS of the packet (SctpAssociation.handleInput
   * takes ownership of its input): a single-chunk message is delivered without any copy, a fragmented
   * one is copied once, when it is assembled.
   */
  add(c: DataChunk): void {
    if (c.beginning && c.ending) {
      this.complete({ streamId: c.streamId, ppid: c.ppid, data: c.userData }, c.unordered, c.ssn);
      return;
    }
    const data = c.userData;
    this.frags.set(c.tsn, { streamId: c.streamId, ssn: c.ssn, ppid: c.ppid, unordered: c.unordered, beginning: c.beginning, ending: c.ending, data });
    this.bytes += data.length;
    this.tryAssemble(c.tsn);
  }

  /** Looks for a complete B..E run through `tsn`: forward first (cheap when fragments arrive in order). */
  private tryAssemble(tsn: number): void {
    let end = tsn;
    for (let f = this.frags.get(end); f && !f.ending; f = this.frags.get(end)) end = tsnAdd(end, 1);
    const last = this.frags.get(end);
    if (!last?.ending) return;
    let begin = tsn;
    for (let f = this.frags.get(begin); f && !f.beginning; f = this.frags.get(begin)) begin = tsnAdd(begin, -1);
    const first = this.frags.get(begin);
    if (!first?.beginning) return;
    this.assemble(begin, end, first);
  }

  private assemble(begin: number, end: number, first: Fragment): void {
    let size = 0;
    for (let t = begin; ; t = tsnAdd(t, 1)) {
      const f = this.frags.get(t) as Fragment;
      // a run mixing streams or kinds is a peer bug: leave it for FORWARD-TSN or the window to clear
      if (f.streamId !== first.streamId || f.unordered !== first.unordered || (!f.unordered && f.ssn !== first.ssn)) return;
      size += f.data.length;
      if (t === end) break;
    }
    const data = new Uint8Array(size);
    let o = 0;
    for (let t = begin; ; t = tsnAdd(t, 1)) {
      const f = this.frags.get(t) as Fragment;
      data.set(f.data, o);
      o += f.data.length;
      this.frags.delete(t);
      if (t === end) break;
    }
    this.bytes -= size;
    this.complete({ streamId: first.streamId, ppid: first.ppid, data }, first.unordered, first.ssn);
  }

  private complete(m: InboundMessage, unordered: boolean, ssn: number): void {
    if (unordered) {
      this.deliver(m);
      return;
    }
    const st = this.stream(m.streamId);
    if (ssn === st.nextSsn && st.ready.size === 0) {
      // the next in order with nothing waiting: straight out (a set and delete per message churns the Map)
      st.nextSsn = (ssn + 1) & 0xffff;
      this.deliver(m);
      return;
    }
    if (!ssnLe(st.nextSsn, ssn) || st.ready.has(ssn)) return; // old (skipped by FORWARD-TSN) or duplicate
    st.ready.set(ssn, m);
    this.bytes += m.data.length;
    this.drain(st);
  }

  private stream(id: number): InStream {
    let st = this.streams.get(id);
    if (!st) {
      st = { nextSsn: 0, ready: new Map() };
      this.streams.set(id, st);
    }
    return st;
  }

  private drain(st: InStream): void {
    for (let m = st.ready.get(st.nextSsn); m; m = st.ready.get(st.nextSsn)) {
      st.ready.delete(st.nextSsn);
      this.bytes -= m.data.length;
      st.nextSsn = (st.nextSsn + 1) & 0xffff;
      this.deliver(m);
    }
  }

  /**
   * FORWARD-TSN (RFC 3758 §3.6): drop every fragment at or below the new cumulative TSN, ordered and
   * unordered alike (pion/sctp#106: unordered leftovers would eat the window), and skip the listed SSNs.
   * Complete messages that only waited for a skipped SSN are delivered, in SSN order, not dropped: the
   * sender did not abandon them (usrsctp's sctp_kick_prsctp_reorder_queue does the same).
   */
  forward(newCumTsn: number, skipped: readonly { streamId: number; ssn: number }[]): void {
    this.frags.forEach((f, tsn) => {
      if (tsnLe(tsn, newCumTsn)) {
        this.frags.delete(tsn);
        this.bytes -= f.data.length;
      }
    });
    for (let i = 0; i < skipped.length; i++) {
      const s = skipped[i] as { streamId: number; ssn: number };
      const st = this.stream(s.streamId);
      if (!ssnLe(st.nextSsn, s.ssn)) continue;
      const from = st.nextSsn;
      const due: number[] = [];
      st.ready.forEach((_m, ssn) => {
        if (ssnLe(ssn, s.ssn)) due.push(ssn);
      });
      due.sort((a, b) => ((a - from) & 0xffff) - ((b - from) & 0xffff));
      st.nextSsn = (s.ssn + 1) & 0xffff;
      for (let j = 0; j < due.length; j++) {
        const ssn = due[j] as number;
        const m = st.ready.get(ssn) as InboundMessage;
        st.ready.delete(ssn);
        this.bytes -= m.data.length;
        this.deliver(m);
      }
      this.drain(st);
    }
  }

  /** Incoming stream reset (RFC 6525 §5.2.2): the next expected SSN goes back to 0. */
  resetStream(id: number): void {
    const st = this.streams.get(id);
    if (!st) return;
    st.ready.forEach((m) => {
      this.bytes -= m.data.length;
    });
    this.streams.delete(id);
  }

  /** True when no ordered message (or fragment of one) arrived on `id` since it was last reset. */
  orderedUnused(id: number): boolean {
    const st = this.streams.get(id);
    if (st && (st.nextSsn !== 0 || st.ready.size > 0)) return false;
    // once per stream whose reset grace expired (reconfig.ts), not per packet: an early exit is worth
    // more here than the iterator objects
    // eslint-disable-next-line no-restricted-syntax
    for (const f of this.frags.values()) if (f.streamId === id && !f.unordered) return false;
    return true;
  }

  /** Streams with state (for leak checks). */
  get streamCount(): number {
    return this.streams.size;
  }

  get fragmentCount(): number {
    return this.frags.size;
  }
}
