/**
 * The discrete-event network simulator (see index.ts for the overview and an example).
 */
import { SeededRng } from '../../src/core/rng.js';
import { addrKey } from '../../src/core/types.js';
import type { Addr, Datagram, Millis, SansIo } from '../../src/core/types.js';
import { CoreHandle } from './attach.js';
import type { Attached, AttachOptions, Driven } from './attach.js';
import { describeDatagram } from './describe.js';
import type { Describer } from './describe.js';
import { Link, LinkDirection } from './link.js';
import type { LinkConfig, LinkDropReason, Parcel } from './link.js';
import { NatTable, natBehaviour } from './nat.js';
import type { NatBehaviour, NatType } from './nat.js';
import { Scheduler } from './scheduler.js';
import { Host, NatBox, Realm } from './topology.js';
import { Trace } from './trace.js';

export interface SimOptions {
  /** Seed of every random draw (links, and `sim.rng` for cores). */
  readonly seed: number;
  /** Trace lines kept for failure reports (default 5000). */
  readonly traceCapacity?: number;
  /** Labels payloads in the trace (default: RFC 7983 first-byte demux with STUN/DTLS details). */
  readonly describe?: Describer;
  /** Steps allowed at one virtual instant before the run is declared a livelock (default 100000). */
  readonly maxStepsPerInstant?: number;
}

export interface HostOptions {
  readonly name?: string;
  /** Explicit addresses (default: one automatic IPv4 address, see topology.ts). */
  readonly addresses?: readonly string[];
  /** Add an automatic IPv6 address too (default false). */
  readonly ipv6?: boolean;
  /** Put the host on the private side of this NAT box (default: the public internet). */
  readonly behind?: NatBox;
  /** Impairments of both directions of the host's access link. */
  readonly link?: Partial<LinkConfig>;
}

export interface NatOptions extends Partial<NatBehaviour> {
  readonly name?: string;
  /** Named type or explicit mapping/filtering (default 'port-restricted'). */
  readonly type?: NatType;
  /** Public addresses (default: one automatic IPv4 address in the outer realm). */
  readonly publicAddresses?: readonly string[];
  /** Nest this NAT behind another one (default: the public internet). */
  readonly behind?: NatBox;
  readonly link?: Partial<LinkConfig>;
}

export interface RunOptions {
  /** Virtual time budget from the current instant (default 60000 ms). */
  readonly maxMs?: number;
}

/** Thrown when a run fails: carries the seed and the last trace lines in its message. */
export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    message: string,
    readonly seed: number,
    readonly traceTail: readonly string[],
  ) {
    super(`${message}\n  seed=${seed}\n  last ${traceTail.length} trace lines:\n    ${traceTail.join('\n    ')}`);
  }
}

/** Why the network (not a link) dropped a datagram. */
export type NetDropReason =
  | LinkDropReason
  | 'bad-source'
  | 'no-route'
  | 'no-listener'
  | 'nat-hairpin'
  | 'nat-no-public-address'
  | 'nat-ports-exhausted'
  | 'nat-no-mapping'
  | 'nat-filtered';

const fmt = (a: Addr): string => addrKey(a);

export class Sim {
  /** Current virtual time in ms. Only the simulator moves it. */
  now: Millis = 0;
  readonly seed: number;
  /** Seeded randomness for the test's cores: `sim.rng.fork()` per core keeps runs reproducible. */
  readonly rng: SeededRng;
  readonly trace: Trace;
  readonly describe: Describer;
  readonly internet: Realm;
  /** Drops by reason over the whole network. */
  readonly drops = new Map<NetDropReason, number>();
  /** @internal */ readonly scheduler = new Scheduler();
  private readonly linkRng: SeededRng;
  private readonly driven: Driven[] = [];
  private readonly maxStepsPerInstant: number;
  private instantSteps = 0;
  private natCount = 0;
  private hostCount = 0;

  constructor(opts: SimOptions) {
    this.seed = opts.seed;
    const root = new SeededRng(opts.seed);
    this.linkRng = root.fork();
    this.rng = root.fork();
    this.trace = new Trace(opts.traceCapacity);
    this.describe = opts.describe ?? describeDatagram;
    this.maxStepsPerInstant = opts.maxStepsPerInstant ?? 100_000;
    this.internet = new Realm('internet', undefined, '198.18.0', '2001:db8');
  }

  /** Adds a host (public, or behind `opts.behind`). */
  host(opts: HostOptions = {}): Host {
    const name = opts.name ?? `h${++this.hostCount}`;
    const realm = opts.behind?.inside ?? this.internet;
    const addresses = opts.addresses ? [...opts.addresses] : [realm.allocV4()];
    if (opts.ipv6 === true) addresses.push(realm.allocV6());
    const h: Host = new Host(name, addresses, this.accessLink(name, opts.link, {
      up: (dg) => this.route(realm, dg),
      down: (dg) => this.deliverToHost(h, dg),
    }), realm);
    realm.add(h, addresses);
    return h;
  }

