import { createSocket, type Socket } from 'node:dgram';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { setImmediate } from 'node:timers';
import { addrKey, isIPv6, type Addr, type Datagram } from '../core/types.js';

export interface UdpSocketSetOptions {
  /** Local IP literals to bind, one socket each (IPv4 and IPv6). */
  readonly addresses: readonly string[];
  /** A fixed port, 0 for an ephemeral one (default), or a range tried in order. */
  readonly port?: number | { readonly min: number; readonly max: number };
  /** Received datagrams, with `to` = the receiving socket's address. Settable later. */
  readonly onMessage?: (dg: Datagram) => void;
  /** Socket or send errors (ICMP unreachable, EMSGSIZE...). They never throw. */
  readonly onError?: (err: Error, local: Addr) => void;
  /**
   * SO_RCVBUF / SO_SNDBUF in bytes (the kernel caps them at net.core.rmem_max / wmem_max). Default
   * 1 MiB: with Linux's 208 KiB default a burst of one congestion window (SCTP, 1200-byte packets)
   * overflowed a receiver busy sealing its own records, and every drop cost a retransmission (or a
   * 400 ms T3 stall). It is a limit, not an allocation. 0 keeps the system default.
   */
  readonly bufferBytes?: number;
}

const DEFAULT_BUFFER_BYTES = 1024 * 1024;
/** Event-loop turns close() waits at most for dgram's queued sends (each turn writes what the kernel takes). */
const MAX_DRAIN_TURNS = 1000;

