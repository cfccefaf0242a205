/**
 * A tiny deterministic wire for the agent's unit tests (the full simulator with NATs is test/sim/):
 * agents own addresses; datagrams are delivered after a fixed delay, dropped by a seeded filter.
 * Lives under test/ so it is never built into dist.
 */
import { SeededRng } from '../../../src/core/rng.js';
import type { Datagram, Millis, SansIo } from '../../../src/core/types.js';
import { addrKey } from '../../../src/core/types.js';

interface InFlight {
  readonly at: Millis;
  readonly seq: number;
  readonly dg: Datagram;
}

export interface WireNode<Ev> {
  readonly core: SansIo<Ev>;
  readonly events: Ev[];
}

export class TestWire<Ev> {
  now: Millis = 0;
  private seq = 0;
  private readonly inFlight: InFlight[] = [];
  private readonly owners = new Map<string, WireNode<Ev>>();
  private readonly nodes: Array<WireNode<Ev>> = [];
  readonly rng: SeededRng;
  /** Return true to drop a datagram (loss, cut links). */
  drop: (dg: Datagram, rng: SeededRng) => boolean = () => false;
  delayMs = 10;
  delivered = 0;

  constructor(seed: number) {
    this.rng = new SeededRng(seed);
  }

  add(core: SansIo<Ev>): WireNode<Ev> {
    const n: WireNode<Ev> = { core, events: [] };
    this.nodes.push(n);
    return n;
  }

  /** Datagrams sent to `addr` go to `node`. */
  own(node: WireNode<Ev>, addr: { address: string; port: number }): void {
    this.owners.set(addrKey(addr), node);
  }

  /** Drains every node (driver rule). */
  pump(): void {
    for (const n of this.nodes) {
      for (let dg = n.core.pollTransmit(); dg; dg = n.core.pollTransmit()) {
        if (!this.drop(dg, this.rng)) this.inFlight.push({ at: this.now + this.delayMs, seq: this.seq++, dg });
      }
      for (let ev = n.core.pollEvent(); ev !== undefined; ev = n.core.pollEvent()) n.events.push(ev);
    }
  }

  private nextAt(): Millis | undefined {
    let t: Millis | undefined;
    for (const f of this.inFlight) if (t === undefined || f.at < t) t = f.at;
    for (const n of this.nodes) {
      const d = n.core.pollTimeout();
      if (d !== undefined && (t === undefined || d < t)) t = d;
    }
    return t;
  }

  /** Advances virtual time event by event until `pred` holds or `untilMs` passes. */
  run(untilMs: Millis, pred: () => boolean = () => false): boolean {
    this.pump();
    for (let steps = 0; steps < 1_000_000; steps++) {
      if (pred()) return true;
      const t = this.nextAt();
      if (t === undefined || t > untilMs) {
        this.now = untilMs;
        return pred();
      }
      this.now = Math.max(this.now, t);
      this.step();
      this.pump();
    }
    throw new Error('test wire: too many steps');
  }

  private step(): void {
    this.inFlight.sort((a, b) => a.at - b.at || a.seq - b.seq);
    while (this.inFlight.length > 0 && (this.inFlight[0] as InFlight).at <= this.now) {
      const { dg } = this.inFlight.shift() as InFlight;
      const to = this.owners.get(addrKey(dg.to));
      if (to) {
        this.delivered++;
        to.core.handleDatagram(this.now, dg);
      }
    }
    for (const n of this.nodes) {
      const d = n.core.pollTimeout();
      if (d !== undefined && d <= this.now) n.core.handleTimeout(this.now);
    }
  }
}
