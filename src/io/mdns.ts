/**
 * The multicast DNS shell (protocol.md §4.7): node:dgram sockets joined to 224.0.0.251:5353 and
 * [ff02::fb]:5353 around the sans-IO `MdnsResolver` (and, when publishing, `MdnsResponder`).
 *
 * ```ts
 * const mdns = await NodeMdns.open({ logger });            // { publish: true } to answer for our names
 * const addrs = await mdns.resolve('1f2e....local');      // string[] | undefined after timeoutMs
 * const name = mdns.publish('198.19.100.5');               // only with publish: true
 * mdns.close();
 * ```
 * Port 5353 is bound with SO_REUSEADDR so it coexists with avahi; if that fails the shell sends
 * one-shot queries from an ephemeral port (RFC 6762 §5.1: responders answer by unicast). A query
 * received from a port other than 5353 is answered by unicast to its source (RFC 6762 §6.7).
 * `groups` and `bindAddress`/`port` exist so tests can run the same code over loopback unicast.
 */
import { createSocket, type Socket } from 'node:dgram';
import { silentLogger, type Logger } from '../core/logger.js';
import { isIPv6, type Addr } from '../core/types.js';
import { MdnsResolver, type MdnsEvent, type MdnsResolverOptions } from '../mdns/resolver.js';
import { MdnsResponder } from '../mdns/responder.js';
import { CryptoRng } from './node-crypto.js';
import { ShellTimer } from './timer.js';
import { systemClock } from './clock.js';

export const MDNS_GROUP_V4: Addr = { address: '224.0.0.251', port: 5353 };
export const MDNS_GROUP_V6: Addr = { address: 'ff02::fb', port: 5353 };

export interface NodeMdnsOptions extends MdnsResolverOptions {
  /** Where queries (and multicast answers) go. Default: both mDNS groups. */
  readonly groups?: readonly Addr[];
  /** Local port to bind (default 5353, falling back to an ephemeral port). */
  readonly port?: number;
  /** Local address to bind for IPv4 (default 0.0.0.0); also the multicast interface when set. */
  readonly bindAddress?: string;
  /** Answer queries for names given out by `publish()` (default false). */
  readonly publish?: boolean;
  /** Answer for the names of this responder (implies `publish`): names can then be given out
   * synchronously, before the sockets are open. */
  readonly responder?: MdnsResponder;
}

function isMulticast(address: string): boolean {
  return isIPv6(address) ? address.toLowerCase().startsWith('ff') : Number(address.split('.')[0]) >= 224 && Number(address.split('.')[0]) <= 239;
}

function bind(type: 'udp4' | 'udp6', address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type, reuseAddr: true, ipv6Only: type === 'udp6' });
    s.once('error', (e) => {
      s.close();
      reject(e);
    });
    s.bind({ address, port }, () => {
      s.removeAllListeners('error');
      resolve(s);
    });
  });
}

async function bindWithFallback(type: 'udp4' | 'udp6', address: string, port: number): Promise<Socket> {
  try {
    return await bind(type, address, port);
  } catch {
    return bind(type, address, 0);
  }
}

export class NodeMdns {
  private readonly resolver: MdnsResolver;
  private readonly responder: MdnsResponder | undefined;
  private readonly timer: ShellTimer;
  private readonly waiters = new Map<string, Array<(a: string[] | undefined) => void>>();
  private closed = false;

