import { fromUtf8, utf8 } from '../../src/core/bytes/hex.js';
import { Queue } from '../../src/core/event-queue.js';
import type { Datagram, Millis, SansIo } from '../../src/core/types.js';

/** Echoes every datagram, then 25 ms after the last one sends "tick" to the same peer (needs the timer). */
export class EchoCore implements SansIo<string> {
  private readonly out = new Queue<Datagram>();
  private readonly events = new Queue<string>();
  private deadline: Millis | undefined;
  private last: Datagram | undefined;
  timeouts = 0;

  handleDatagram(now: Millis, dg: Datagram): void {
    this.out.push({ from: dg.to, to: dg.from, data: dg.data.slice() });
    this.last = dg;
    this.deadline = now + 25;
    this.events.push(`rx ${fromUtf8(dg.data)}`);
  }

  handleTimeout(now: Millis): void {
    this.timeouts++;
    if (this.deadline === undefined || now < this.deadline || !this.last) return;
    this.deadline = undefined;
    this.out.push({ from: this.last.to, to: this.last.from, data: utf8('tick') });
    this.events.push('tick');
  }

  pollTransmit = (): Datagram | undefined => this.out.shift();
  pollEvent = (): string | undefined => this.events.shift();
  pollTimeout = (): Millis | undefined => this.deadline;
}
