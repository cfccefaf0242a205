/**
 * Relayed candidates (RFC 8445 §5.1.1.2, RFC 8656; protocol.md §4.10): one `TurnClient` allocation
 * per configured TURN server. The relayed address becomes a local candidate of type `relay` whose
 * base is the relayed address itself; the agent's transmits from that base are wrapped here
 * (CreatePermission and ChannelBind for each remote address, then ChannelData, Send indications
 * until the channel is bound), and what the server relays back is handed to the agent as datagrams
 * `from: peer, to: relayed`. Failures are logged with the server and the server's reason and kept in
 * `status()`; they never throw and never hold gathering past `relayGatherTimeoutMs`.
 */
import { minDeadline } from '../core/deadlines.js';
import type { Addr, Datagram, Millis } from '../core/types.js';
import { addrKey, isIPv6, sameAddr } from '../core/types.js';
import { Queue } from '../core/event-queue.js';
import { StunMethod } from '../stun/constants.js';
import { newTransactionId, stunIndication } from '../stun/helpers.js';
import { encodeStun } from '../stun/message.js';
import { TurnClient } from '../turn/client.js';
import type { TurnClientOptions, TurnEvent, TurnState } from '../turn/options.js';
import { normalizeAddr } from './binding.js';
import type { AgentContext } from './context.js';
import { addRelayedAddress } from './gathering.js';

/**
 * What the shell found for a `connect` (deferred) TURN server: its address (name resolved) and, for
 * TCP/TLS, the open stream's local address; or why it could not (name not resolved, server
 * unreachable, TLS refused). A later `{ error }` reports the stream lost.
 */
export type TurnServerReady = { readonly server: Addr; readonly local?: Addr } | { readonly error: string };

/** One TURN server URL (the shell resolves names and opens TCP/TLS streams). */
export interface TurnServerConfig {
  /** The server's address; absent when `connect` gives it later. */
  readonly server?: Addr;
  readonly username: string;
  readonly credential: string;
  /** Default 'udp'. For 'tcp'/'tls' the shell owns the stream and gives its local address as `local`. */
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** The local socket or stream address the allocation is made from (default: the first bound UDP
   * socket of the server's family). */
  readonly local?: Addr;
  /** The URL as configured, for logs and status. */
  readonly url?: string;
  /**
   * The shell still has to resolve the name and/or open the TCP/TLS stream: called once, when the
   * agent is made, with `deliver`; the shell calls it later (never from inside this call) with the
   * outcome, then pumps the agent. Until then the server counts as pending for gathering (bounded
   * by relayGatherTimeoutMs) and its status is 'connecting'.
   */
  readonly connect?: (deliver: (now: Millis, r: TurnServerReady) => void) => void;
}

/** Extra TurnClient settings (lifetimes, refresh intervals, retransmissions), mostly for tests. */
export type TurnTuning = Partial<Omit<TurnClientOptions, 'server' | 'local' | 'username' | 'password' | 'transport' | 'rng' | 'crypto' | 'logger'>>;

/** What became of one TURN server (for stats and for people reading logs). */
export interface RelayStatus {
  readonly url: string;
  readonly transport: 'udp' | 'tcp' | 'tls';
  /** 'connecting': the shell is still resolving the name or opening the stream. */
  readonly state: TurnState | 'no-socket' | 'connecting';
  readonly relayed?: Addr;
  /** The last failure: the server's error code (undefined = no answer) and reason. */
  readonly error?: { readonly code: number | undefined; readonly reason: string };
}

interface Relay {
  readonly cfg: TurnServerConfig;
  readonly url: string;
  /** The server's address (undefined while a `connect` server is not delivered yet). */
  server: Addr | undefined;
  /** Local stream address delivered by `connect` (TCP/TLS). */
  local: Addr | undefined;
  /** `connect` given and not delivered yet. */
  waiting: boolean;
  /** The shell could not reach the server, or lost the stream: the relay is dead. */
  unreachable: boolean;
  client: TurnClient | undefined;
  relayed: Addr | undefined;
  error: RelayStatus['error'];
  /** Remote addresses we asked a permission and a channel for. */
  readonly peers: Set<string>;
  /** Next keepalive to the server (UDP allocations). */
  keepaliveAt: Millis | undefined;
}

/**
 * A STUN Binding indication to the server every 15 s keeps the NAT binding of an idle UDP
 * allocation open (RFC 8489 §6.3.2 indications; the 600 s Refresh alone would let a NAT forget it).
 */
const KEEPALIVE_MS = 15_000;

/** Bounded: each URL costs an allocation on a server. */
const MAX_RELAYS = 16;

const ADVICE: Readonly<Record<number, string>> = {
  401: 'wrong username or credential',
  403: 'the server forbids this request',
  437: 'allocation mismatch',
  441: 'wrong credentials for this allocation',
  442: 'the server does not support this transport',
  486: 'allocation quota reached on the server',
  508: 'the server is out of capacity',
};

/** The server's reason plus what a person can do about it. */
function failure(code: number | undefined, reason: string): { readonly code: number | undefined; readonly reason: string } {
  if (code === undefined) return { code, reason: `${reason}: no answer: server unreachable, wrong address or port, or UDP blocked` };
  return { code, reason: `${reason} (${code}): ${ADVICE[code] ?? 'refused by the server'}` };
}

export class RelayManager {
  private readonly relays: Relay[];
  private readonly sockets: Addr[] = [];
  private readonly inbound: Datagram[] = [];
  private readonly keepalives = new Queue<Datagram>();
  private started: Millis | undefined;
  /** relayGatherTimeoutMs has passed (its deadline is no longer armed). */
  private gatherTimedOut = false;

