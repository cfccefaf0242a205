/** A lossless in-memory "network" for SansIo cores: routes each transmit to the core owning `to`. */
import { addrKey } from '../../../src/core/types.js';
import type { Addr, Datagram, Millis, SansIo } from '../../../src/core/types.js';

export class Wire {
  private readonly owners = new Map<string, SansIo<unknown>>();
  private readonly cores: SansIo<unknown>[] = [];
  now: Millis = 0;
  delivered = 0;

  attach(core: SansIo<unknown>, ...addrs: Addr[]): void {
    for (const a of addrs) this.owners.set(addrKey(a), core);
    if (!this.cores.includes(core)) this.cores.push(core);
  }

  /**
   * Moves datagrams until none is in flight (or `max` deliveries). Events stay queued in the cores.
   * Each core's `prepare` runs once its datagrams are taken, before they are delivered (as the driver).
   */
  flush(max = 100000): void {
    for (let moved = true; moved && this.delivered < max; ) {
      moved = false;
      for (const c of this.cores) {
        const out: Datagram[] = [];
        for (let d = c.pollTransmit(); d; d = c.pollTransmit()) out.push(d);
        if (out.length > 0) c.prepare?.(this.now);
        for (const d of out) {
          moved = true;
          this.delivered++;
          this.owners.get(addrKey(d.to))?.handleDatagram(this.now, d);
        }
      }
    }
  }
}
