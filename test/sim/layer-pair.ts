/**
 * The layer-pair harness: two stacked-layer cores (SansIoLayer: DTLS, SCTP) joined by a simulated
 * link on the simulator's clock, like pion's test.Bridge but on virtual time. Bytes from
 * `a.pollTransmit()` cross `ab` to `b.handleInput()` and back across `ba`, with the same
 * impairments and scripted drops as network links.
 */
import type { Millis, SansIoLayer } from '../../src/core/types.js';
import { CoreHandle } from './attach.js';
import type { AttachOptions } from './attach.js';
import type { Describer } from './describe.js';
import { Link } from './link.js';
import type { LinkConfig, LinkDirection } from './link.js';
import { Sim } from './sim.js';

/** One side of a layer pair: `core`, `label`, `events`, `ofType()`, `take()`, counters. */
export type PairSide<Ev> = CoreHandle<SansIoLayer<Ev>, Ev>;

export interface LayerPairOptions<EvA, EvB> {
  /** Trace names of the sides (default 'A' and 'B'). */
  readonly names?: readonly [string, string];
  /** Impairments of both directions. */
  readonly link?: Partial<LinkConfig>;
  /** Impairments of A -> B only (applied over `link`). */
  readonly ab?: Partial<LinkConfig>;
  /** Impairments of B -> A only (applied over `link`). */
  readonly ba?: Partial<LinkConfig>;
  /** Labels payloads in the trace (default: the simulator's describer). */
  readonly describe?: Describer;
  /** Event handling of each side (default `{ collect: true }`). */
  readonly a?: AttachOptions<EvA>;
  readonly b?: AttachOptions<EvB>;
}

interface Chunk {
  readonly data: Uint8Array;
}

/** Two SansIoLayer cores on one simulated link. */
export class LayerPair<EvA, EvB = EvA> {
  readonly a: PairSide<EvA>;
  readonly b: PairSide<EvB>;
  /** `link.up` is A -> B, `link.down` is B -> A. */
  readonly link: Link<Chunk>;

  constructor(
    readonly sim: Sim,
    coreA: SansIoLayer<EvA>,
    coreB: SansIoLayer<EvB>,
    opts: LayerPairOptions<EvA, EvB> = {},
  ) {
    const [na, nb] = opts.names ?? ['A', 'B'];
    const describe = opts.describe ?? sim.describe;
    const label = (from: string, to: string) => (c: Chunk): string => `${from} -> ${to} len=${c.data.length} ${describe(c.data)}`;
    let deliverToA = (_c: Chunk): void => undefined;
    let deliverToB = (_c: Chunk): void => undefined;
    const ab = sim.direction<Chunk>(`${na}->${nb}`, { ...opts.link, ...opts.ab }, (c) => deliverToB(c), label(na, nb));
    const ba = sim.direction<Chunk>(`${nb}->${na}`, { ...opts.link, ...opts.ba }, (c) => deliverToA(c), label(nb, na));
    this.link = new Link(ab, ba);
    const sideA = this.side(na, coreA, ab, opts.a ?? { collect: true }, label(nb, na));
    const sideB = this.side(nb, coreB, ba, opts.b ?? { collect: true }, label(na, nb));
    this.a = sideA.side;
    this.b = sideB.side;
    deliverToA = sideA.input;
    deliverToB = sideB.input;
  }

  /** A new simulator with just this pair (for layer tests that need no network). */
  static create<EvA, EvB = EvA>(seed: number, a: SansIoLayer<EvA>, b: SansIoLayer<EvB>, opts: LayerPairOptions<EvA, EvB> = {}): LayerPair<EvA, EvB> {
    return new LayerPair(new Sim({ seed }), a, b, opts);
  }

  /** The A -> B direction (dropNext, dropWhere, set, cut, restore, stats). */
  get ab(): LinkDirection<Chunk> {
    return this.link.up;
  }

  /** The B -> A direction. */
  get ba(): LinkDirection<Chunk> {
    return this.link.down;
  }

  private side<Ev>(name: string, core: SansIoLayer<Ev>, out: LinkDirection<Chunk>, opts: AttachOptions<Ev>, inLabel: (c: Chunk) => string): { side: PairSide<Ev>; input: (c: Chunk) => void } {
    const sim = this.sim;
    const side: PairSide<Ev> = new CoreHandle(core, name, opts);
    const flush = (now: Millis): void => {
      for (let d = core.pollTransmit(); d !== undefined; d = core.pollTransmit()) {
        side.transmitted++;
        out.send(now, { data: d.slice() });
      }
      side.drain(now);
    };
    sim.register({ label: name, deadline: () => core.pollTimeout(), fire: (now) => { core.handleTimeout(now); flush(now); }, flush });
    const input = (c: Chunk): void => {
      side.received++;
      sim.trace.add(sim.now, inLabel(c));
      core.handleInput(sim.now, c.data.slice());
      flush(sim.now);
    };
    return { side, input };
  }
}