  constructor(
    private readonly ctx: AgentContext,
    servers: readonly TurnServerConfig[],
    private readonly tuning: TurnTuning,
    private readonly gatherTimeoutMs: number,
  ) {
    this.relays = servers.slice(0, MAX_RELAYS).map((cfg) => ({
      cfg,
      url: cfg.url ?? `turn:${cfg.server?.address ?? '?'}:${cfg.server?.port ?? 0}?transport=${cfg.transport ?? 'udp'}`,
      server: cfg.server ? normalizeAddr(cfg.server) : undefined,
      local: undefined,
      waiting: cfg.connect !== undefined,
      unreachable: cfg.connect === undefined && cfg.server === undefined,
      client: undefined,
      relayed: undefined,
      error: undefined,
      peers: new Set(),
      keepaliveAt: undefined,
    }));
    if (servers.length > MAX_RELAYS) ctx.opts.logger.log('warn', `only the first ${MAX_RELAYS} TURN servers are used`, { given: servers.length });
    for (let i = 0; i < this.relays.length; i++) {
      const r = this.relays[i] as Relay;
      r.cfg.connect?.((now, res) => this.provide(now, r, res));
    }
  }

  /** The shell's outcome for a `connect` server: start its allocation, or mark it unreachable. */
  private provide(now: Millis, r: Relay, res: TurnServerReady): void {
    if (this.ctx.closed || r.unreachable) return;
    r.waiting = false;
    if ('error' in res) {
      r.unreachable = true;
      r.error = { code: undefined, reason: res.error };
      this.ctx.opts.logger.log('warn', 'TURN server unreachable', { server: r.url, reason: res.error });
      return;
    }
    r.server = normalizeAddr(res.server);
    r.local = res.local ? normalizeAddr(res.local) : undefined;
    if (this.started !== undefined) this.startPending(now);
  }

  get count(): number {
    return this.relays.length;
  }

  /** A bound UDP socket (candidate base for UDP allocations). */
  addSocket(now: Millis, addr: Addr): void {
    const a = normalizeAddr(addr);
    if (!this.sockets.some((s) => sameAddr(s, a))) this.sockets.push(a);
    if (this.started !== undefined) this.startPending(now);
  }

