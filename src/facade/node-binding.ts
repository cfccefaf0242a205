/**
 * The Node environment for the facade: UDP sockets from src/io (one per local address), the system
 * clock, a crypto-grade Rng, and the src/io Driver (one re-armed timer). Gathering is restricted by
 * `addresses` (explicit literals) or `gather` (listHostAddresses options); tests pass
 * `addresses: ['127.0.0.1']` so nothing but loopback is ever used.
 *
 * `initialize({ iceServers })`: stun:, turn: (UDP), turn:...?transport=tcp and turns: (TLS) URLs, IP
 * literals or host names (resolved per connection, src/io/ice-servers.ts); each TCP/TLS TURN URL gets
 * its own stream, closed with the connection. Failures are logged with the URL and the reason and
 * shown by `getIceStats().relays`; they fail that server only.
 * `initialize()` also takes `iceTransportPolicy` ('all' | 'relay'), `interfaces` (names or address
 * literals to gather on) and `portRangeBegin`/`portRangeEnd` (UDP ports of host candidates).
 */
import type { CryptoProvider } from '../core/crypto.js';
import type { Logger } from '../core/logger.js';
import type { Addr } from '../core/types.js';
import type { Rng } from '../core/rng.js';
import { parseIceServers } from '../turn/url.js';
import type { IceServerProblem } from '../turn/url.js';
import { IceServerLinks } from '../io/ice-servers.js';
import type { HostLookup } from '../io/dns.js';
import type { MdnsLookup } from '../ice/mdns-remote.js';
import { NodeMdns } from '../io/mdns.js';
import { MdnsResponder } from '../mdns/responder.js';
import { publishCandidatesOverMdns, type PublishName } from './mdns-publish.js';
import { systemClock } from '../io/clock.js';
import { Driver } from '../io/driver.js';
import type { DatagramTransport } from '../io/driver.js';
import { listHostAddresses } from '../io/interfaces.js';
import type { HostAddressOptions } from '../io/interfaces.js';
import { CryptoRng, nodeCrypto } from '../io/node-crypto.js';
import { UdpSocketSet, type UdpSocketSetOptions } from '../io/udp.js';
import { MuxEndpoint, UdpMux } from '../io/udp-mux.js';
import { PeerStack } from '../stack/peer-stack.js';
import type { PeerStackOptions } from '../stack/peer-stack.js';
import { IceAgentPort, realLayers } from '../stack/layers.js';
import type { IcePort, IcePortOptions } from '../stack/ports.js';
import type { IceAgent } from '../ice/index.js';
import { iceStatsReport } from './ice-stats.js';
import type { RealLayerOptions } from '../stack/layers.js';
import type { DtlsFactory } from '../stack/ports.js';
import { dtlsFactory, sharedCertificate } from '../stack/dtls-binding.js';
import { nodeDtlsCrypto } from '../io/node-dtls-crypto.js';
import type { PeerConfig, StackBinding, StackTransport } from './binding.js';

export interface NodeBindingOptions {
  /** The DTLS layer (certificate + endpoint factory), made once per connection. Default: src/dtls
   * with node:crypto and the process-wide ECDSA P-256 certificate (see `shareCertificate`). */
  readonly dtls?: (rng: Rng, crypto: CryptoProvider, logger: Logger) => DtlsFactory;
  /** Default DTLS layer: one certificate for every connection of the process (default true: saves a
   * key generation and a signature before each offer and answer; src/stack/dtls-binding.ts says what
   * it gives away), or false for a fresh certificate per connection as libwebrtc makes them. */
  readonly shareCertificate?: boolean;
  /** Exact local addresses to bind (e.g. `['127.0.0.1']`); overrides `gather`. */
  readonly addresses?: readonly string[];
  /** Which interfaces to gather on (default: non-loopback IPv4 and IPv6, as browsers). */
  readonly gather?: HostAddressOptions;
  /** UDP port or range (default ephemeral). */
  readonly port?: number | { readonly min: number; readonly max: number };
  readonly ice?: RealLayerOptions['ice'];
  readonly sctp?: RealLayerOptions['sctp'];
  readonly stack?: Partial<Omit<PeerStackOptions, 'rng' | 'logger'>>;
  /** Resolve remote `.local` candidates with multicast DNS (src/io/mdns.ts; default true). */
  readonly mdns?: boolean;
  /** Signal host candidates under `<uuid>.local` names answered over multicast DNS, and srflx/relay
   * ones without their related address, as browsers do (src/facade/mdns-publish.ts). Default false:
   * peers then need mDNS to reach our host candidates (protocol.md section 4.7). */
  readonly mdnsPublish?: boolean;
  /** Host names in ICE server URLs: lookup timeout (default 5000 ms) and resolver (default node:dns). */
  readonly dns?: { readonly timeoutMs?: number; readonly lookup?: HostLookup };
  /** TURN over TCP/TLS: connect (and TLS handshake) timeout per address, default 5000 ms. */
  readonly turnConnectTimeoutMs?: number;
  /**
   * Share one UDP socket per local address between all connections of this binding (`true`), or of
   * every binding given the same `UdpMux` (src/io/udp-mux.ts), as ICE servers do: one port and a
   * handful of file descriptors for thousands of connections. Default false: a fresh port per
   * connection, as browsers. Only one side of a connection may share (its peers need a port per
   * connection); connections with UDP TURN servers or their own `portRange` keep their own sockets.
   */
  readonly sharedSocket?: boolean | UdpMux;
  /**
   * SO_RCVBUF / SO_SNDBUF of each connection's own UDP sockets (default 1 MiB; the kernel caps it at
   * net.core.rmem_max / wmem_max) and of the shared ones made for `sharedSocket: true` (default 4 MiB).
   * On a loopback path SCTP advertises at most half the receive buffer the kernel reports as its window.
   */
  readonly socketBufferBytes?: number;
}

