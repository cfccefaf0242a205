/**
 * Which connection a datagram received on a shared UDP socket belongs to (the routing table of
 * `UdpMux`, without sockets). Every connection of the mux has the same local port, so:
 *
 * 1. a STUN Binding request goes to the connection whose local ufrag is the first part of its
 *    USERNAME (`<receiver ufrag>:<sender ufrag>`, RFC 8445 §7.2.2), which then also owns the
 *    request's source address (peer-reflexive candidates included);
 * 2. a STUN response goes to the connection that sent the request with that transaction id (STUN
 *    servers and peers answer every connection from the same address);
 * 3. anything else (DTLS, and STUN not matched above) goes to the connection that owns the
 *    (local, remote) address pair: learnt from 1, or from the connection's own non-STUN sends;
 * 4. otherwise it is dropped and counted.
 *
 * An address pair has one owner: a second connection sending to the same remote address from the
 * same local socket is a conflict (counted, reported once per connection) and keeps the first owner.
 * This is why only one side of a connection may share its socket: a peer must use a port per
 * connection (as browsers do), or DTLS records could not be told apart.
 */
import { addrKey, type Addr, type Datagram } from '../core/types.js';
import { splitMessageType, isStunPacket } from '../stun/header.js';
import { transactionKey } from '../stun/helpers.js';

export interface MuxStats {
  byAddress: number;
  byUfrag: number;
  byTransaction: number;
  /** Datagrams no connection claimed. */
  dropped: number;
  /** Sends to a remote address another connection of the same socket already owns. */
  conflicts: number;
}

export interface MuxRouterOptions<E> {
  /** Outstanding STUN transactions remembered for routing their responses (default 4096; oldest forgotten first). */
  readonly maxTransactions?: number;
  /** Address pairs one connection may own (default 64); a request naming it from more is still delivered. */
  readonly maxRoutesPerConnection?: number;
  /** Called once per connection on its first conflict (see the module comment). */
  readonly onConflict?: (ep: E, remote: string) => void;
}

/** An address pair owned by a connection. */
interface Route<E> {
  readonly local: Addr;
  readonly remote: Addr;
  readonly ep: E;
}

/**
 * Address pairs by remote port, then compared field by field: a lookup per datagram builds no string
 * key (the lists hold one pair, unless several peers send from the same port).
 */
class RouteTable<E> {
  private readonly byPort = new Map<number, Route<E>[]>();
  size = 0;

  get(local: Addr, remote: Addr): Route<E> | undefined {
    const list = this.byPort.get(remote.port);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const r = list[i] as Route<E>;
      if (r.remote.address === remote.address && r.local.port === local.port && r.local.address === local.address) return r;
    }
    return undefined;
  }

  add(route: Route<E>): void {
    const list = this.byPort.get(route.remote.port);
    if (list) list.push(route);
    else this.byPort.set(route.remote.port, [route]);
    this.size++;
  }

  delete(route: Route<E>): void {
    const list = this.byPort.get(route.remote.port);
    const i = list?.indexOf(route) ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.byPort.delete(route.remote.port);
    this.size--;
  }
}

interface Owned<E> {
  readonly routes: Set<Route<E>>;
  readonly transactions: Set<string>;
  ufrag: string | undefined;
  conflicted: boolean;
  /** The last pair this connection sent on (skips the route lookup for every datagram after). */
  lastFrom: unknown;
  lastTo: unknown;
}

const BINDING = 0x001;

/** The STUN class and method of a datagram, or undefined when it is not STUN. */
function stunKind(data: Uint8Array): ReturnType<typeof splitMessageType> | undefined {
  if (data.length < 20 || (data[0] as number) > 3 || !isStunPacket(data)) return undefined;
  return splitMessageType(((data[0] as number) << 8) | (data[1] as number));
}

const USERNAME = 0x0006;
const COLON = 0x3a;
const utf8 = new TextDecoder();

/**
 * The receiver's ufrag of a Binding request: its USERNAME attribute (RFC 8489 §14.3) up to the
 * colon, read from the raw attributes without decoding the message (no object per attribute for a
 * datagram that only needs routing); undefined when absent or malformed. The ICE agent that gets the
 * request checks everything else, integrity included.
 */
function requestUfrag(data: Uint8Array): string | undefined {
  for (let at = 20; at + 4 <= data.length; ) {
    const type = ((data[at] as number) << 8) | (data[at + 1] as number);
    const length = ((data[at + 2] as number) << 8) | (data[at + 3] as number);
    const end = at + 4 + length;
    if (end > data.length) return undefined;
    if (type === USERNAME) {
      const colon = data.subarray(at + 4, end).indexOf(COLON);
      return colon > 0 ? utf8.decode(data.subarray(at + 4, at + 4 + colon)) : undefined;
    }
    at = end + ((4 - (length % 4)) % 4);
  }
  return undefined;
}

