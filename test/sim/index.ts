/**
 * # test/sim: the deterministic network simulator
 *
 * A discrete-event scheduler on a virtual clock (ms). Nothing sleeps: `runUntil` jumps straight to
 * the next event, the earliest of any in-flight packet arrival and any attached core's
 * `pollTimeout()`, so a 30-second consent scenario costs milliseconds of CPU. Every random draw comes
 * from the seed; the same seed gives the same trace (`sim.trace.digest`).
 *
 * ## Topology
 * - `sim.host({ name?, addresses?, ipv6?, behind?, link? })`: a host with IPv4/IPv6 addresses
 *   (automatic ones: 198.18.0.x public, 198.19.k.x behind the k-th NAT, 2001:db8::x with `ipv6`).
 * - `sim.nat({ type: 'full-cone' | 'address-restricted' | 'port-restricted' | 'symmetric', mappingTimeoutMs?,
 *   publicAddresses?, behind?, ... })`: an RFC 4787 NAT box (see nat.ts); hosts go behind it with
 *   `sim.host({ behind: nat })`. No hairpinning. Mappings are refreshed by outbound traffic only.
 * - Every host and NAT hangs off its realm by an access link `node.link` with `up` (sent by the node)
 *   and `down` (received). A packet crosses the sender's `up`, any NAT links, and the receiver's `down`.
 *   Link impairments (link.ts, all per direction, changeable any time): `delayMs`, `jitterMs` (FIFO kept),
 *   `loss` (+`lossBurst`: mean run length, Gilbert model), `duplicate`, `reorder` (+`reorderDelayMs`),
 *   `mtu` (UDP payload bytes; bigger is dropped and counted), `bandwidthBps` (+`queueBytes` drop-tail),
 *   `up: false` / `cut()` / `restore()`, `dropNext(n)`, `dropWhere(pred, count?)`, `tap(fn)` (observe
 *   without dropping). `link.set(cfg)` sets both directions.
 *
 * ## Cores
 * - `sim.attach(host, core, { collect?, onEvent?, ports?, label? })` for a `SansIo<Ev>` core: datagrams to the
 *   host (and `ports`) go to `core.handleDatagram(sim.now, dg)`; after every call the simulator drains
 *   `pollTransmit()` (a transmit whose `from.address` is not the host's is dropped as `bad-source`) and
 *   calls `handleTimeout` at `pollTimeout()`. Events stay in the core unless `collect: true` (then
 *   `att.events`, `att.ofType('state')`, `att.take()`) or `onEvent`. `drainEvents(core)` drains by hand.
 *   User calls made between runs (`agent.gather(sim.now)`) are picked up at the next step.
 * - `new LayerPair(sim, a, b, { link?, ab?, ba?, names?, describe? })` (or `LayerPair.create(seed, a, b)`)
 *   joins two `SansIoLayer` cores (DTLS, SCTP): `pair.ab` / `pair.ba` are the link directions, events are
 *   collected by default in `pair.a.events` / `pair.b.events`.
 * - Seed cores from the simulator for reproducibility: `rng: sim.rng.fork()`.
 * - `new StunServer()` (stun-server.ts) is a Binding server core built on src/stun: attach it to a
 *   public host to give agents server-reflexive candidates; `answering = false` silences it.
 *
 * ## Running
 * - `sim.runUntil(pred, { maxMs })`: steps until `pred()` holds; throws `SimError` (seed + last 60
 *   trace lines) after `maxMs` of virtual time (default 60000) or when nothing is left to happen.
 * - `sim.runFor(ms)`, `sim.runUntilIdle({ maxMs })`, `sim.step()`, `sim.now`; `sim.pending()` lists cores with
 *   armed deadlines and packets in flight (leak checks after close()).
 * - `withSeed(seed, (sim) => ...)` / `forSeeds([1, 2, 3], fn)`: on failure the error message gains the
 *   seed and trace tail; `SIM_SEED=n` replays one seed.
 * - Trace lines: `t=1203.0ms 198.18.0.1:5000 -> 198.18.0.2:5000 len=120 STUN Binding request tid=...`,
 *   drops as `... DROP loss @h1.up`, NAT mappings as `NAT nat1 map a => b`. `sim.trace.last(n)`,
 *   `sim.trace.listener = console.log` to stream, `sim.drops` / `sim.dropped(reason)` and
 *   `link.up.stats` for counters. The describer is pluggable (`new Sim({ seed, describe })`;
 *   describe.ts has STUN, DTLS and SCTP ones).
 *
 * @example
 * ```ts
 * import { Sim, withSeed } from '../sim/index.js';
 * withSeed(42, (sim) => {
 *   const nat = sim.nat({ type: 'port-restricted', mappingTimeoutMs: 30_000 });
 *   const a = sim.host({ name: 'a', behind: nat });
 *   const b = sim.host({ name: 'b', link: { delayMs: 40, jitterMs: 5, loss: 0.02 } });
 *   const ea = sim.attach(a, new IceAgent({ controlling: true, rng: sim.rng.fork(), crypto }), { collect: true });
 *   const eb = sim.attach(b, new IceAgent({ controlling: false, rng: sim.rng.fork(), crypto }), { collect: true });
 *   ea.core.addLocalAddress(sim.now, { address: a.address(), port: 5000 });
 *   // ... exchange credentials and candidates ...
 *   sim.runUntil(() => ea.ofType('state').some((e) => e.state === 'connected'), { maxMs: 10_000 });
 *   b.link.cut();                       // consent loss
 *   sim.runFor(35_000);
 *   b.link.restore();
 * });
 *
 * // Layer pair (SCTP over a lossy link):
 * const pair = LayerPair.create(7, assocA, assocB, { link: { delayMs: 20, loss: 0.1, mtu: 1200 } });
 * pair.ab.dropNext(2);                  // lose the first two packets A -> B
 * assocA.connect(pair.sim.now); assocB.connect(pair.sim.now);
 * pair.sim.runUntil(() => pair.a.ofType('connected').length > 0, { maxMs: 5_000 });
 * ```
 */
export { Sim, SimError } from './sim.js';
export type { HostOptions, NatOptions, NetDropReason, RunOptions, SimOptions } from './sim.js';
export { Host, NatBox, Realm } from './topology.js';
export { DEFAULT_LINK, Link, LinkDirection } from './link.js';
export type { LinkConfig, LinkDropReason, LinkStats, Parcel } from './link.js';
export { NatTable, natBehaviour } from './nat.js';
export type { NatBehaviour, NatDependence, NatMapping, NatType } from './nat.js';
export { LayerPair } from './layer-pair.js';
export type { LayerPairOptions, PairSide } from './layer-pair.js';
export { CoreHandle, drainEvents } from './attach.js';
export type { Attached, AttachOptions, Driven } from './attach.js';
export { describeDatagram, describeDtls, describeSctp, describeStun } from './describe.js';
export type { Describer } from './describe.js';
export { Trace, formatTime } from './trace.js';
export { Scheduler } from './scheduler.js';
export { StunServer } from './stun-server.js';
export type { StunServerEvent } from './stun-server.js';
export { forSeeds, scenarioSeeds, withSeed } from './scenario.js';
