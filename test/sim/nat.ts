/**
 * NAT behaviour after RFC 4787 (and pion vnet's NAT types): a mapping table that translates
 * outbound sources and filters inbound packets. Pure logic on virtual time; the simulator routes.
 *
 *   type                 mapping (§4.1)              filtering (§5)
 *   full-cone            endpoint-independent        endpoint-independent
 *   address-restricted   endpoint-independent        address-dependent
 *   port-restricted      endpoint-independent        address-and-port-dependent
 *   symmetric            address-and-port-dependent  address-and-port-dependent
 *
 * Mappings expire `mappingTimeoutMs` after the last outbound packet (§4.3 REQ-6: outbound refresh;
 * inbound refresh is optional and off by default). Filtering permissions live on a mapping and die
 * with it. Hairpinning (§6) is not supported: the simulator drops such packets.
 */
import { addrKey, isIPv6 } from '../../src/core/types.js';
import type { Addr, Millis } from '../../src/core/types.js';

export type NatType = 'full-cone' | 'address-restricted' | 'port-restricted' | 'symmetric';
export type NatDependence = 'endpoint-independent' | 'address-dependent' | 'address-port-dependent';

/** How a NAT box behaves. */
export interface NatBehaviour {
  readonly mapping: NatDependence;
  readonly filtering: NatDependence;
  /** Idle time after which a mapping is gone (default 120 000 ms, RFC 4787 REQ-5's minimum). */
  readonly mappingTimeoutMs: number;
  /** Whether inbound packets also refresh a mapping (default false). */
  readonly inboundRefresh: boolean;
  /** First external port handed out (default 40000); ports are allocated sequentially from it. */
  readonly portBase: number;
  /** Try to keep the internal port as the external port first (RFC 4787 §4.2.1, default false). */
  readonly portPreservation: boolean;
}

const TYPES: Readonly<Record<NatType, Pick<NatBehaviour, 'mapping' | 'filtering'>>> = {
  'full-cone': { mapping: 'endpoint-independent', filtering: 'endpoint-independent' },
  'address-restricted': { mapping: 'endpoint-independent', filtering: 'address-dependent' },
  'port-restricted': { mapping: 'endpoint-independent', filtering: 'address-port-dependent' },
  symmetric: { mapping: 'address-port-dependent', filtering: 'address-port-dependent' },
};

/** The behaviour of a named NAT type, with overrides. */
export function natBehaviour(type: NatType | Partial<NatBehaviour>, over: Partial<NatBehaviour> = {}): NatBehaviour {
  const base = typeof type === 'string' ? TYPES[type] : type;
  const b: NatBehaviour = {
    mapping: 'endpoint-independent',
    filtering: 'endpoint-independent',
    mappingTimeoutMs: 120_000,
    inboundRefresh: false,
    portBase: 40000,
    portPreservation: false,
    ...base,
    ...over,
  };
  if (!(b.mappingTimeoutMs > 0)) throw new RangeError('mappingTimeoutMs must be > 0');
  if (!(b.portBase >= 1 && b.portBase <= 65535)) throw new RangeError('portBase must be a port');
  return b;
}

/** One mapping: internal endpoint <-> external endpoint, plus its filtering permissions. */
export interface NatMapping {
  readonly internal: Addr;
  readonly external: Addr;
  expires: Millis;
  /** Remote keys allowed in: addresses (address-dependent) or addr:port (address-port-dependent). */
  readonly permits: Set<string>;
}

export type NatOutbound =
  | { readonly ok: true; readonly external: Addr; readonly created: boolean }
  | { readonly ok: false; readonly reason: 'nat-no-public-address' | 'nat-ports-exhausted' };
export type NatInbound =
  | { readonly ok: true; readonly internal: Addr }
  | { readonly ok: false; readonly reason: 'nat-no-mapping' | 'nat-filtered' };

function dependentKey(dep: NatDependence, remote: Addr): string {
  if (dep === 'endpoint-independent') return '*';
  return dep === 'address-dependent' ? remote.address : addrKey(remote);
}

/** The translation table of one NAT box. */
export class NatTable {
  private readonly byInternal = new Map<string, NatMapping>();
  private readonly byExternal = new Map<string, NatMapping>();
  private nextPort: number;
  private ops = 0;

  constructor(
    readonly behaviour: NatBehaviour,
    readonly publicAddresses: readonly string[],
  ) {
    this.nextPort = behaviour.portBase;
  }

  /** Live mappings (after expiring idle ones at `now`). */
  mappings(now: Millis): NatMapping[] {
    this.sweep(now);
    return [...this.byExternal.values()];
  }

  /** Translates an outbound packet from `from` (inside) to `to` (outside); creates or refreshes a mapping. */
  outbound(now: Millis, from: Addr, to: Addr): NatOutbound {
    if (++this.ops % 256 === 0) this.sweep(now);
    const pub = this.publicAddresses.find((a) => isIPv6(a) === isIPv6(to.address));
    if (pub === undefined) return { ok: false, reason: 'nat-no-public-address' };
    const key = `${addrKey(from)}|${pub}|${dependentKey(this.behaviour.mapping, to)}`;
    let m = this.byInternal.get(key);
    if (m !== undefined && m.expires <= now) {
      this.remove(key, m);
      m = undefined;
    }
    let created = false;
    if (m === undefined) {
      this.sweep(now);
      const port = this.allocatePort(pub, from.port);
      if (port === undefined) return { ok: false, reason: 'nat-ports-exhausted' };
      m = { internal: from, external: { address: pub, port }, expires: 0, permits: new Set() };
      this.byInternal.set(key, m);
      this.byExternal.set(addrKey(m.external), m);
      created = true;
    }
    m.expires = now + this.behaviour.mappingTimeoutMs;
    m.permits.add(dependentKey(this.behaviour.filtering, to));
    return { ok: true, external: m.external, created };
  }

  /** Translates an inbound packet from `from` (outside) to `to` (a public endpoint), or says why not. */
  inbound(now: Millis, from: Addr, to: Addr): NatInbound {
    const m = this.byExternal.get(addrKey(to));
    if (m === undefined || m.expires <= now) return { ok: false, reason: 'nat-no-mapping' };
    if (!m.permits.has(dependentKey(this.behaviour.filtering, from))) return { ok: false, reason: 'nat-filtered' };
    if (this.behaviour.inboundRefresh) m.expires = now + this.behaviour.mappingTimeoutMs;
    return { ok: true, internal: m.internal };
  }

  private allocatePort(pub: string, internalPort: number): number | undefined {
    const free = (p: number): boolean => !this.byExternal.has(addrKey({ address: pub, port: p }));
    if (this.behaviour.portPreservation && free(internalPort)) return internalPort;
    for (let tries = 0; tries <= 65535 - this.behaviour.portBase; tries++) {
      const p = this.nextPort;
      this.nextPort = p >= 65535 ? this.behaviour.portBase : p + 1;
      if (free(p)) return p;
    }
    return undefined;
  }

  private remove(key: string, m: NatMapping): void {
    this.byInternal.delete(key);
    this.byExternal.delete(addrKey(m.external));
  }

  private sweep(now: Millis): void {
    for (const [key, m] of this.byInternal) if (m.expires <= now) this.remove(key, m);
  }
}
