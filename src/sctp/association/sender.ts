import type { Writer } from '../../core/bytes/writer.js';
import { DATA_FLAG, DATA_HEADER_SIZE, writeData, type ForwardTsnChunk, type GapBlock, type SackChunk } from '../chunks/index.js';
import type { Congestion } from './congestion.js';
import { advancedPeerAckPoint, forwardTsnFor } from './forward-tsn.js';
import type { Rto } from './rto.js';
import type { OutMessage, SendQueue } from './send-queue.js';
import { tsnAdd, tsnDiff, tsnLe, tsnLt } from './tsn.js';

/** One DATA chunk we sent (or will resend). `payload` is a view into the message. */
export interface OutChunk {
  readonly tsn: number;
  readonly msg: OutMessage;
  readonly flags: number;
  readonly payload: Uint8Array;
  sentAt: number;
  sendCount: number;
  acked: boolean;
  abandoned: boolean;
  /** Counted in the flight size. */
  inFlight: boolean;
  missCount: number;
  fastRetransmitted: boolean;
  queuedForRtx: boolean;
}

/** Smallest fragment worth starting at the end of a packet that already holds chunks. */
const MIN_TAIL_FRAGMENT = 256;

/**
 * The send side (RFC 9260 §6.1, §6.3, §7; RFC 3758): TSN assignment, fragmentation into views of
 * the message (no copy), the outstanding list indexed by TSN, SACK processing with gap blocks,
 * fast retransmit, T3-rtx, zero-window probing and PR-SCTP abandonment of whole messages.
 */
export class Sender {
  nextTsn: number;
  cumAck: number;
  private out: Array<OutChunk | undefined> = [];
  private head = 0;
  flight = 0;
  peerRwnd: number;
  private rtx: OutChunk[] = [];
  private rtxAt = 0;
  /** Highest TSN a FORWARD-TSN told the peer to skip to; a new one is due when the point passes it. */
  private forwardSent: number;
  /** nextTsn when that FORWARD-TSN left: a later chunk acked without it means it was lost. */
  private forwardNext: number;
  forwardDue = false;
  /** Counters for observability. */
  retransmissions = 0;
  abandonedMessages = 0;
  /** Packets of new DATA still allowed before the next SACK (RFC 9260 §6.1 D, Max.Burst). */
  private burstLeft = Infinity;
  /** The packet room of the latest fill(), to count the packets a SACK freed. */
  private lastLimit = 1200;
  /** Max.Burst in packets; 0 disables. */
  maxBurst = 4;
  /**
   * Counts the fills that left queued data for lack of window (cwnd, peer window, silly-window
   * avoidance, Max.Burst). A message that expires before its first transmission is abandoned only
   * if this moved since it was queued: the messages of one job are packetized at its end (pumpSoon),
   * and a 1 ms lifetime (Godot's unreliable channels) lapsed in that wait on a busy machine without
   * the message ever having had a chance to leave.
   */
  blockedEpoch = 0;
  /** Largest window the peer advertised (for silly-window avoidance). */
  private peerRwndMax: number;
  /** The last SACK reported no gap and no recovery is running: silly-window avoidance may hold data. */
  private clean = true;
  /** What the SACK being processed acknowledged (one object for every SACK). */
  private readonly acked = { bytes: 0, rtt: -1 };

  /**
   * @param maxPayload largest DATA payload to cut new fragments to (the association updates it when
   *   the PLPMTU changes: Plpmtud.fragmentSize); chunks already cut keep their size
   */
  constructor(initialTsn: number, peerArwnd: number, private readonly queue: SendQueue, private readonly cc: Congestion, private readonly rto: Rto, public maxPayload: number) {
    this.nextTsn = initialTsn;
    this.cumAck = tsnAdd(initialTsn, -1);
    this.forwardSent = this.cumAck;
    this.forwardNext = initialTsn;
    this.peerRwnd = peerArwnd;
    this.peerRwndMax = peerArwnd;
  }

  /** Chunks sent and neither cumulatively acked nor skipped. */
  get outstanding(): number {
    return this.out.length - this.head;
  }

