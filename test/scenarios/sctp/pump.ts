import { SeededRng, randomFloat } from '../../../src/core/rng.js';
import type { CryptoProvider } from '../../../src/core/crypto.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { SctpAssociation, type SctpEvent, type SctpOptions } from '../../../src/sctp/index.js';

/** Link behaviour for one direction. */
export interface LinkOptions {
  readonly loss?: number;
  readonly duplicate?: number;
  /** Probability that a packet is delayed by an extra `reorderDelay` ms (reordering). */
  readonly reorder?: number;
  readonly delay?: number;
  readonly reorderDelay?: number;
  /** Drop packets for which this returns true (before random loss). */
  readonly filter?: (data: Uint8Array, now: number) => boolean;
}

interface InFlight {
  readonly at: number;
  readonly seq: number;
  readonly to: 0 | 1;
  readonly data: Uint8Array;
}

/**
 * A tiny deterministic two-association pump on virtual time (a stand-in for test/sim's layer-pair
 * harness): packets travel with delay, loss, duplication and reordering drawn from a SeededRng; the
 * clock jumps to the next packet arrival or timer. `onEvent` lets a test react inside the loop.
 */
export class Pair {
  readonly sides: [SctpAssociation, SctpAssociation];
  readonly events: [SctpEvent[], SctpEvent[]] = [[], []];
  now = 0;
  private wire: InFlight[] = [];
  private seq = 0;
  private readonly rng: SeededRng;
  links: [LinkOptions, LinkOptions];
  onEvent: ((side: 0 | 1, e: SctpEvent) => void) | undefined;
  packetsSent = 0;

  constructor(seed: number, opts: [Partial<SctpOptions>, Partial<SctpOptions>] = [{}, {}], links: LinkOptions = {}, crypto: CryptoProvider = nodeCrypto) {
    this.rng = new SeededRng(seed);
    this.links = [links, links];
    this.sides = [0, 1].map((i) => new SctpAssociation({ rng: new SeededRng(seed * 2 + i), crypto, ...opts[i] })) as [SctpAssociation, SctpAssociation];
  }

  get a(): SctpAssociation {
    return this.sides[0];
  }
  get b(): SctpAssociation {
    return this.sides[1];
  }

  /** Drain transmits and events of both sides (the driver rule). */
  drain(): void {
    for (let again = true; again; ) {
      again = false;
      for (const i of [0, 1] as const) {
        const s = this.sides[i];
        for (let p = s.pollTransmit(); p; p = s.pollTransmit()) {
          this.put((1 - i) as 0 | 1, p);
          again = true;
        }
        for (let e = s.pollEvent(); e; e = s.pollEvent()) {
          this.events[i].push(e);
          this.onEvent?.(i, e);
          again = true;
        }
      }
    }
  }

  private put(to: 0 | 1, data: Uint8Array): void {
    this.packetsSent++;
    const l = this.links[1 - to] as LinkOptions;
    if (l.filter?.(data, this.now)) return;
    if (l.loss && randomFloat(this.rng) < l.loss) return;
    const copies = l.duplicate && randomFloat(this.rng) < l.duplicate ? 2 : 1;
    for (let k = 0; k < copies; k++) {
      let at = this.now + (l.delay ?? 5);
      if (l.reorder && randomFloat(this.rng) < l.reorder) at += l.reorderDelay ?? 7;
      this.insert({ at, seq: this.seq++, to, data: k === 0 ? data : data.slice() });
    }
  }

  private insert(p: InFlight): void {
    let lo = 0;
    let hi = this.wire.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.wire[mid] as InFlight;
      if (m.at < p.at || (m.at === p.at && m.seq < p.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.wire.splice(lo, 0, p);
  }

  /** Advances to the next thing that happens. Returns false when nothing is pending. */
  step(): boolean {
    const tA = this.a.pollTimeout();
    const tB = this.b.pollTimeout();
    const tW = this.wire[0]?.at;
    const next = [tA, tB, tW].filter((t): t is number => t !== undefined).reduce((x, y) => Math.min(x, y), Infinity);
    if (next === Infinity) return false;
    this.now = Math.max(this.now, next);
    while (this.wire.length > 0 && (this.wire[0] as InFlight).at <= this.now) {
      const p = this.wire.shift() as InFlight;
      this.sides[p.to].handleInput(this.now, p.data);
      this.drain();
    }
    for (const s of this.sides) {
      const t = s.pollTimeout();
      if (t !== undefined && t <= this.now) s.handleTimeout(this.now);
    }
    this.drain();
    return true;
  }

  /** Runs until `pred` holds; throws after `maxMs` of virtual time or when nothing is pending. */
  runUntil(pred: () => boolean, maxMs = 60_000): void {
    const end = this.now + maxMs;
    while (!pred()) {
      if (this.now > end) throw new Error(`condition not met by t=${this.now} ms`);
      if (!this.step()) throw new Error(`stalled at t=${this.now} ms`);
    }
  }

  /** Both connect at once and run until both report 'connected'. */
  connectBoth(): void {
    this.a.connect(this.now);
    this.b.connect(this.now);
    this.drain();
    this.runUntil(() => this.connected(0) && this.connected(1));
  }

  connected(i: 0 | 1): boolean {
    return this.events[i].some((e) => e.type === 'connected');
  }

  messages(i: 0 | 1): Array<Extract<SctpEvent, { type: 'message' }>> {
    return this.events[i].filter((e): e is Extract<SctpEvent, { type: 'message' }> => e.type === 'message');
  }
}

/** True when the SCTP packet holds a chunk of this type. */
export function hasChunk(d: Uint8Array, type: number): boolean {
  for (let o = 12; o + 4 <= d.length; ) {
    if (d[o] === type) return true;
    const len = ((d[o + 2] as number) << 8) | (d[o + 3] as number);
    o += (len + 3) & ~3;
    if (len < 4) return false;
  }
  return false;
}