export class MuxRouter<E extends object> {
  readonly stats: MuxStats = { byAddress: 0, byUfrag: 0, byTransaction: 0, dropped: 0, conflicts: 0 };
  private readonly routes = new RouteTable<E>();
  private readonly ufrags = new Map<string, E>();
  private readonly transactions = new Map<string, E>();
  private readonly owned = new Map<E, Owned<E>>();
  private readonly maxTransactions: number;
  private readonly maxRoutes: number;

  constructor(private readonly opts: MuxRouterOptions<E> = {}) {
    this.maxTransactions = opts.maxTransactions ?? 4096;
    this.maxRoutes = opts.maxRoutesPerConnection ?? 64;
  }

  /** Starts routing to `ep` (no routes until it sends or a request names its ufrag). */
  add(ep: E): void {
    if (!this.owned.has(ep)) this.owned.set(ep, { routes: new Set(), transactions: new Set(), ufrag: undefined, conflicted: false, lastFrom: undefined, lastTo: undefined });
  }

  /** `ep`'s current local ICE ufrag (undefined before it has an ICE agent); call again after an ICE restart. */
  setUfrag(ep: E, ufrag: string | undefined): void {
    const o = this.owned.get(ep);
    if (!o || o.ufrag === ufrag) return;
    if (o.ufrag !== undefined && this.ufrags.get(o.ufrag) === ep) this.ufrags.delete(o.ufrag);
    o.ufrag = ufrag;
    if (ufrag !== undefined && !this.ufrags.has(ufrag)) this.ufrags.set(ufrag, ep);
  }

  /** The connection a received datagram (`to` = the receiving socket's address) belongs to, or undefined (dropped). */
  route(dg: Datagram): E | undefined {
    const kind = stunKind(dg.data);
    if (kind?.cls === 'request' && kind.method === BINDING) {
      const ufrag = requestUfrag(dg.data);
      const ep = ufrag === undefined ? undefined : this.ufrags.get(ufrag);
      if (ep) {
        this.stats.byUfrag++;
        this.claim(ep, dg.to, dg.from);
        return ep;
      }
    } else if (kind?.cls === 'success' || kind?.cls === 'error') {
      const id = transactionKey(dg.data.subarray(8, 20));
      const ep = this.transactions.get(id);
      if (ep) {
        this.transactions.delete(id);
        this.owned.get(ep)?.transactions.delete(id);
        this.stats.byTransaction++;
        return ep;
      }
    }
    const ep = this.routes.get(dg.to, dg.from)?.ep;
    if (ep) this.stats.byAddress++;
    else this.stats.dropped++;
    return ep;
  }

  /** Learns from a datagram `ep` sends: a STUN request's transaction id, or else the address pair. */
  sent(ep: E, dg: Datagram): void {
    const o = this.owned.get(ep);
    if (!o || (dg.from === o.lastFrom && dg.to === o.lastTo)) return;
    const kind = stunKind(dg.data);
    if (kind?.cls === 'request') return this.remember(ep, o, transactionKey(dg.data.subarray(8, 20)));
    if (kind) return; // responses and indications: the request that came in already placed them
    if (this.claim(ep, dg.from, dg.to)) {
      o.lastFrom = dg.from;
      o.lastTo = dg.to;
    }
  }

  /** Forgets every route, transaction and the ufrag of `ep`. */
  remove(ep: E): void {
    const o = this.owned.get(ep);
    if (!o) return;
    this.owned.delete(ep);
    for (const r of o.routes) this.routes.delete(r);
    for (const k of o.transactions) if (this.transactions.get(k) === ep) this.transactions.delete(k);
    if (o.ufrag !== undefined && this.ufrags.get(o.ufrag) === ep) this.ufrags.delete(o.ufrag);
  }

  /** Number of address routes (tests, stats). */
  get routeCount(): number {
    return this.routes.size;
  }

  private claim(ep: E, local: Addr, remote: Addr): boolean {
    const owner = this.routes.get(local, remote)?.ep;
    if (owner === ep) return true;
    const o = this.owned.get(ep);
    if (!o) return false;
    if (owner === undefined) {
      if (o.routes.size >= this.maxRoutes) return false;
      const route = { local, remote, ep };
      this.routes.add(route);
      o.routes.add(route);
      return true;
    }
    this.stats.conflicts++;
    if (!o.conflicted) {
      o.conflicted = true;
      this.opts.onConflict?.(ep, `${addrKey(local)}>${addrKey(remote)}`);
    }
    return false;
  }

  private remember(ep: E, o: Owned<E>, id: string): void {
    if (this.transactions.size >= this.maxTransactions && !this.transactions.has(id)) {
      const oldest = this.transactions.keys().next().value as string;
      this.owned.get(this.transactions.get(oldest) as E)?.transactions.delete(oldest);
      this.transactions.delete(oldest);
    }
    this.transactions.set(id, ep);
    o.transactions.add(id);
  }
}