  /** Starts every allocation that has a local socket (called by gather()). */
  start(now: Millis): void {
    if (this.started !== undefined) return;
    this.started = now;
    this.startPending(now);
  }

  /** Still waiting for an allocation before gathering may complete. */
  gatherPending(now: Millis): boolean {
    if (this.started === undefined || now - this.started >= this.gatherTimeoutMs) return false;
    return this.relays.some((r) => (r.client === undefined && !r.unreachable) || r.client?.state === 'allocating' || r.client?.state === 'idle');
  }

  /** A datagram from a TURN server to one of our allocations: consumed (true) or not ours. */
  handleDatagram(now: Millis, dg: Datagram): boolean {
    if (this.relays.length === 0) return false; // no TURN server: the data path pays nothing here
    const from = normalizeAddr(dg.from);
    const to = normalizeAddr(dg.to);
    const r = this.relays.find((x) => x.client && x.server && sameAddr(x.server, from) && sameAddr(this.localOf(x) ?? from, to));
    if (!r?.client) return false;
    r.client.handleDatagram(now, { from, to, data: dg.data });
    this.drain(now, r);
    return true;
  }

  /** Agent transmit from a relayed base: sent through that relay (true), or not a relayed base (false). */
  route(now: Millis, dg: Datagram): boolean {
    if (this.relays.length === 0) return false;
    const r = this.relays.find((x) => x.relayed && sameAddr(x.relayed, dg.from));
    if (!r?.client) return false;
    const key = addrKey(dg.to);
    if (!r.peers.has(key) && r.peers.size < 64) {
      // RFC 8656 §9/§12: a permission for the peer's IP, and a channel so data costs 4 bytes, not 36.
      r.peers.add(key);
      r.client.createPermission(now, dg.to);
      r.client.bindChannel(now, dg.to);
    }
    r.client.send(now, dg.to, dg.data);
    this.drain(now, r);
    return true;
  }

  isRelayedBase(addr: Addr): boolean {
    return this.relays.some((r) => r.relayed !== undefined && sameAddr(r.relayed, addr));
  }

  /** Is `from` a TURN server we use (so relay-only mode may accept it). */
  isServer(addr: Addr): boolean {
    const a = normalizeAddr(addr);
    return this.relays.some((r) => r.server !== undefined && sameAddr(r.server, a));
  }

  handleTimeout(now: Millis): void {
    if (this.started !== undefined && now - this.started >= this.gatherTimeoutMs) this.gatherTimedOut = true;
    for (let i = 0; i < this.relays.length; i++) {
      const r = this.relays[i] as Relay;
      if (r.client && r.keepaliveAt !== undefined && r.keepaliveAt <= now) this.keepalive(now, r);
      const t = r.client?.pollTimeout();
      if (r.client && t !== undefined && t <= now) {
        r.client.handleTimeout(now);
        this.drain(now, r);
      }
    }
  }

  pollTimeout(): Millis | undefined {
    if (this.relays.length === 0) return undefined; // no TURN server: nothing to time
    let t: Millis | undefined;
    for (let i = 0; i < this.relays.length; i++) {
      const r = this.relays[i] as Relay;
      t = minDeadline(t, r.client?.pollTimeout(), r.keepaliveAt);
    }
    if (this.started !== undefined && !this.gatherTimedOut && this.relays.some((r) => r.client?.state === 'allocating')) t = minDeadline(t, this.started + this.gatherTimeoutMs);
    return t;
  }

  /** Next datagram to a TURN server. */
  pollTransmit(): Datagram | undefined {
    const ka = this.keepalives.shift();
    if (ka) return ka;
    for (let i = 0; i < this.relays.length; i++) {
      const dg = (this.relays[i] as Relay).client?.pollTransmit();
      if (dg) return dg;
    }
    return undefined;
  }

