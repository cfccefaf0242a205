/**
 * The simulated topology: realms (the public internet, or the inside of a NAT box) holding nodes
 * (hosts and NAT boxes) by address. Each node hangs off its realm by an access link: `link.up`
 * carries what the node sends, `link.down` what it receives. A packet between two public hosts
 * crosses the sender's `up` then the receiver's `down`; through a NAT it also crosses the NAT's link.
 *
 * Automatic addresses (documentation ranges, RFC 5737/6890 and RFC 3849):
 *   public hosts and NAT boxes   198.18.0.1, 198.18.0.2, ...   (IPv6 on request: 2001:db8::1, ...)
 *   hosts behind the k-th NAT    198.19.k.1, 198.19.k.2, ...   (IPv6 on request: 2001:db8:k::1, ...)
 */
import type { Datagram } from '../../src/core/types.js';
import type { Attached } from './attach.js';
import type { Link } from './link.js';
import type { NatTable } from './nat.js';

/** An address space: the internet (no gateway) or the private side of a NAT box. */
export class Realm {
  readonly nodes = new Map<string, Host | NatBox>();
  private nextV4 = 1;
  private nextV6 = 1;

  constructor(
    readonly name: string,
    /** The NAT box this realm sits behind, undefined for the internet (set once by sim.nat()). */
    public gateway: NatBox | undefined,
    private readonly v4Prefix: string,
    private readonly v6Prefix: string,
  ) {}

  /** Next unused automatic IPv4 address. */
  allocV4(): string {
    for (;;) {
      const a = `${this.v4Prefix}.${this.nextV4++}`;
      if (!this.nodes.has(a)) return a;
    }
  }

  /** Next unused automatic IPv6 address. */
  allocV6(): string {
    for (;;) {
      const a = `${this.v6Prefix}::${(this.nextV6++).toString(16)}`;
      if (!this.nodes.has(a)) return a;
    }
  }

  /** Registers a node's addresses; throws on duplicates (a test bug). */
  add(node: Host | NatBox, addresses: readonly string[]): void {
    for (const a of addresses) {
      const other = this.nodes.get(a);
      if (other !== undefined) throw new Error(`address ${a} already used by ${other.name} in ${this.name}`);
    }
    for (const a of addresses) this.nodes.set(a, node);
  }
}

/** A simulated machine with one or more addresses. Cores are attached to it with `sim.attach`. */
export class Host {
  readonly kind = 'host';
  /** @internal attachments in order; the first whose ports match receives a datagram. */
  readonly attachments: Array<{ ports: readonly number[] | undefined; deliver(dg: Datagram): void; att: Attached<unknown> }> = [];

  constructor(
    readonly name: string,
    readonly addresses: readonly string[],
    /** Access link to the realm: `up` = sent by this host, `down` = received. */
    readonly link: Link<Datagram>,
    readonly realm: Realm,
  ) {}

  /** The first address of the wanted family (for building Addr values in tests). */
  address(family: 4 | 6 = 4): string {
    const a = this.addresses.find((x) => x.includes(':') === (family === 6));
    if (a === undefined) throw new Error(`host ${this.name} has no IPv${family} address`);
    return a;
  }
}

/** A NAT box: public addresses in its outer realm, a private realm inside. */
export class NatBox {
  readonly kind = 'nat';

  constructor(
    readonly name: string,
    readonly publicAddresses: readonly string[],
    readonly table: NatTable,
    /** Access link to the outer realm: `up` = leaving the NAT outward, `down` = arriving from outside. */
    readonly link: Link<Datagram>,
    readonly realm: Realm,
    readonly inside: Realm,
  ) {}
}