  /** True when T3-rtx must run: data in flight or a FORWARD-TSN not yet acknowledged. */
  get needsT3(): boolean {
    return this.flight > 0 || this.rtxAt < this.rtx.length || tsnLt(this.cumAck, this.forwardSent);
  }

  /** Nothing queued, nothing outstanding (SHUTDOWN may go). */
  get idle(): boolean {
    return this.outstanding === 0 && this.queue.fifo.length === 0;
  }

  chunkAt(tsn: number): OutChunk | undefined {
    const i = tsnDiff(tsn, tsnAdd(this.cumAck, 1));
    return i < 0 ? undefined : this.out[this.head + i];
  }

  /** Writes retransmissions, then new DATA, into `w` up to `limit` bytes. Returns true if any. */
  /** Nothing marked for retransmission and nothing queued: fill() would write nothing. */
  get nothingToFill(): boolean {
    return this.rtxAt >= this.rtx.length && this.queue.fifo.length === 0;
  }

  fill(w: Writer, limit: number, now: number): boolean {
    this.lastLimit = limit;
    // the common case of a packet that carries only a SACK
    if (this.nothingToFill) return false;
    const before = w.length;
    this.fillRetransmissions(w, limit, now);
    if (this.burstLeft > 0) {
      const mark = w.length;
      this.fillNew(w, limit, now);
      if (w.length > mark) this.burstLeft--;
    } else if (this.queue.fifo.length > 0) this.blockedEpoch++;
    return w.length > before;
  }

  /**
   * New data may leave: after a SACK, twice the packets it acknowledged (what slow start's ack clock
   * releases) plus Max.Burst; from idle the whole cwnd (initial window). Max.Burst bounds the burst
   * BEYOND the ack clock (RFC 9260 §6.1 D): counted from zero, a SACK that acknowledges many packets
   * (our receiver acks once per read batch) released only 4 of them. On loopback the bulk benchmark
   * did not measurably change (65-77 MB/s before, 67-73 after, in noisy runs); the rule matters
   * where the window, not the event loop, is the limit.
   */
  private openBurst(ackedBytes = 0): void {
    const freed = ackedBytes > 0 ? Math.ceil(ackedBytes / Math.max(1, this.lastLimit - 12 - DATA_HEADER_SIZE)) : 0;
    this.burstLeft = this.maxBurst > 0 && this.flight > 0 ? this.maxBurst + 2 * freed : Infinity;
  }

  /** A user call queued data: from idle, send the window at once. */
  onQueued(): void {
    if (this.flight === 0) this.burstLeft = Infinity;
  }

  private fillRetransmissions(w: Writer, limit: number, now: number): void {
    let first = true;
    while (this.rtxAt < this.rtx.length) {
      const c = this.rtx[this.rtxAt] as OutChunk;
      if (c.acked || c.abandoned || c.inFlight || this.abandonIfDue(c, now)) {
        c.queuedForRtx = false;
        this.rtxAt++;
        continue;
      }
      // a chunk cut for a larger packet than the path now takes (the cap fell with a new selected pair)
      // leaves alone in a packet, oversized, rather than never: it cannot be re-fragmented
      if (w.length + DATA_HEADER_SIZE + c.payload.length > limit && w.length > 12) break;
      // RFC 9260 §7.2.4: the first fast-retransmitted packet ignores cwnd; the rest obey it
      if (!(first && c.fastRetransmitted) && this.flight + c.payload.length > this.cc.cwnd && this.flight > 0) break;
      first = false;
      writeData(w, c.flags, c.tsn, c.msg.streamId, c.msg.ssn, c.msg.ppid, c.payload);
      c.sendCount++;
      c.sentAt = now;
      c.inFlight = true;
      c.queuedForRtx = false;
      this.flight += c.payload.length;
      this.retransmissions++;
      this.rtxAt++;
    }
    if (this.rtxAt > 0 && this.rtxAt >= this.rtx.length) {
      // drained: start over (only then: an empty list is kept, not replaced on every packet)
      this.rtx = [];
      this.rtxAt = 0;
    }
  }