  /** Adds a NAT box; put hosts behind it with `sim.host({ behind: nat })`. */
  nat(opts: NatOptions = {}): NatBox {
    const k = ++this.natCount;
    const name = opts.name ?? `nat${k}`;
    const realm = opts.behind?.inside ?? this.internet;
    const pubs = opts.publicAddresses ? [...opts.publicAddresses] : [realm.allocV4()];
    const { type = 'port-restricted', ...over } = opts;
    const behaviour = natBehaviour(type, pickBehaviour(over));
    const inside = new Realm(`${name}.inside`, undefined, `198.19.${k}`, `2001:db8:${k.toString(16)}`);
    const box: NatBox = new NatBox(name, pubs, new NatTable(behaviour, pubs), this.accessLink(name, opts.link, {
      up: (dg) => this.route(realm, dg),
      down: (dg) => this.natInbound(box, dg),
    }), realm, inside);
    inside.gateway = box;
    realm.add(box, pubs);
    return box;
  }

  /** Attaches a SansIo core to a host: datagrams to the host's addresses (and `ports`) go to it. */
  attach<Ev>(host: Host, core: SansIo<Ev>, opts: AttachOptions<Ev> = {}): Attached<Ev> {
    const att: Attached<Ev> = new CoreHandle(core, opts.label ?? host.name, opts);
    const flush = (now: Millis): void => {
      for (let dg = core.pollTransmit(); dg !== undefined; dg = core.pollTransmit()) {
        att.transmitted++;
        this.transmit(host, { from: dg.from, to: dg.to, data: dg.data.slice() });
      }
      att.drain(now);
      core.prepare?.(now); // as src/io/driver.ts: work ahead once the datagrams are out
    };
    host.attachments.push({
      ports: opts.ports,
      att: att as Attached<unknown>,
      deliver: (dg) => {
        att.received++;
        core.handleDatagram(this.now, dg);
        flush(this.now);
      },
    });
    this.register({ label: att.label, deadline: () => core.pollTimeout(), fire: (now) => { core.handleTimeout(now); flush(now); }, flush });
    return att;
  }

  /** Adds something to wake at its deadlines (used by attach and the layer-pair harness). */
  register(d: Driven): void {
    this.driven.push(d);
  }

  /** Creates a link direction on this simulator's clock and randomness. */
  direction<P extends Parcel>(name: string, config: Partial<LinkConfig>, deliver: (p: P) => void, describe: (p: P) => string): LinkDirection<P> {
    return new LinkDirection<P>(name, this.scheduler, this.linkRng.fork(), {
      deliver: (p, info) => {
        if (info.duplicate || info.reordered) this.trace.add(this.now, `${describe(p)}${info.duplicate ? ' (dup)' : ''}${info.reordered ? ' (reordered)' : ''} @${name}`);
        deliver(p);
      },
      drop: (p, reason) => this.noteDrop(`${describe(p)} DROP ${reason} @${name}`, reason),
    }, config);
  }

  /** One step: the earliest packet event or core deadline. Returns false when nothing is pending. */
  step(): boolean {
    this.flushAll();
    const ev = this.scheduler.peek();
    const due = this.earliestDeadline();
    if (ev === undefined && due === undefined) return false;
    const before = this.now;
    if (ev !== undefined && (due === undefined || ev.time <= due.at)) {
      this.scheduler.pop();
      this.now = Math.max(this.now, ev.time);
      ev.run();
    } else if (due !== undefined) {
      this.now = Math.max(this.now, due.at);
      due.d.fire(this.now);
    }
    this.instantSteps = this.now === before ? this.instantSteps + 1 : 0;
    if (this.instantSteps > this.maxStepsPerInstant) {
      throw this.failure(`livelock: ${this.maxStepsPerInstant} steps at t=${this.now} without time moving (a core whose pollTimeout() stays <= now?)`);
    }
    return true;
  }

  /** The instant of the next event or deadline, or undefined when idle. */
  nextTime(): Millis | undefined {
    this.flushAll();
    const ev = this.scheduler.peek();
    const due = this.earliestDeadline();
    if (ev === undefined) return due === undefined ? undefined : Math.max(this.now, due.at);
    return due === undefined ? ev.time : Math.min(ev.time, Math.max(this.now, due.at));
  }

  /**
   * Runs until `pred()` holds. Throws SimError (with seed and trace tail) when `maxMs` of virtual time
   * pass first, or when nothing is left to happen.
   */
  runUntil(pred: () => boolean, opts: RunOptions = {}): void {
    const maxMs = opts.maxMs ?? 60_000;
    const limit = this.now + maxMs;
    while (!pred()) {
      const next = this.nextTime();
      if (next === undefined) throw this.failure(`runUntil: the network is idle and the condition does not hold (t=${this.now.toFixed(1)}ms)`);
      if (next > limit) {
        this.now = limit;
        throw this.failure(`runUntil: condition not met within ${maxMs} ms of virtual time`);
      }
      this.step();
    }
  }

  /** Runs every event up to `now + ms`, then sets the clock there. */
  runFor(ms: Millis): void {
    const until = this.now + ms;
    for (let next = this.nextTime(); next !== undefined && next <= until; next = this.nextTime()) this.step();
    this.now = Math.max(this.now, until);
  }

