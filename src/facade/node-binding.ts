/**
 * The Node environment for the facade: UDP sockets from src/io (one per local address), the system
 * clock, a crypto-grade Rng, and the src/io Driver (one re-armed timer). Gathering is restricted by
 * `addresses` (explicit literals) or `gather` (listHostAddresses options); tests pass
 * `addresses: ['127.0.0.1']` so nothing but loopback is ever used.
 *
 * STUN servers from `initialize({ iceServers })` are used when their host is an IP literal; names
 * are not resolved yet (logged). TURN URLs are ignored (no TURN client yet).
 */
import type { CryptoProvider } from '../core/crypto.js';
import type { Logger } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import type { Addr } from '../core/types.js';
import { parseStunUrl } from '../ice/stun-url.js';
import { systemClock } from '../io/clock.js';
import { Driver } from '../io/driver.js';
import type { DatagramTransport } from '../io/driver.js';
import { listHostAddresses } from '../io/interfaces.js';
import type { HostAddressOptions } from '../io/interfaces.js';
import { CryptoRng, nodeCrypto } from '../io/node-crypto.js';
import { UdpSocketSet } from '../io/udp.js';
import { PeerStack } from '../stack/peer-stack.js';
import type { PeerStackOptions } from '../stack/peer-stack.js';
import { realLayers } from '../stack/layers.js';
import type { RealLayerOptions } from '../stack/layers.js';
import type { DtlsFactory } from '../stack/ports.js';
import { dtlsFactory } from '../stack/dtls-binding.js';
import { nodeDtlsCrypto } from '../io/node-dtls-crypto.js';
import type { PeerConfig, StackBinding, StackTransport } from './binding.js';

export interface NodeBindingOptions {
  /** The DTLS layer (certificate + endpoint factory), made once per connection. Default: src/dtls
   * with node:crypto and a fresh ECDSA P-256 certificate. */
  readonly dtls?: (rng: Rng, crypto: CryptoProvider, logger: Logger) => DtlsFactory;
  /** Exact local addresses to bind (e.g. `['127.0.0.1']`); overrides `gather`. */
  readonly addresses?: readonly string[];
  /** Which interfaces to gather on (default: non-loopback IPv4 and IPv6, as browsers). */
  readonly gather?: HostAddressOptions;
  /** UDP port or range (default ephemeral). */
  readonly port?: number | { readonly min: number; readonly max: number };
  readonly ice?: RealLayerOptions['ice'];
  readonly sctp?: RealLayerOptions['sctp'];
  readonly stack?: Partial<Omit<PeerStackOptions, 'rng' | 'logger'>>;
}

function stunServers(config: PeerConfig, logger: Logger): Addr[] {
  const out: Addr[] = [];
  for (const url of config.iceServers.flatMap((s) => s.urls)) {
    if (!/^stuns?:/i.test(url)) {
      logger.log('warn', 'ICE server ignored (only stun: URLs are supported yet)', { url });
      continue;
    }
    try {
      const u = parseStunUrl(url);
      if (u.literal && !u.secure) out.push({ address: u.host, port: u.port });
      else logger.log('warn', 'STUN server ignored: give an IP literal (no DNS resolution yet)', { url });
    } catch {
      logger.log('warn', 'bad STUN URL ignored', { url });
    }
  }
  return out;
}

/** The Node environment (UDP sockets, system clock, crypto-grade randomness, real DTLS by default). */
export function nodeBinding(opts: NodeBindingOptions = {}): StackBinding {
  return {
    now: () => systemClock.now(),
    createStack(config, logger) {
      const rng = new CryptoRng();
      const addresses = opts.addresses ?? listHostAddresses(opts.gather).map((a) => a.address);
      const layers = realLayers({
        rng,
        crypto: nodeCrypto,
        dtls: opts.dtls ? opts.dtls(rng, nodeCrypto, logger) : dtlsFactory({ rng, crypto: nodeDtlsCrypto }),
        stunServers: stunServers(config, logger),
        includeLoopback: addresses.some((a) => a.startsWith('127.') || a === '::1'),
        ...(opts.ice ? { ice: opts.ice } : {}),
        ...(opts.sctp ? { sctp: opts.sctp } : {}),
      });
      const stack = new PeerStack(layers, { ...opts.stack, rng, logger });
      bindings.set(stack, { addresses, logger });
      return stack;
    },
    attach(stack, onEvent) {
      const b = bindings.get(stack);
      if (!b) throw new Error('stack was not made by this binding');
      return attachUdp(stack, onEvent, b, opts);
    },
  };
}

const bindings = new WeakMap<PeerStack, { readonly addresses: readonly string[]; readonly logger: Logger }>();

function attachUdp(stack: PeerStack, onEvent: Parameters<StackBinding['attach']>[1], b: { readonly addresses: readonly string[]; readonly logger: Logger }, opts: NodeBindingOptions): StackTransport {
  const { addresses, logger } = b;
  let sockets: UdpSocketSet | undefined;
  let closed = false;
  const proxy: DatagramTransport = { send: (dg) => sockets?.send(dg) ?? false, onMessage: undefined };
  const driver = new Driver(stack, proxy, { onEvent });
  UdpSocketSet.bind({ addresses, ...(opts.port !== undefined ? { port: opts.port } : {}) }).then(
    (set) => {
      if (closed) return void set.close();
      sockets = set;
      set.onMessage = (dg) => proxy.onMessage?.(dg);
      for (const a of set.localAddresses) stack.addLocalAddress(systemClock.now(), a);
      driver.pump();
    },
    (err: unknown) => logger.log('error', 'could not bind UDP sockets', { error: err instanceof Error ? err.message : String(err), addresses }),
  );
  return {
    pump: () => driver.pump(),
    close: () => {
      closed = true;
      driver.close();
      // dgram sends to an IP literal complete on the next tick; close after them.
      void Promise.resolve().then(() => sockets?.close());
    },
  };
}