  /**
   * Sender-side silly window avoidance (RFC 9260 §6.1 refers to RFC 1122's): with data in flight, new
   * DATA waits for the next SACK unless the open window holds what is queued, the room left in this
   * packet, or half the largest window. Without it a SACK that frees one packet and a bit lets out a
   * full packet and a tiny one, and the pattern repeats for the whole transfer (half the packets tiny).
   * Only while no loss is being reported: then new data goes out as the window allows, so that the
   * peer's SACKs keep reporting the gaps (RFC 3042 limited transmit) instead of the sender waiting for T3.
   */
  private windowTooSmall(room: number): boolean {
    if (this.flight === 0 || !this.clean) return false;
    const open = Math.min(this.cc.cwnd - this.flight, this.peerRwnd);
    const half = Math.min(this.cc.cwnd, this.peerRwndMax) / 2;
    return open < Math.min(room, this.queue.total, half);
  }

  private fillNew(w: Writer, limit: number, now: number): void {
    if (this.windowTooSmall(limit - w.length - DATA_HEADER_SIZE)) {
      this.blockedEpoch++;
      return;
    }
    const q = this.queue.fifo;
    for (let m = q.peek(); m; m = q.peek()) {
      if (m.abandoned) {
        q.shift();
        continue;
      }
      // RFC 3758 timed reliability, before the first transmission: only once the window held it back
      if (m.offset === 0 && m.expiresAt !== undefined && now >= m.expiresAt && m.queuedEpoch !== this.blockedEpoch) {
        this.dropUnsent(m);
        continue;
      }
      // RFC 9260 §6.1 A/B: respect cwnd and the peer's window, but probe a zero window with one chunk
      if (this.flight >= this.cc.cwnd || (this.flight > 0 && this.peerRwnd <= 0)) {
        this.blockedEpoch++;
        return;
      }
      const room = limit - w.length - DATA_HEADER_SIZE;
      const remaining = m.data.length - m.offset;
      const n = Math.min(remaining, room, this.maxPayload);
      if (n <= 0 || (n < remaining && n < MIN_TAIL_FRAGMENT && w.length > 12 + 16 + DATA_HEADER_SIZE)) return;
      this.emitFragment(w, m, n, now);
    }
  }

  private emitFragment(w: Writer, m: OutMessage, n: number, now: number): void {
    if (m.offset === 0) this.queue.assignSsn(m);
    const done = m.offset + n === m.data.length;
    const flags = (m.offset === 0 ? DATA_FLAG.begin : 0) | (done ? DATA_FLAG.end : 0) | (m.unordered ? DATA_FLAG.unordered : 0);
    // a message in one chunk is its own payload: no view per message (issue 6)
    const payload = n === m.data.length ? m.data : m.data.subarray(m.offset, m.offset + n);
    const c: OutChunk = { tsn: this.nextTsn, msg: m, flags, payload, sentAt: now, sendCount: 1, acked: false, abandoned: false, inFlight: true, missCount: 0, fastRetransmitted: false, queuedForRtx: false };
    this.out.push(c);
    this.nextTsn = tsnAdd(this.nextTsn, 1);
    writeData(w, flags, c.tsn, m.streamId, m.ssn, m.ppid, payload);
    m.offset += n;
    this.flight += n;
    this.peerRwnd -= n;
    if (done) this.queue.fifo.shift();
    this.queue.consumed(m, n, done);
  }

  /** A queued message that never got a TSN expires: it simply leaves the queue. */
  private dropUnsent(m: OutMessage): void {
    m.abandoned = true;
    this.abandonedMessages++;
    this.queue.fifo.shift();
    this.queue.consumed(m, m.data.length, true);
  }

  /** RFC 3758 §3.5 A1-A3: is this chunk's message past its lifetime or retransmission budget? */
  private abandonIfDue(c: OutChunk, now: number): boolean {
    const m = c.msg;
    const exhausted = m.maxRetransmits !== undefined && c.sendCount > m.maxRetransmits;
    const expired = m.expiresAt !== undefined && now >= m.expiresAt;
    if (!exhausted && !expired) return false;
    this.abandon(m);
    return true;
  }