  /** Runs until nothing is pending (no packet in flight, no armed deadline) or `maxMs` pass. */
  runUntilIdle(opts: RunOptions = {}): void {
    const limit = this.now + (opts.maxMs ?? 60_000);
    for (let next = this.nextTime(); next !== undefined; next = this.nextTime()) {
      if (next > limit) throw this.failure(`runUntilIdle: still busy after ${opts.maxMs ?? 60_000} ms`);
      this.step();
    }
  }

  /**
   * What is still pending, for leak checks after close(): labels of attached cores (and layer-pair
   * sides) with an armed deadline, and the number of packets and events in flight.
   */
  pending(): { deadlines: string[]; inFlight: number } {
    this.flushAll();
    const deadlines = this.driven.filter((d) => d.deadline() !== undefined).map((d) => d.label);
    return { deadlines, inFlight: this.scheduler.size };
  }

  /** A SimError for the current state (for tests that detect failure themselves). */
  failure(message: string, lines = 60): SimError {
    return new SimError(`${message} (t=${this.now.toFixed(1)}ms)`, this.seed, this.trace.last(lines));
  }

  /** Total drops for one reason. */
  dropped(reason: NetDropReason): number {
    return this.drops.get(reason) ?? 0;
  }

  private accessLink(name: string, config: Partial<LinkConfig> | undefined, to: { up: (dg: Datagram) => void; down: (dg: Datagram) => void }): Link<Datagram> {
    const d = (dg: Datagram): string => this.line(dg);
    return new Link(this.direction(`${name}.up`, config ?? {}, to.up, d), this.direction(`${name}.down`, config ?? {}, to.down, d));
  }

  private line(dg: Datagram): string {
    return `${fmt(dg.from)} -> ${fmt(dg.to)} len=${dg.data.length} ${this.describe(dg.data)}`;
  }

  private noteDrop(text: string, reason: NetDropReason): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
    this.trace.add(this.now, text);
  }

  private transmit(host: Host, dg: Datagram): void {
    if (!host.addresses.includes(dg.from.address)) {
      this.noteDrop(`${this.line(dg)} DROP bad-source (not an address of ${host.name})`, 'bad-source');
      return;
    }
    host.link.up.send(this.now, dg);
  }

  private route(realm: Realm, dg: Datagram): void {
    const node = realm.nodes.get(dg.to.address);
    if (node !== undefined) node.link.down.send(this.now, dg);
    else if (realm.gateway !== undefined) this.natOutbound(realm.gateway, dg);
    else this.noteDrop(`${this.line(dg)} DROP no-route in ${realm.name}`, 'no-route');
  }

  private natOutbound(nat: NatBox, dg: Datagram): void {
    if (nat.publicAddresses.includes(dg.to.address)) {
      this.noteDrop(`${this.line(dg)} DROP nat-hairpin @${nat.name}`, 'nat-hairpin');
      return;
    }
    const r = nat.table.outbound(this.now, dg.from, dg.to);
    if (!r.ok) {
      this.noteDrop(`${this.line(dg)} DROP ${r.reason} @${nat.name}`, r.reason);
      return;
    }
    if (r.created) this.trace.add(this.now, `NAT ${nat.name} map ${fmt(dg.from)} => ${fmt(r.external)} (first to ${fmt(dg.to)})`);
    nat.link.up.send(this.now, { from: r.external, to: dg.to, data: dg.data });
  }

  private natInbound(nat: NatBox, dg: Datagram): void {
    const r = nat.table.inbound(this.now, dg.from, dg.to);
    if (!r.ok) {
      this.noteDrop(`${this.line(dg)} DROP ${r.reason} @${nat.name}`, r.reason);
      return;
    }
    this.route(nat.inside, { from: dg.from, to: r.internal, data: dg.data });
  }

  private deliverToHost(host: Host, dg: Datagram): void {
    const target = host.attachments.find((a) => a.ports === undefined || a.ports.includes(dg.to.port));
    if (target === undefined) {
      this.noteDrop(`${this.line(dg)} DROP no-listener on ${host.name}`, 'no-listener');
      return;
    }
    this.trace.add(this.now, this.line(dg));
    target.deliver({ from: dg.from, to: dg.to, data: dg.data.slice() });
  }

  private flushAll(): void {
    for (const d of this.driven) d.flush(this.now);
  }

  private earliestDeadline(): { at: Millis; d: Driven } | undefined {
    let best: { at: Millis; d: Driven } | undefined;
    for (const d of this.driven) {
      const t = d.deadline();
      if (t === undefined || !Number.isFinite(t)) continue;
      if (best === undefined || t < best.at) best = { at: t, d };
    }
    return best;
  }
}

function pickBehaviour(o: Partial<NatBehaviour> & Record<string, unknown>): Partial<NatBehaviour> {
  const keys = ['mapping', 'filtering', 'mappingTimeoutMs', 'inboundRefresh', 'portBase', 'portPreservation'] as const;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as Partial<NatBehaviour>;
}