interface Bound {
  readonly socket: Socket;
  readonly local: Addr;
  /** The local address is IPv6 (sends go only to the same family). */
  v6?: boolean;
  /** The socket's one send callback when send errors are wanted (no closure per datagram). */
  sent?: ((err: Error | null) => void) | undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves every destination before sending, and dns.lookup answers even an IP literal on the
 * next tick: each datagram then left only after the whole job that produced it (a burst of sealed
 * SCTP packets went out together at its end, while the receiving process sat idle; issue 6, bulk).
 * The cores only ever send to IP literals, so they are answered at once and the datagram leaves
 * inside send(); a name (none are sent today) still goes through dns.lookup.
 */
function literalLookup(hostname: string, options: number | LookupOneOptions, callback: LookupCallback): void {
  const family = isIP(hostname);
  if (family !== 0) return callback(null, hostname, family);
  dnsLookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
}

function newSocket(address: string, bufferBytes: number): Socket {
  const buffers = bufferBytes > 0 ? { recvBufferSize: bufferBytes, sendBufferSize: bufferBytes } : {};
  return createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', ipv6Only: isIPv6(address), lookup: literalLookup, ...buffers });
}

/**
 * A socket bound before bind() returns, else undefined (closed). node:dgram binds an IP literal
 * through literalLookup synchronously, 'listening' included (node 20); anything else (an error, a
 * later 'listening') means: use the asynchronous path, which reports errors.
 */
function bindOneNow(address: string, port: number, bufferBytes: number): Socket | undefined {
  const socket = newSocket(address, bufferBytes);
  let bound = false;
  let failed = false;
  const fail = (): void => void (failed = true);
  socket.once('error', fail);
  socket.bind({ address, port, exclusive: true }, () => void (bound = true));
  socket.off('error', fail);
  if (bound && !failed) return socket;
  socket.removeAllListeners('listening');
  socket.close();
  return undefined;
}

function bindOne(address: string, port: number, bufferBytes: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = newSocket(address, bufferBytes);
    const fail = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', fail);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

async function bindInRange(address: string, port: UdpSocketSetOptions['port'], bufferBytes: number): Promise<Socket> {
  if (port === undefined || typeof port === 'number') return bindOne(address, port ?? 0, bufferBytes);
  for (let p = port.min; ; p++) {
    try {
      return await bindOne(address, p, bufferBytes);
    } catch (e: unknown) {
      if (p >= port.max || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
}

/** One node:dgram socket per local address; sends from the socket matching `dg.from`. */
export class UdpSocketSet {
  onMessage: ((dg: Datagram) => void) | undefined;
  private readonly byKey = new Map<string, Bound>();
  /** Sends handed to dgram whose callback has not run yet. */
  private inflight = 0;
  private drained: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly bound: Bound[],
    private readonly onError: ((err: Error, local: Addr) => void) | undefined,
  ) {
    for (let i = 0; i < bound.length; i++) {
      const b = bound[i] as Bound;
      this.byKey.set(addrKey(b.local), b);
      b.v6 = isIPv6(b.local.address);
      // A completion callback only when someone wants send errors: dgram calls it through
      // process.nextTick, a tick and its async-hook bookkeeping per datagram (issue 6). Without it,
      // close() waits on dgram's own send queue instead (closeAfterSends).
      b.sent = onError
        ? (err) => {
            if (err) onError(err, b.local);
            if (--this.inflight === 0) this.drained?.();
          }
        : undefined;
      b.socket.on('message', (msg, rinfo) => {
        // A plain Uint8Array view: Buffer#slice does not copy, and cores rely on slice() copying.
        const data = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
        this.onMessage?.({ from: { address: rinfo.address, port: rinfo.port }, to: b.local, data });
      });
      b.socket.on('error', (err) => this.onError?.(err, b.local));
    }
  }

  /**
   * Binds every address before returning, when node:dgram does so for each (IP literals, no port
   * range); else undefined, with nothing left open: use bind(). A connection's sockets then exist
   * when its offer or answer is made, not a tick later (issue 6 setup).
   */
  static bindNow(opts: UdpSocketSetOptions): UdpSocketSet | undefined {
    if (typeof opts.port === 'object') return undefined;
    const sockets: Socket[] = [];
    const addresses = opts.addresses;
    for (let i = 0; i < addresses.length; i++) {
      const a = addresses[i] as string;
      const s = isIP(a) !== 0 ? bindOneNow(a, opts.port ?? 0, opts.bufferBytes ?? DEFAULT_BUFFER_BYTES) : undefined;
      if (!s) {
        for (let j = 0; j < sockets.length; j++) (sockets[j] as Socket).close();
        return undefined;
      }
      sockets.push(s);
    }
    return UdpSocketSet.fromSockets(sockets, opts);
  }

  private static fromSockets(sockets: readonly Socket[], opts: UdpSocketSetOptions): UdpSocketSet {
    const bound = sockets.map((socket, i) => ({ socket, local: { address: opts.addresses[i] as string, port: socket.address().port } }));
    const set = new UdpSocketSet(bound, opts.onError);
    set.onMessage = opts.onMessage;
    return set;
  }

  /** Binds every address (all or nothing: on failure the sockets already bound are closed). */
  static async bind(opts: UdpSocketSetOptions): Promise<UdpSocketSet> {
    const settled = await Promise.allSettled(opts.addresses.map((a) => bindInRange(a, opts.port, opts.bufferBytes ?? DEFAULT_BUFFER_BYTES)));
    const sockets = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      for (let i = 0; i < sockets.length; i++) (sockets[i] as Socket).close();
      throw failed.reason;
    }
    return UdpSocketSet.fromSockets(sockets, opts);
  }

  /** The bound addresses (give them to the core, e.g. IceAgent.addLocalAddress). */
  get localAddresses(): Addr[] {
    return this.bound.map((b) => b.local);
  }

  /** SO_RCVBUF / SO_SNDBUF of each socket as the kernel set them (Linux reports twice the request). */
  get bufferSizes(): { recv: number; send: number }[] {
    return this.bound.map((b) => ({ recv: b.socket.getRecvBufferSize(), send: b.socket.getSendBufferSize() }));
  }

  /** The smallest SO_RCVBUF of the set as the kernel reports it (twice what it holds); undefined without sockets. */
  get receiveBuffer(): number | undefined {
    const sizes = this.bufferSizes;
    return sizes.length > 0 ? Math.min(...sizes.map((b) => b.recv)) : undefined;
  }

  /** Sends from the socket bound to `dg.from`; false when there is none or the family differs. */
  send(dg: Datagram): boolean {
    const b = this.byKey.get(addrKey(dg.from));
    if (!b || b.v6 !== dg.to.address.includes(':')) return false;
    if (b.sent) {
      this.inflight++;
      b.socket.send(dg.data, dg.to.port, dg.to.address, b.sent);
    } else b.socket.send(dg.data, dg.to.port, dg.to.address);
    return true;
  }

  /**
   * Stops receiving and sending, lets the sends already handed to dgram leave (an IP-literal send
   * happens on a later tick: closing at once, e.g. from a promise job, dropped the last SCTP ABORT and
   * DTLS close_notify), then closes every socket; resolves once they are all closed.
   */
  close(): Promise<void> {
    return (this.closing ??= this.closeAfterSends());
  }

  private async closeAfterSends(): Promise<void> {
    this.onMessage = undefined;
    const open = this.bound.splice(0);
    this.byKey.clear();
    if (this.inflight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    // sends without a callback: those the kernel took at once are gone; dgram queues the others
    // (a full socket buffer) until it can write them, and closing would cancel them
    for (let turn = 0; turn < MAX_DRAIN_TURNS && open.some((b) => b.socket.getSendQueueCount() > 0); turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.all(open.map((b) => new Promise<void>((resolve) => b.socket.close(() => resolve()))));
  }
}