  /**
   * Abandons a WHOLE message (protocol.md 2.4, pion/sctp#104): every sent fragment, and, when part of it
   * was never sent, one never-sent placeholder E fragment that takes a TSN so that FORWARD-TSN ends on
   * a message boundary (as dcSCTP does).
   */
  abandon(m: OutMessage): void {
    if (m.abandoned) return;
    m.abandoned = true;
    this.abandonedMessages++;
    for (let i = this.head; i < this.out.length; i++) {
      const c = this.out[i];
      if (!c || c.msg !== m) continue;
      c.abandoned = true;
      if (c.inFlight) {
        c.inFlight = false;
        this.flight -= c.payload.length;
      }
    }
    if (m.offset < m.data.length) {
      const rest = m.data.length - m.offset;
      if (this.queue.fifo.peek() === m) this.queue.fifo.shift();
      this.queue.consumed(m, rest, true);
      if (m.offset > 0) this.placeholder(m);
      m.offset = m.data.length;
    }
    this.updateForwardPoint();
  }

  private placeholder(m: OutMessage): void {
    const flags = DATA_FLAG.end | (m.unordered ? DATA_FLAG.unordered : 0);
    this.out.push({ tsn: this.nextTsn, msg: m, flags, payload: m.data.subarray(0, 0), sentAt: 0, sendCount: 0, acked: false, abandoned: true, inFlight: false, missCount: 0, fastRetransmitted: false, queuedForRtx: false });
    this.nextTsn = tsnAdd(this.nextTsn, 1);
  }

  /** Processes a SACK (RFC 9260 §6.2.1, §7.2). Returns whether the cumulative ack advanced. */
  onSack(s: SackChunk, now: number): boolean {
    if (tsnLt(s.cumulativeTsnAck, this.cumAck) || !tsnLt(s.cumulativeTsnAck, this.nextTsn)) return false; // stale or bogus
    const flightBefore = this.flight;
    const acked = this.acked;
    acked.bytes = 0;
    acked.rtt = -1;
    const advanced = s.cumulativeTsnAck !== this.cumAck;
    while (tsnLt(this.cumAck, s.cumulativeTsnAck)) this.ackHead(acked, now);
    let highest = this.cumAck;
    for (let i = 0; i < s.gapBlocks.length; i++) {
      const g = s.gapBlocks[i] as GapBlock;
      highest = this.ackGap(g.start, g.end, acked, now, highest);
    }
    if (tsnLt(this.cumAck, highest)) this.countMisses(highest);
    // RFC 3758 §3.5 C3: the peer's cum ack is still below the point we forwarded it to although it got
    // a chunk sent with or after that FORWARD-TSN: the FORWARD-TSN was lost, resend it now (not at T3,
    // which would cost an RTO and collapse cwnd to 1 MTU)
    if (tsnLt(this.cumAck, this.forwardSent) && !tsnLt(highest, this.forwardNext)) this.forwardDue = true;
    this.peerRwnd = s.arwnd - this.flight;
    if (s.arwnd > this.peerRwndMax) this.peerRwndMax = s.arwnd;
    this.clean = s.gapBlocks.length === 0 && !this.cc.inFastRecovery && this.rtxAt >= this.rtx.length;
    this.openBurst(acked.bytes);
    if (advanced) this.cc.onCumulativeAck(acked.bytes, flightBefore, this.cumAck, tsnLe);
    if (acked.rtt >= 0) this.rto.measure(acked.rtt);
    this.compact();
    this.updateForwardPoint();
    return advanced;
  }

  private ackHead(acked: { bytes: number; rtt: number }, now: number): void {
    const c = this.out[this.head];
    this.out[this.head++] = undefined;
    this.cumAck = tsnAdd(this.cumAck, 1);
    if (c) this.markAcked(c, acked, now);
  }