  /** Datagrams the servers relayed to us, for the agent (`from: peer, to: relayed`). */
  takeInbound(): Datagram[] {
    return this.inbound.splice(0);
  }

  /** Deallocates everything (Refresh LIFETIME=0). */
  close(now: Millis): void {
    for (let i = 0; i < this.relays.length; i++) {
      const r = this.relays[i] as Relay;
      r.keepaliveAt = undefined;
      r.client?.close(now);
      this.drain(now, r);
    }
  }

  status(): RelayStatus[] {
    return this.relays.map((r) => ({
      url: r.url,
      transport: r.cfg.transport ?? 'udp',
      state: r.unreachable ? 'failed' : r.waiting ? 'connecting' : (r.client?.state ?? 'no-socket'),
      ...(r.relayed ? { relayed: r.relayed } : {}),
      ...(r.error ? { error: r.error } : {}),
    }));
  }

  private keepalive(now: Millis, r: Relay): void {
    const local = this.localOf(r);
    if (r.client?.state !== 'allocated' || !local || !r.server) {
      r.keepaliveAt = undefined;
      return;
    }
    const ind = stunIndication(StunMethod.Binding, newTransactionId(this.ctx.opts.rng));
    this.keepalives.push({ from: local, to: r.server, data: encodeStun(ind, { fingerprint: true }) });
    r.keepaliveAt = now + KEEPALIVE_MS;
  }

  private localOf(r: Relay): Addr | undefined {
    if (r.local) return r.local;
    if (r.cfg.local) return normalizeAddr(r.cfg.local);
    const server = r.server;
    return server && this.sockets.find((s) => isIPv6(s.address) === isIPv6(server.address));
  }

  private startPending(now: Millis): void {
    for (let i = 0; i < this.relays.length; i++) {
      const r = this.relays[i] as Relay;
      const server = r.server;
      if (r.client || r.waiting || r.unreachable || !server) continue;
      const local = this.localOf(r);
      if (!local) continue;
      r.client = new TurnClient({
        ...this.tuning,
        server,
        local,
        username: r.cfg.username,
        password: r.cfg.credential,
        transport: r.cfg.transport ?? 'udp',
        ...(isIPv6(server.address) ? { family: 'ipv6' as const } : {}),
        rng: this.ctx.opts.rng,
        crypto: this.ctx.opts.crypto,
        logger: this.ctx.opts.logger,
      });
      r.client.allocate(now);
      this.drain(now, r);
    }
  }

  private drain(now: Millis, r: Relay): void {
    const client = r.client;
    if (!client) return;
    for (let ev = client.pollEvent(); ev !== undefined; ev = client.pollEvent()) this.onEvent(now, r, ev);
  }

  private onEvent(now: Millis, r: Relay, ev: TurnEvent): void {
    const log = this.ctx.opts.logger;
    switch (ev.type) {
      case 'allocated':
        r.relayed = normalizeAddr(ev.relayed);
        log.log('info', 'TURN allocation', { server: r.url, relayed: addrKey(r.relayed), lifetimeS: ev.lifetimeS });
        if ((r.cfg.transport ?? 'udp') === 'udp') r.keepaliveAt = now + KEEPALIVE_MS;
        addRelayedAddress(this.ctx, r.relayed, ev.mapped, r.server ?? ev.relayed, r.cfg.transport ?? 'udp', now);
        break;
      case 'failed':
        r.error = failure(ev.code, ev.reason);
        log.log('warn', 'TURN server failed', { server: r.url, code: ev.code, reason: r.error.reason });
        break;
      case 'permission':
      case 'channel':
        if (!ev.ok) log.log('warn', `TURN ${ev.type} refused`, { server: r.url, peer: ev.type === 'permission' ? ev.peerIp : addrKey(ev.peer) });
        break;
      case 'data':
        this.inbound.push({ from: normalizeAddr(ev.peer), to: r.relayed ?? ev.peer, data: ev.data });
        break;
      case 'state':
        break;
    }
  }
}
