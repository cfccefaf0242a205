/**
 * ICE peers on the simulator: a host (public or behind a NAT box) running an IceAgent that gathers
 * host candidates on port 5000 and server-reflexive ones from the simulated STUN server, with
 * trickle signalling wired straight between two peers (credentials first, candidates as they are
 * gathered, end-of-candidates on gathering-complete).
 */
import type { Addr } from '../../../src/core/types.js';
import { formatCandidate } from '../../../src/ice/candidate-grammar.js';
import type { IceAgentOptions, IceConnectionState, IceEvent } from '../../../src/ice/index.js';
import { IceAgent } from '../../../src/ice/index.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import type { Attached, Host, NatType, Sim } from '../../sim/index.js';
import { StunServer } from '../../sim/index.js';

export type Placement = 'public' | NatType;

export interface IcePeer {
  readonly name: string;
  readonly host: Host;
  readonly agent: IceAgent;
  readonly att: Attached<IceEvent>;
  /** Other peers' calls run on each of our events (signalling). */
  readonly listeners: Array<(ev: IceEvent) => void>;
  states(): IceConnectionState[];
}

/** A STUN server on a public host; returns its address. */
export function stunServer(sim: Sim): Addr {
  const h = sim.host({ name: 'stun' });
  sim.attach(h, new StunServer(), { ports: [3478] });
  return { address: h.address(), port: 3478 };
}

export function icePeer(sim: Sim, name: string, placement: Placement, opts: Partial<IceAgentOptions> & { stun?: Addr; natTimeoutMs?: number } = {}): IcePeer {
  const { stun, natTimeoutMs, ...agentOpts } = opts;
  const timeout = natTimeoutMs === undefined ? {} : { mappingTimeoutMs: natTimeoutMs };
  const nat = placement === 'public' ? undefined : sim.nat({ name: `${name}-nat`, type: placement, ...timeout });
  const host = sim.host({ name, ...(nat ? { behind: nat } : {}) });
  const agent = new IceAgent({ rng: sim.rng.fork(), crypto: nodeCrypto, stunServers: stun ? [stun] : [], ...agentOpts });
  const listeners: Array<(ev: IceEvent) => void> = [];
  const att = sim.attach(host, agent, { collect: true, onEvent: (ev) => listeners.forEach((l) => l(ev)) });
  agent.addLocalAddress(sim.now, { address: host.address(), port: 5000 });
  return { name, host, agent, att, listeners, states: () => att.ofType('state').map((e) => e.state) };
}

/** Wires trickle signalling from `a` to `b`: credentials now, candidates and end-of-candidates as they come. */
export function signalTo(sim: Sim, a: IcePeer, b: IcePeer): void {
  b.agent.setRemoteCredentials(sim.now, a.agent.localUfrag, a.agent.localPwd);
  const forward = (ev: IceEvent): void => {
    if (ev.type === 'candidate') b.agent.addRemoteCandidate(sim.now, formatCandidate(ev.candidate));
    else if (ev.type === 'gathering-complete') b.agent.endOfRemoteCandidates(sim.now);
  };
  for (const ev of a.att.events) forward(ev);
  a.listeners.push(forward);
}

/** Both directions, then both agents gather. */
export function wire(sim: Sim, a: IcePeer, b: IcePeer): void {
  signalTo(sim, a, b);
  signalTo(sim, b, a);
  a.agent.gather(sim.now);
  b.agent.gather(sim.now);
}

export const isUp = (p: IcePeer): boolean => p.agent.state === 'connected' || p.agent.state === 'completed';

/** A STUN server, A (controlling) at `a` and B (controlled) at `b`, wired and run until both are up. */
export function connectedPeers(sim: Sim, a: Placement, b: Placement, maxMs = 10_000): [IcePeer, IcePeer] {
  const stun = stunServer(sim);
  const A = icePeer(sim, 'a', a, { controlling: true, stun });
  const B = icePeer(sim, 'b', b, { controlling: false, stun });
  wire(sim, A, B);
  sim.runUntil(() => isUp(A) && isUp(B), { maxMs });
  return [A, B];
}
