/**
 * Tiny cores for testing the simulator itself: an echo server, a pinger with a timer, and a layer
 * core that sends numbered chunks. They follow src/core/types.ts exactly.
 */
import { Queue } from '../../src/core/event-queue.js';
import type { Addr, Datagram, Millis, SansIo, SansIoLayer } from '../../src/core/types.js';

export type ToyEvent = { type: 'received'; at: Millis; from: Addr; to: Addr; data: Uint8Array } | { type: 'tick'; at: Millis };
export type ChunkEvent = { type: 'chunk'; at: Millis; seq: number };

/** Transmit and event queues with the two poll verbs. */
abstract class Queued<T, Ev> {
  protected readonly tx = new Queue<T>();
  protected readonly ev = new Queue<Ev>();
  pollTransmit(): T | undefined {
    return this.tx.shift();
  }
  pollEvent(): Ev | undefined {
    return this.ev.shift();
  }
}

/** Writes sequence number `seq` in the first word with the top bit set (first byte 0x80: "RTP" to demux). */
function numbered(seq: number, size: number): Uint8Array {
  const d = new Uint8Array(Math.max(4, size));
  new DataView(d.buffer).setUint32(0, (0x80000000 | seq) >>> 0);
  return d;
}

/** Decodes the sequence number written by `numbered` (low 31 bits of the first word). */
export function pingSeq(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset).getUint32(0) & 0x7fffffff;
}

/** Emits `count` numbered payloads, one every `intervalMs` from `start()`, through `emit`. */
abstract class Ticking<T, Ev> extends Queued<T, Ev> {
  private next: Millis | undefined;
  sent = 0;

  constructor(
    private readonly count: number,
    private readonly intervalMs: number,
    protected readonly size: number,
  ) {
    super();
  }

  protected abstract emit(now: Millis, data: Uint8Array): void;

  start(now: Millis): void {
    this.next = now;
    this.handleTimeout(now);
  }
  handleTimeout(now: Millis): void {
    while (this.next !== undefined && this.next <= now) {
      this.emit(now, numbered(this.sent, this.size));
      this.sent++;
      this.next = this.sent < this.count ? this.next + this.intervalMs : undefined;
    }
  }
  pollTimeout(): Millis | undefined {
    return this.next;
  }
}

/** Echoes every datagram back to its sender from the address it arrived on. */
export class EchoCore extends Queued<Datagram, ToyEvent> implements SansIo<ToyEvent> {
  handleDatagram(now: Millis, dg: Datagram): void {
    this.ev.push({ type: 'received', at: now, from: dg.from, to: dg.to, data: dg.data });
    this.tx.push({ from: dg.to, to: dg.from, data: dg.data });
  }
  handleTimeout(): void {}
  pollTimeout(): Millis | undefined {
    return undefined;
  }
}

/** Sends numbered datagrams `from` -> `to` on a timer; records what comes back in `arrivals`. */
export class Pinger extends Ticking<Datagram, ToyEvent> implements SansIo<ToyEvent> {
  readonly arrivals: Array<{ at: Millis; seq: number; from: Addr }> = [];

  constructor(
    private readonly from: Addr,
    private to: Addr,
    count: number,
    intervalMs: number,
    size = 8,
  ) {
    super(count, intervalMs, size);
  }

  retarget(to: Addr): void {
    this.to = to;
  }
  handleDatagram(now: Millis, dg: Datagram): void {
    this.arrivals.push({ at: now, seq: dg.data.length >= 4 ? pingSeq(dg.data) : -1, from: dg.from });
    this.ev.push({ type: 'received', at: now, from: dg.from, to: dg.to, data: dg.data });
  }
  protected emit(now: Millis, data: Uint8Array): void {
    this.tx.push({ from: this.from, to: this.to, data });
    this.ev.push({ type: 'tick', at: now });
  }
}

/** A SansIoLayer that sends numbered chunks on a timer and reports the ones it receives. */
export class ChunkLayer extends Ticking<Uint8Array, ChunkEvent> implements SansIoLayer<ChunkEvent> {
  constructor(count: number, intervalMs: number, size = 16) {
    super(count, intervalMs, size);
  }
  handleInput(now: Millis, data: Uint8Array): void {
    this.ev.push({ type: 'chunk', at: now, seq: pingSeq(data) });
  }
  protected emit(_now: Millis, data: Uint8Array): void {
    this.tx.push(data);
  }
}
