import { Queue } from '../../core/event-queue.js';
import { UsageError } from '../../core/errors.js';

/** One user message on its way out. Its payload is never copied: DATA chunks are views into it. */
export interface OutMessage {
  readonly streamId: number;
  readonly ppid: number;
  readonly data: Uint8Array;
  readonly unordered: boolean;
  /** RFC 3758 PR-SCTP "rtx" policy: abandon after this many retransmissions. */
  readonly maxRetransmits: number | undefined;
  /** RFC 3758 "timed" policy: abandon after this instant. */
  readonly expiresAt: number | undefined;
  /**
   * The sender's `blockedEpoch` when the message was queued (-1 before the association could send):
   * a message never sent is abandoned for its lifetime only once the window held it back, not for
   * the time our own batching took (Sender.fillNew).
   */
  readonly queuedEpoch?: number;
  /** SSN, assigned when the first fragment gets its TSN (-1 before). */
  ssn: number;
  /** Bytes already cut into DATA chunks. */
  offset: number;
  abandoned: boolean;
}

interface StreamOut {
  /** Bytes queued and not yet cut into DATA chunks (RTCDataChannel.bufferedAmount semantics). */
  buffered: number;
  lowThreshold: number;
  nextSsn: number;
  /** Messages of this stream still in the queue. */
  queued: number;
}

/**
 * The send queue: one FIFO of messages across streams, per-stream byte counts for bufferedAmount and
 * the low-water event, per-stream SSNs, and the total limit (`sendBufferLimit`).
 */
export class SendQueue {
  readonly fifo = new Queue<OutMessage>();
  private readonly streams = new Map<number, StreamOut>();
  total = 0;
  /** Streams whose bufferedAmount fell to their threshold (drained by the association). */
  readonly lowEvents: number[] = [];

  constructor(private readonly limit: number) {}

  push(m: OutMessage): void {
    if (this.total + m.data.length > this.limit) {
      throw new UsageError('sctp.send.buffer-full', `send buffer full: ${this.total} bytes queued, limit ${this.limit} (wait for buffered-amount-low)`);
    }
    const st = this.stream(m.streamId);
    st.buffered += m.data.length;
    st.queued++;
    this.total += m.data.length;
    this.fifo.push(m);
  }

  private stream(id: number): StreamOut {
    let st = this.streams.get(id);
    if (!st) {
      st = { buffered: 0, lowThreshold: 0, nextSsn: 0, queued: 0 };
      this.streams.set(id, st);
    }
    return st;
  }

  /** Assigns the message's SSN (ordered: per-stream counter; unordered: 0). */
  assignSsn(m: OutMessage): void {
    if (m.unordered) {
      m.ssn = 0;
      return;
    }
    const st = this.stream(m.streamId);
    m.ssn = st.nextSsn;
    st.nextSsn = (st.nextSsn + 1) & 0xffff;
  }

  /** `n` bytes of `m` were cut into chunks or dropped; `done` when the message left the queue. */
  consumed(m: OutMessage, n: number, done: boolean): void {
    const st = this.streams.get(m.streamId);
    if (!st) return;
    const before = st.buffered;
    st.buffered -= n;
    this.total -= n;
    if (done) st.queued--;
    if (before > st.lowThreshold && st.buffered <= st.lowThreshold) this.lowEvents.push(m.streamId);
    this.forgetIfIdle(m.streamId, st);
  }

  private forgetIfIdle(id: number, st: StreamOut): void {
    if (st.queued === 0 && st.nextSsn === 0 && st.lowThreshold === 0) this.streams.delete(id);
  }

  buffered(id: number): number {
    return this.streams.get(id)?.buffered ?? 0;
  }

  queuedMessages(id: number): number {
    return this.streams.get(id)?.queued ?? 0;
  }

  setLowThreshold(id: number, bytes: number): void {
    this.stream(id).lowThreshold = bytes;
  }

  /** Outgoing stream reset performed (RFC 6525 §5.1.4): the SSN restarts at 0 and the id is free. */
  resetStream(id: number): void {
    const st = this.streams.get(id);
    if (!st) return;
    st.nextSsn = 0;
    st.lowThreshold = 0;
    this.forgetIfIdle(id, st);
  }

  /** Streams with state (for leak checks). */
  get streamCount(): number {
    return this.streams.size;
  }
}
