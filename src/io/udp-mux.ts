/**
 * Shared UDP sockets ("single port" mode, as servers run ICE): every connection opened on one
 * `UdpMux` uses the same socket per local address, so a thousand connections need a handful of
 * file descriptors instead of a thousand, and all host candidates carry the same port. Received
 * datagrams are routed by `MuxRouter` (udp-mux-router.ts: STUN username, STUN transaction, address
 * pair; the rest dropped and counted). A socket is bound on first use and closed when its last
 * connection closes (a later connection binds it again: give `port` for a stable one).
 *
 * Only one side of a connection may share: the peer must use a port per connection, as browsers do
 * (two muxes talking to each other would carry every connection on one address pair, and DTLS
 * records cannot be told apart). TURN allocations need their own 5-tuple too: the Node binding gives
 * connections with TURN servers their own sockets.
 */
import type { Addr, Datagram } from '../core/types.js';
import { MuxRouter, type MuxStats } from './udp-mux-router.js';
import { UdpSocketSet } from './udp.js';

export interface UdpMuxOptions {
  /** Port (or range tried in order) of each shared socket; default ephemeral. */
  readonly port?: number | { readonly min: number; readonly max: number };
  /**
   * SO_RCVBUF / SO_SNDBUF of each shared socket (see UdpSocketSetOptions). Default 4 MiB, four times
   * a socket of one connection's: one queue takes every connection's datagrams, and Node reads at
   * most 32 of them per event-loop turn. A limit, not an allocation (capped at net.core.rmem_max).
   */
  readonly bufferBytes?: number;
  /** Socket or send errors; they never throw. */
  readonly onError?: (err: Error, local: Addr) => void;
  /** Outstanding STUN transactions remembered for routing responses (default 4096). */
  readonly maxTransactions?: number;
}

const DEFAULT_SHARED_BUFFER_BYTES = 4 * 1024 * 1024;

interface Slot {
  readonly ready: Promise<UdpSocketSet>;
  users: number;
  set?: UdpSocketSet;
}

/** One connection's view of the shared sockets: the shape of UdpSocketSet (DatagramTransport + localAddresses + close). */
export class MuxEndpoint {
  onMessage: ((dg: Datagram) => void) | undefined;
  /** This connection sent to a remote address another connection of the mux owns (once; see udp-mux-router.ts). */
  onConflict: ((remote: string) => void) | undefined;
  private closed = false;

  /** @internal made by UdpMux.open */
  constructor(
    private readonly mux: UdpMux,
    private readonly sets: ReadonlyMap<string, UdpSocketSet>,
    readonly localAddresses: Addr[],
  ) {}

  /** Sends from the shared socket bound to `dg.from`; false when there is none or after close. */
  send(dg: Datagram): boolean {
    const set = this.sets.get(dg.from.address);
    if (this.closed || !set) return false;
    this.mux.router.sent(this, dg);
    return set.send(dg);
  }

  /** This connection's local ICE ufrag (STUN requests naming it are routed here); again after an ICE restart. */
  setUfrag(ufrag: string | undefined): void {
    if (!this.closed) this.mux.router.setUfrag(this, ufrag);
  }

  /** Removes this connection's routes; the sockets close with the mux's last connection. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.onMessage = undefined;
    return this.mux.release(this, [...this.sets.keys()]);
  }
}

export class UdpMux {
  /** @internal */
  readonly router: MuxRouter<MuxEndpoint>;
  private readonly slots = new Map<string, Slot>();
  /** Sockets still closing, by address (a new bind of a fixed port waits for them). */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(private readonly opts: UdpMuxOptions = {}) {
    this.router = new MuxRouter<MuxEndpoint>({
      ...(opts.maxTransactions !== undefined ? { maxTransactions: opts.maxTransactions } : {}),
      onConflict: (ep, remote) => ep.onConflict?.(remote),
    });
  }

  /** Routing counters: datagrams routed by address, ufrag and transaction, dropped, and conflicts. */
  get stats(): Readonly<MuxStats> {
    return this.router.stats;
  }

  /** The shared sockets bound now. */
  get localAddresses(): Addr[] {
    return [...this.slots.values()].flatMap((s) => s.set?.localAddresses ?? []);
  }

  /** A connection on the shared sockets of `addresses` (bound on first use; all or nothing). */
  async open(wanted: readonly string[]): Promise<MuxEndpoint> {
    const addresses = [...new Set(wanted)];
    const slots = addresses.map((a) => this.acquire(a));
    const settled = await Promise.allSettled(slots.map((s) => s.ready));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      for (const a of addresses) this.drop(a);
      throw failed.reason;
    }
    const sets = new Map<string, UdpSocketSet>();
    const locals: Addr[] = [];
    for (const s of settled as PromiseFulfilledResult<UdpSocketSet>[]) {
      const local = s.value.localAddresses[0] as Addr;
      sets.set(local.address, s.value);
      locals.push(local);
    }
    const ep = new MuxEndpoint(this, sets, locals);
    this.router.add(ep);
    return ep;
  }

  /** @internal MuxEndpoint.close */
  async release(ep: MuxEndpoint, addresses: readonly string[]): Promise<void> {
    this.router.remove(ep);
    await Promise.all(addresses.map((a) => this.drop(a)));
  }

  private acquire(address: string): Slot {
    let slot = this.slots.get(address);
    if (!slot) {
      const before = this.closing.get(address) ?? Promise.resolve();
      const ready = before.then(() => this.bind(address));
      const s: Slot = { ready, users: 0 };
      ready.then(
        (set) => (s.set = set),
        () => undefined, // failures reach open(); the slot is dropped there
      );
      this.slots.set(address, (slot = s));
    }
    slot.users++;
    return slot;
  }

  private async bind(address: string): Promise<UdpSocketSet> {
    const set = await UdpSocketSet.bind({
      addresses: [address],
      ...(this.opts.port !== undefined ? { port: this.opts.port } : {}),
      bufferBytes: this.opts.bufferBytes ?? DEFAULT_SHARED_BUFFER_BYTES,
      ...(this.opts.onError ? { onError: this.opts.onError } : {}),
    });
    set.onMessage = (dg) => this.router.route(dg)?.onMessage?.(dg);
    return set;
  }

  /** One user fewer on the socket of `address`; the last one closes it. */
  private async drop(address: string): Promise<void> {
    const slot = this.slots.get(address);
    if (!slot || --slot.users > 0) return;
    this.slots.delete(address);
    const done = slot.ready.then(
      (set) => set.close(),
      () => undefined,
    );
    this.closing.set(address, done);
    await done;
    if (this.closing.get(address) === done) this.closing.delete(address);
  }
}
