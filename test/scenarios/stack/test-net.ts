/**
 * A StackBinding over an in-memory lossless network and a virtual clock, for facade tests with the
 * layer doubles (or real layers). `flush()` moves datagrams and, like the Node driver, drains each
 * receiving stack's events to its facade right after the datagram.
 */
import { SeededRng } from '../../../src/core/rng.js';
import { addrKey } from '../../../src/core/types.js';
import type { Addr, Millis } from '../../../src/core/types.js';
import type { StackBinding, StackTransport } from '../../../src/facade/binding.js';
import { PeerStack } from '../../../src/stack/peer-stack.js';
import type { StackEvent } from '../../../src/stack/peer-stack.js';
import type { StackLayers } from '../../../src/stack/ports.js';
import type { Rng } from '../../../src/core/rng.js';

interface Node {
  readonly stack: PeerStack;
  readonly onEvent: (ev: StackEvent) => void;
  closed: boolean;
}

export class TestNet {
  now: Millis = 0;
  private readonly nodes: Node[] = [];
  private readonly byAddr = new Map<string, Node>();
  private nextPort = 50000;
  readonly rng = new SeededRng(7);

  /** A binding whose stacks use `layers(rng, name)` and get one loopback address each. */
  binding(name: string, layers: (rng: Rng, name: string) => StackLayers): StackBinding {
    return {
      now: () => this.now,
      createStack: (_config, logger) => new PeerStack(layers(this.rng, name), { rng: this.rng, logger }),
      attach: (stack, onEvent) => this.attach(stack, onEvent),
    };
  }

  /** Attaches a bare stack at `addr`, collecting its events (for stack-level tests). */
  attachAt(stack: PeerStack, addr: Addr): { events: StackEvent[] } {
    const events: StackEvent[] = [];
    const node: Node = { stack, onEvent: (e) => events.push(e), closed: false };
    this.nodes.push(node);
    this.byAddr.set(addrKey(addr), node);
    stack.addLocalAddress(this.now, addr);
    this.drainEvents(node);
    return { events };
  }

  private attach(stack: PeerStack, onEvent: (ev: StackEvent) => void): StackTransport {
    const node: Node = { stack, onEvent, closed: false };
    const addr: Addr = { address: '127.0.0.1', port: this.nextPort++ };
    this.nodes.push(node);
    this.byAddr.set(addrKey(addr), node);
    stack.addLocalAddress(this.now, addr);
    return { pump: () => this.pumpNode(node), close: () => void (node.closed = true) };
  }

  private drainEvents(node: Node): void {
    for (let e = node.stack.pollEvent(); e; e = node.stack.pollEvent()) node.onEvent(e);
  }

  /** Like the Node driver's pump: transmits go on the wire (delivered now), events to the facade. */
  private pumpNode(node: Node): number {
    let moved = 0;
    for (let d = node.stack.pollTransmit(); d; d = node.stack.pollTransmit()) {
      moved++;
      const to = this.byAddr.get(addrKey(d.to));
      if (to && !to.closed) to.stack.handleDatagram(this.now, d);
      if (to) this.drainEvents(to);
    }
    this.drainEvents(node);
    return moved;
  }

  /**
   * Runs virtual time: flushes, checks `done`, then jumps to the earliest deadline of any stack
   * (at least `stepMs` later), up to `maxMs` of virtual time. Returns whether `done` became true.
   */
  run(done: () => boolean, maxMs = 60_000, stepMs = 1, beforeStep?: () => void): boolean {
    const end = this.now + maxMs;
    while (this.now <= end) {
      beforeStep?.();
      this.flush();
      if (done()) return true;
      let next = end + 1;
      for (const n of this.nodes) {
        const t = n.closed ? undefined : n.stack.pollTimeout();
        if (t !== undefined && t < next) next = t;
      }
      this.now = Math.max(this.now + stepMs, Math.min(next, this.now + 50));
    }
    return done();
  }

  /** Delivers every datagram in flight (and those they cause); fires due timers. */
  flush(maxDatagrams = 1_000_000): number {
    let moved = 0;
    for (let progress = true; progress && moved < maxDatagrams; ) {
      progress = false;
      for (const n of this.nodes) {
        if (n.closed) continue;
        const t = n.stack.pollTimeout();
        if (t !== undefined && t <= this.now) n.stack.handleTimeout(this.now);
        const m = this.pumpNode(n);
        moved += m;
        if (m > 0) progress = true;
      }
    }
    return moved;
  }
}