let sharedMdns: Promise<NodeMdns> | undefined;
/** Names we publish (mdnsPublish), answered by the shared multicast sockets once open. */
let sharedResponder: MdnsResponder | undefined;
const openMdns = (logger: Logger): Promise<NodeMdns> => (sharedMdns ??= NodeMdns.open({ logger, responder: (sharedResponder ??= new MdnsResponder(new CryptoRng())) }));

/** mdnsPublish: the `<uuid>.local` name of a host address (one per address for the process). */
function publishName(logger: Logger): PublishName {
  return (address) => {
    void openMdns(logger);
    try {
      return sharedResponder?.publish(address);
    } catch (e: unknown) {
      logger.log('warn', 'mDNS: host candidate signalled with its address', { address, error: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  };
}

/** The ICE agent's mDNS hook: one shared multicast resolver, opened on the first `.local` name. */
function mdnsLookup(logger: Logger, after: { pump?: () => void }): MdnsLookup {
  return (name, deliver) => {
    void openMdns(logger)
      .then((m) => m.resolve(name))
      .then((addresses) => {
        deliver(systemClock.now(), addresses);
        after.pump?.();
      });
  };
}

/** The connection's ICE servers: parsed (refused URLs logged with why), names resolved, streams opened. */
function iceServers(opts: NodeBindingOptions, config: PeerConfig, logger: Logger, addresses: readonly string[]): IceServerLinks {
  const { urls, problems } = parseIceServers(config.iceServers);
  for (let i = 0; i < problems.length; i++) {
    const p = problems[i] as IceServerProblem;
    logger.log('warn', 'ICE server ignored', { url: p.url, reason: p.reason });
  }
  return new IceServerLinks(urls, {
    logger,
    now: () => systemClock.now(),
    localAddresses: addresses,
    ...(opts.dns?.timeoutMs !== undefined ? { dnsTimeoutMs: opts.dns.timeoutMs } : {}),
    ...(opts.dns?.lookup ? { lookup: opts.dns.lookup } : {}),
    ...(opts.turnConnectTimeoutMs !== undefined ? { connectTimeoutMs: opts.turnConnectTimeoutMs } : {}),
  }, problems);
}

/**
 * The ICE layer's options: the binding's `ice` with the connection's TURN servers, policy and mDNS
 * resolver over it. Written into a literal, not `{ ...opts.ice, x, ...y }` (V8's slow path for a
 * spread followed by properties: tens of us per connection, issue 6).
 */
function iceLayerOptions(opts: NodeBindingOptions, servers: IceServerLinks, config: PeerConfig, logger: Logger, after: { pump?: () => void }): NonNullable<RealLayerOptions['ice']> {
  const own: { -readonly [K in keyof NonNullable<RealLayerOptions['ice']>]: NonNullable<RealLayerOptions['ice']>[K] } = { turnServers: servers.turn, iceTransportPolicy: config.iceTransportPolicy ?? 'all' };
  if (opts.mdns !== false) own.resolveMdns = mdnsLookup(logger, after);
  return opts.ice ? Object.assign({}, opts.ice, own) : own;
}

function hostAddresses(opts: NodeBindingOptions, config: PeerConfig): string[] {
  const only = config.interfaces;
  if (opts.addresses) return only ? opts.addresses.filter((a) => only.includes(a)) : [...opts.addresses];
  return listHostAddresses({ ...opts.gather, ...(only ? { only } : {}) }).map((a) => a.address);
}

function defaultDtls(rng: Rng, share: boolean): DtlsFactory {
  return dtlsFactory({ rng, crypto: nodeDtlsCrypto, ...(share ? { certificate: sharedCertificate(nodeDtlsCrypto, rng) } : {}) });
}

/** The Node environment (UDP sockets, system clock, crypto-grade randomness, real DTLS by default). */
export function nodeBinding(opts: NodeBindingOptions = {}): StackBinding {
  let mux: UdpMux | undefined;
  // One crypto-grade Rng for all connections of the binding: its 4 KiB pool per connection was half
  // the ArrayBuffer memory of an idle connection (8.5 -> 4.5 KiB; issue 6, many connections).
  const rng = new CryptoRng();
  // A UDP TURN allocation is keyed by its 5-tuple: such connections cannot share the socket.
  const sharedMux = (config: PeerConfig): UdpMux | undefined => {
    if (!opts.sharedSocket || config.portRange || parseIceServers(config.iceServers).urls.some((u) => u.kind === 'turn' && u.transport === 'udp')) return undefined;
    return opts.sharedSocket instanceof UdpMux ? opts.sharedSocket : (mux ??= new UdpMux({ ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.socketBufferBytes !== undefined ? { bufferBytes: opts.socketBufferBytes } : {}) }));
  };
  return {
    now: () => systemClock.now(),
    createStack(config, logger) {
      const addresses = hostAddresses(opts, config);
      const after: { pump?: () => void } = {};
      const agent: { ice?: IceAgent } = {};
      const servers = iceServers(opts, config, logger, addresses);
      // the own sockets' receive buffer, once bound: SCTP's window on a loopback path must fit it
      const buffers: { receive?: number | undefined } = {};
      // The ICE agent is made at offer/answer time, with the STUN servers whose names resolved by then;
      // keep it for getIceStats(). ICE and SCTP from one realLayers(): SCTP learns the selected pair's
      // packet cap from it (PLPMTUD, src/stack/layers.ts pathMaxPacketSize).
      const real = realLayers({
        rng,
        crypto: nodeCrypto,
        dtls: opts.dtls ? opts.dtls(rng, nodeCrypto, logger) : defaultDtls(rng, opts.shareCertificate ?? true),
        includeLoopback: addresses.some((a) => a.startsWith('127.') || a === '::1'),
        ice: iceLayerOptions(opts, servers, config, logger, after),
        stunServers: () => servers.takeStun(),
        receiveBuffer: () => buffers.receive,
        ...(opts.sctp ? { sctp: opts.sctp } : {}),
      });
      const ice = (o: IcePortOptions): IcePort => withAgent(real.createIce(o), agent);
      const layers = { dtls: real.dtls, createSctp: real.createSctp, snap: real.snap, createIce: opts.mdnsPublish ? (o: IcePortOptions) => publishCandidatesOverMdns(ice(o), publishName(logger)) : ice };
      const own = { rng, logger, awaitLocalAddresses: true };
      const stack = new PeerStack(layers, opts.stack ? Object.assign({}, opts.stack, own) : own);
      const port = config.portRange ?? opts.port;
      const shared = sharedMux(config);
      if (opts.sharedSocket && !shared) logger.log('info', 'own UDP sockets for this connection (UDP TURN servers or a port range need them)');
      bindings.set(stack, { addresses, logger, after, agent, buffers, links: servers, ...(opts.socketBufferBytes !== undefined ? { bufferBytes: opts.socketBufferBytes } : {}), ...(port !== undefined ? { port } : {}), ...(shared ? { mux: shared } : {}) });
      return stack;
    },
    attach(stack, onEvent, onActivity) {
      const b = bindings.get(stack);
      if (!b) throw new Error('stack was not made by this binding');
      return attachUdp(stack, onEvent, b, onActivity);
    },
    iceStats(stack) {
      const ice = bindings.get(stack)?.agent.ice;
      return ice ? iceStatsReport(ice) : undefined;
    },
  };
}

interface BoundConfig {
  readonly addresses: readonly string[];
  readonly logger: Logger;
  /** Set at attach: pumps the driver after an asynchronous mDNS answer. */
  readonly after: { pump?: () => void };
  readonly port?: number | { readonly min: number; readonly max: number };
  /** The stack's ICE agent once made (getIceStats). */
  readonly agent: { ice?: IceAgent };
  /** The own sockets' receive buffer (RealLayerOptions.receiveBuffer); not for shared sockets, whose buffer all connections share. */
  readonly buffers: { receive?: number | undefined };
  /** ICE servers: TCP/TLS TURN streams (transmits from their local address go to them). */
  readonly links: IceServerLinks;
  /** Shared sockets (NodeBindingOptions.sharedSocket) instead of a socket set of its own. */
  readonly mux?: UdpMux;
  /** NodeBindingOptions.socketBufferBytes for the own sockets. */
  readonly bufferBytes?: number;
}

/** Options of a connection's own socket set. */
function ownSocketOptions(b: BoundConfig): UdpSocketSetOptions {
  return { addresses: b.addresses, ...(b.port !== undefined ? { port: b.port } : {}), ...(b.bufferBytes !== undefined ? { bufferBytes: b.bufferBytes } : {}) };
}

/** The connection's own sockets, or its endpoint on the shared ones (which learns its ICE ufrag). */
function openSockets(b: BoundConfig): Promise<UdpSocketSet | MuxEndpoint> {
  if (!b.mux) return UdpSocketSet.bind(ownSocketOptions(b));
  return b.mux.open(b.addresses).then((ep) => {
    ep.onConflict = (remote) => b.logger.log('warn', 'shared UDP socket: the peer address is already used by another connection (its peer must use a port per connection)', { remote });
    return ep;
  });
}

/** STUN Binding request, success or error response (first two bytes of the message type). */
function isBindingMessage(d: Uint8Array): boolean {
  const t0 = d[0] ?? 255;
  const t1 = d[1] ?? 0;
  return d.length >= 20 && t0 <= 1 && (t1 === 0x01 || t1 === 0x11);
}

function withAgent(port: IcePort, into: { ice?: IceAgent }): IcePort {
  if (port instanceof IceAgentPort) into.ice = port.agent;
  return port;
}

const bindings = new WeakMap<PeerStack, BoundConfig>();

function attachUdp(stack: PeerStack, onEvent: Parameters<StackBinding['attach']>[1], b: BoundConfig, onActivity?: () => void): StackTransport {
  const { addresses, logger } = b;
  let sockets: UdpSocketSet | MuxEndpoint | undefined;
  let closed = false;
  // An ICE agent appears (offer/answer) or restarts only in user calls, each followed by pump().
  const syncUfrag = (): void => void (sockets instanceof MuxEndpoint && sockets.setUfrag(b.agent.ice?.localUfrag));
  const proxy: DatagramTransport = { send: (dg) => b.links.send(dg) ?? sockets?.send(dg) ?? false, onMessage: undefined };
  const driver = new Driver(stack, proxy, { onEvent, ...(onActivity ? { onActivity } : {}) });
  b.after.pump = () => driver.wake();
  b.links.onMessage = (dg) => proxy.onMessage?.(dg);
  b.links.pump = () => driver.wake();
  /** The sockets are bound: the stack gathers on them; `wake` when that happened outside a user call. */
  const ready = (set: UdpSocketSet | MuxEndpoint, wake: boolean): void => {
    if (closed) return void set.close();
    sockets = set;
    if (set instanceof UdpSocketSet) b.buffers.receive = set.receiveBuffer;
    set.onMessage = (dg) => {
      proxy.onMessage?.(dg);
      // A STUN Binding request or response (a connectivity check, RFC 8489 type 0x0001/0x0101/0x0111):
      // answered, and our check's outcome acted on, right after this read (a microtask) instead of
      // after the rest of the loop turn's I/O (the driver drains reads in setImmediate): a peer's check
      // waited behind our whole setRemoteDescription(answer) when both arrived together, and its DTLS
      // ClientHello waited for our answer to it (issue 6 setup). Not TURN Data indications: relayed
      // data keeps its read batching.
      if (isBindingMessage(dg.data)) driver.pumpSoon();
    };
    syncUfrag();
    const locals = set.localAddresses;
    for (let i = 0; i < locals.length; i++) stack.addLocalAddress(systemClock.now(), locals[i] as Addr);
    stack.localAddressesReady(systemClock.now());
    if (wake) driver.wake(); // the host candidates are gathered now: a waiting user polls for them
  };
  // Own sockets on IP literals bind at once (inside initialize(): the offer or answer made next has
  // its host candidates without waiting a tick); shared ones, port ranges and failures go the async way.
  const now = b.mux ? undefined : UdpSocketSet.bindNow(ownSocketOptions(b));
  if (now) ready(now, false);
  else {
    openSockets(b).then(
      (set) => ready(set, true),
      (err: unknown) => {
        logger.log('error', 'could not bind UDP sockets', { error: err instanceof Error ? err.message : String(err), addresses });
        if (closed) return;
        stack.localAddressesReady(systemClock.now()); // gather what is left (relays over TCP/TLS)
        driver.wake();
      },
    );
  }
  return {
    pump: () => {
      driver.pump();
      syncUfrag();
    },
    pumpSoon: () => driver.pumpSoon(),
    pumpQueuedFirst: () => {
      driver.pumpQueuedFirst();
      syncUfrag();
    },
    close: () => {
      closed = true;
      driver.close();
      // dgram sends to an IP literal complete on the next tick; close after them.
      void Promise.resolve().then(() => {
        sockets?.close();
        b.links.close();
      });
    },
  };
}