  private markAcked(c: OutChunk, acked: { bytes: number; rtt: number }, now: number): boolean {
    if (c.acked) return false;
    c.acked = true;
    // An abandoned chunk passed by the cumulative ack was skipped by FORWARD-TSN, not received: it
    // counts neither as acked bytes nor as an RTT sample (it may have been sent many RTOs ago, and a
    // sample from it inflates the RTO to seconds; RFC 9260 §6.3.1 C5 measures delivered chunks only).
    if (c.abandoned) return true;
    acked.bytes += c.payload.length;
    // Karn's rule (chunks sent once); of the chunks this SACK newly acks, the most recently sent one
    // gives the sample: older ones may have waited behind lost SACKs and would inflate the RTO
    if (c.sendCount === 1 && (acked.rtt < 0 || now - c.sentAt < acked.rtt)) acked.rtt = now - c.sentAt;
    if (c.inFlight) {
      c.inFlight = false;
      this.flight -= c.payload.length;
    }
    return true;
  }

  /** Gap-acks a block; returns the highest NEWLY acked TSN so far (RFC 9260 §7.2.4 HTNA). */
  private ackGap(start: number, end: number, acked: { bytes: number; rtt: number }, now: number, highest: number): number {
    const last = Math.min(end, this.outstanding);
    for (let off = start; off <= last; off++) {
      const c = this.out[this.head + off - 1];
      if (c && this.markAcked(c, acked, now) && tsnLt(highest, c.tsn)) highest = c.tsn;
    }
    return highest;
  }

  /** RFC 9260 §7.2.4: each SACK reporting a later TSN is a miss indication; 3 trigger fast retransmit. */
  private countMisses(highest: number): void {
    let entered = false;
    const n = Math.min(this.outstanding, tsnDiff(highest, this.cumAck));
    for (let i = 0; i < n; i++) {
      const c = this.out[this.head + i];
      if (!c || c.acked || c.abandoned || c.fastRetransmitted || !c.inFlight) continue;
      if (++c.missCount < 3) continue;
      c.fastRetransmitted = true;
      this.queueRtx(c);
      entered = true;
    }
    if (entered) this.cc.onFastRetransmit(tsnAdd(this.nextTsn, -1));
  }

  private queueRtx(c: OutChunk): void {
    if (c.inFlight) {
      c.inFlight = false;
      this.flight -= c.payload.length;
    }
    if (!c.queuedForRtx) {
      c.queuedForRtx = true;
      this.rtx.push(c);
    }
  }

  /** T3-rtx expired (RFC 9260 §6.3.3): everything in flight is marked for retransmission. */
  onT3(now: number): void {
    this.cc.onT3();
    this.clean = false;
    this.rtx = [];
    this.rtxAt = 0;
    for (let i = this.head; i < this.out.length; i++) {
      const c = this.out[i];
      if (!c || c.acked || c.abandoned || c.sendCount === 0) continue;
      c.queuedForRtx = false;
      if (this.abandonIfDue(c, now)) continue;
      this.queueRtx(c);
    }
    if (tsnLt(this.cumAck, this.forwardSent)) this.forwardDue = true; // RFC 3758 §3.5 C3: resend
    this.openBurst();
  }

  private updateForwardPoint(): void {
    const point = advancedPeerAckPoint(this.out, this.head, this.cumAck);
    if (tsnLt(this.forwardSent, point)) this.forwardDue = true;
  }

  /** The FORWARD-TSN to send now (RFC 3758 §3.5 C1-C3), if one is due. */
  takeForwardTsn(): ForwardTsnChunk | undefined {
    if (!this.forwardDue) return undefined;
    this.forwardDue = false;
    const point = advancedPeerAckPoint(this.out, this.head, this.cumAck);
    if (!tsnLt(this.cumAck, point)) return undefined;
    this.forwardSent = point;
    this.forwardNext = this.nextTsn;
    return forwardTsnFor(this.out, this.head, this.cumAck, point);
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.out.length) {
      this.out = this.out.slice(this.head);
      this.head = 0;
    }
  }
}