  private constructor(
    private readonly sockets: ReadonlyArray<{ readonly socket: Socket; readonly groups: readonly Addr[] }>,
    opts: NodeMdnsOptions,
    private readonly logger: Logger,
  ) {
    this.resolver = new MdnsResolver(opts);
    this.responder = opts.responder ?? (opts.publish === true ? new MdnsResponder(new CryptoRng()) : undefined);
    this.timer = new ShellTimer(systemClock, (now) => {
      this.resolver.handleTimeout(now);
      this.pump();
    });
    for (const { socket } of sockets) {
      socket.on('message', (msg, rinfo) => this.receive(socket, new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), { address: rinfo.address, port: rinfo.port }));
      socket.on('error', (err) => this.logger.log('debug', 'mDNS socket error', { error: err.message }));
    }
  }

  /** Opens the sockets (IPv4 always, IPv6 when a v6 group is asked and joinable). */
  static async open(opts: NodeMdnsOptions = {}): Promise<NodeMdns> {
    const logger = opts.logger ?? silentLogger;
    const groups = opts.groups ?? [MDNS_GROUP_V4, MDNS_GROUP_V6];
    const port = opts.port ?? 5353;
    const sockets: Array<{ socket: Socket; groups: Addr[] }> = [];
    for (const family of ['udp4', 'udp6'] as const) {
      const mine = groups.filter((g) => isIPv6(g.address) === (family === 'udp6'));
      if (mine.length === 0) continue;
      try {
        const socket = await bindWithFallback(family, family === 'udp4' ? (opts.bindAddress ?? '0.0.0.0') : '::', port);
        for (const g of mine) if (isMulticast(g.address)) joinGroup(socket, g.address, family === 'udp4' ? opts.bindAddress : undefined);
        socket.unref(); // idle, a shared resolver never keeps the process alive (ref'd while lookups wait)
        sockets.push({ socket, groups: mine });
      } catch (e: unknown) {
        logger.log(family === 'udp4' ? 'warn' : 'debug', 'mDNS: cannot open socket', { family, error: (e as Error).message });
      }
    }
    return new NodeMdns(sockets, opts, logger);
  }

  /** Resolves a `.local` name: its addresses, or undefined when nobody answered in time. */
  resolve(name: string): Promise<string[] | undefined> {
    if (this.closed || this.sockets.length === 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const key = name.toLowerCase().replace(/\.$/, '');
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]);
      this.keepAlive(true);
      try {
        this.resolver.resolve(systemClock.now(), name);
      } catch (e: unknown) {
        this.logger.log('warn', 'mDNS: not resolvable', { name, error: (e as Error).message });
        this.settle({ type: 'unresolved', name: key });
      }
      this.pump();
    });
  }

  /** Publishes `address` under a fresh `<uuid>.local` name (needs `publish: true`). */
  publish(address: string): string | undefined {
    return this.responder?.publish(address);
  }

  /** The local ports bound (for tests). */
  get localPorts(): number[] {
    return this.sockets.map((s) => s.socket.address().port);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.timer.cancel();
    for (const { socket } of this.sockets) socket.close();
    for (const [name] of this.waiters) this.settle({ type: 'unresolved', name });
  }

  private receive(socket: Socket, data: Uint8Array, from: Addr): void {
    if (this.closed) return;
    this.resolver.handleMessage(systemClock.now(), data);
    const reply = this.responder?.handleMessage(data);
    if (reply) {
      // RFC 6762 §6.7: a querier not on port 5353 gets a unicast answer.
      const targets = from.port !== 5353 ? [from] : (this.sockets.find((s) => s.socket === socket)?.groups ?? []);
      for (const t of targets) socket.send(reply, t.port, t.address);
    }
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    for (let q = this.resolver.pollTransmit(); q !== undefined; q = this.resolver.pollTransmit()) {
      for (const { socket, groups } of this.sockets) for (const g of groups) socket.send(q, g.port, g.address);
    }
    for (let ev = this.resolver.pollEvent(); ev !== undefined; ev = this.resolver.pollEvent()) this.settle(ev);
    this.timer.set(this.resolver.pollTimeout());
  }

  private settle(ev: MdnsEvent): void {
    const list = this.waiters.get(ev.name) ?? [];
    this.waiters.delete(ev.name);
    for (const w of list) w(ev.type === 'resolved' ? [...ev.addresses] : undefined);
    if (this.waiters.size === 0) this.keepAlive(false);
  }

  private keepAlive(on: boolean): void {
    if (this.closed && on) return;
    for (const { socket } of this.sockets) {
      try {
        if (on) socket.ref();
        else socket.unref();
      } catch {
        // a closed socket cannot be ref'd: nothing to keep alive
      }
    }
  }
}

function joinGroup(socket: Socket, group: string, iface: string | undefined): void {
  if (iface !== undefined) socket.setMulticastInterface(iface);
  socket.addMembership(group, iface);
  socket.setMulticastTTL(255); // RFC 6762 §11: IP TTL 255
  socket.setMulticastLoopback(true);
}
