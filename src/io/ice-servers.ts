/**
 * The I/O half of `initialize({ iceServers })` for one connection: host names resolved (src/io/dns.ts),
 * TURN over TCP and TLS through one `TurnStream` per URL (RFC 6544-style framing), and what the ICE
 * agent needs from all that: `stun` (addresses) and `turn` (`TurnServerConfig`s; a server that
 * needs a name resolved or a stream opened is given to the agent as `connect`, and delivered to it
 * when ready, or with the reason it failed). Nothing here blocks another server: each URL is
 * resolved and connected on its own, failures are logged with the URL and the reason.
 *
 * The shell routes with it: `send(dg)` writes transmits from a stream's local address to that
 * stream (else returns undefined: UDP's business), `onMessage` receives what the streams bring,
 * `pump` runs after each delivery to the agent, `close()` ends the streams.
 *
 * TLS (`turns:`): the chain is verified and the name checked: the URL host (SNI too), or the ice
 * server's `tlsServerName` (for IP-literal URLs); `tlsCa` adds trusted CA / self-signed PEM certificates.
 */
import type { Logger } from '../core/logger.js';
import type { Addr, Datagram, Millis } from '../core/types.js';
import { isIPv6, sameAddr } from '../core/types.js';
import type { TurnServerConfig, TurnServerReady } from '../ice/relay.js';
import type { IceServerProblem, IceServerUrl } from '../turn/url.js';
import { resolveHost, type HostLookup } from './dns.js';
import { TurnStream, TurnStreamError } from './turn-stream.js';

export interface IceServerLinkOptions {
  readonly logger: Logger;
  readonly now: () => Millis;
  /** Our UDP addresses: UDP servers get an address of a family we have. */
  readonly localAddresses: readonly string[];
  /** DNS timeout per name (default 5000 ms). */
  readonly dnsTimeoutMs?: number;
  /** TCP/TLS connect timeout per address (default 5000 ms). */
  readonly connectTimeoutMs?: number;
  /** The resolver (default the system's); tests inject failures. */
  readonly lookup?: HostLookup;
}

type TurnUrlEntry = Extract<IceServerUrl, { kind: 'turn' }>;
type Deliver = (now: Millis, r: TurnServerReady) => void;

/** Results wait here until the agent exists (it asks through `connect` when it is made). */
class Mailbox {
  private deliver: Deliver | undefined;
  private readonly queued: TurnServerReady[] = [];
  constructor(private readonly links: IceServerLinks) {}
  connect(deliver: Deliver): void {
    this.deliver = deliver;
    const waiting = this.queued.splice(0);
    for (let i = 0; i < waiting.length; i++) this.post(waiting[i] as TurnServerReady);
  }
  post(r: TurnServerReady): void {
    const deliver = this.deliver;
    if (!deliver) return void this.queued.push(r);
    // Never from inside connect() (the agent is being built) nor inside a socket callback's caller.
    queueMicrotask(() => this.links.deliver(deliver, r));
  }
}

export class IceServerLinks {
  /** STUN servers, IP literals at once, names as they resolve (taken when the ICE agent is made). */
  readonly stun: Addr[] = [];
  private stunTaken = false;
  /** TURN servers for the agent's options. */
  readonly turn: TurnServerConfig[] = [];
  onMessage: ((dg: Datagram) => void) | undefined;
  pump: (() => void) | undefined;
  private readonly streams: TurnStream[] = [];
  private closed = false;

  /** `refused`: URLs parseIceServers refused; turn:/turns: ones are shown as failed relays (stats). */
  constructor(
    urls: readonly IceServerUrl[],
    private readonly o: IceServerLinkOptions,
    refused: readonly IceServerProblem[] = [],
  ) {
    for (let i = 0; i < urls.length; i++) {
      const u = urls[i] as IceServerUrl;
      if (u.kind === 'stun') this.addStun(u);
      else this.addTurn(u);
    }
    for (let i = 0; i < refused.length; i++) this.addRefused(refused[i] as IceServerProblem);
  }

  /** A transmit from one of our TURN streams: written to it (true/false), or undefined (not ours). */
  send(dg: Datagram): boolean | undefined {
    const s = this.streams.find((x) => sameAddr(x.local, dg.from) && sameAddr(x.server, dg.to));
    return s ? s.send(dg) : undefined;
  }

  /** The STUN servers for the ICE agent being made now; names resolving later are logged, not used. */
  takeStun(): Addr[] {
    this.stunTaken = true;
    return [...this.stun];
  }

  close(): void {
    this.closed = true;
    const streams = this.streams.splice(0);
    for (let i = 0; i < streams.length; i++) (streams[i] as TurnStream).close();
  }

  /** @internal Mailbox → agent, then the driver runs. */
  deliver(deliver: Deliver, r: TurnServerReady): void {
    if (this.closed) return;
    deliver(this.o.now(), r);
    this.pump?.();
  }

  private addStun(u: Extract<IceServerUrl, { kind: 'stun' }>): void {
    if (u.secure) return void this.o.logger.log('warn', 'ICE server ignored: stuns: (STUN over TLS) is not supported; use stun:', { url: u.url });
    if (u.literal) return void this.stun.push({ address: u.host, port: u.port });
    void this.resolve(u.url, u.host).then((addresses) => {
      if (!addresses || this.closed) return;
      if (this.stunTaken) this.o.logger.log('info', 'STUN server name resolved after the offer/answer was made: not used by this connection', { url: u.url });
      const usable = this.usable(addresses, true);
      for (let i = 0; i < usable.length; i++) this.stun.push({ address: usable[i] as string, port: u.port });
    });
  }

  private addTurn(u: TurnUrlEntry): void {
    const base = { username: u.username, credential: u.credential, url: u.url, transport: u.transport };
    if (u.transport === 'udp' && u.literal) return void this.turn.push({ ...base, server: { address: u.host, port: u.port } });
    const box = new Mailbox(this);
    this.turn.push({ ...base, connect: (deliver) => box.connect(deliver) });
    void this.open(u, box).then((r) => {
      if (!this.closed) box.post(r);
    });
  }

  /** A refused TURN URL (bad transport, no credentials, ...) reaches the agent as a failed server, for getIceStats(). */
  private addRefused(p: IceServerProblem): void {
    const url = p.url.trim();
    if (!/^turns?:/i.test(url)) return;
    const transport = /^turns:/i.test(url) ? 'tls' : /\?transport=tcp$/i.test(url) ? 'tcp' : 'udp';
    const box = new Mailbox(this);
    this.turn.push({ username: '', credential: '', url: p.url, transport, connect: (deliver) => box.connect(deliver) });
    box.post({ error: `refused: ${p.reason}` });
  }

  /** Resolves, then (TCP/TLS) connects: the address to allocate on, or why not. */
  private async open(u: TurnUrlEntry, box: Mailbox): Promise<TurnServerReady> {
    const addresses = u.literal ? [u.host] : await this.resolve(u.url, u.host);
    if (!addresses) return { error: `DNS: ${u.host} not resolved` };
    if (u.transport === 'udp') {
      const address = this.usable(addresses, false)[0];
      return address !== undefined ? { server: { address, port: u.port } } : { error: 'no address' };
    }
    let reason = 'no address';
    for (let i = 0; i < addresses.length; i++) {
      const r = await this.connectStream(u, addresses[i] as string, box);
      if (!('reason' in r)) return r;
      reason = r.reason;
    }
    return { error: reason };
  }

  private async connectStream(u: TurnUrlEntry, address: string, box: Mailbox): Promise<TurnServerReady | { reason: string }> {
    const servername = u.tlsServerName ?? (u.literal ? undefined : u.host);
    try {
      const stream = await TurnStream.connect({
        transport: u.transport === 'tls' ? 'tls' : 'tcp',
        server: { address, port: u.port },
        ...(servername !== undefined ? { servername } : {}),
        ...(u.tlsCa !== undefined ? { ca: u.tlsCa } : {}),
        connectTimeoutMs: this.o.connectTimeoutMs ?? 5000,
        logger: this.o.logger,
      });
      if (this.closed) return (stream.close(), { reason: 'connection closed' });
      this.streams.push(stream);
      stream.onMessage = (dg) => this.onMessage?.(dg);
      // Posted after the ready result (a close event comes in a later task than this chain).
      stream.onClose = (err) => this.lost(u, stream, err, box);
      return { server: stream.server, local: stream.local };
    } catch (e: unknown) {
      return { reason: e instanceof TurnStreamError ? e.reason : String(e) };
    }
  }

  /** The stream ended while in use: the agent hears it through the same connect channel. */
  private lost(u: TurnUrlEntry, stream: TurnStream, err: TurnStreamError | undefined, box: Mailbox): void {
    const i = this.streams.indexOf(stream);
    if (i >= 0) this.streams.splice(i, 1);
    if (this.closed) return;
    const reason = `stream lost: ${err?.reason ?? 'closed by the server'}`;
    this.o.logger.log('warn', 'TURN stream lost', { url: u.url, reason });
    box.post({ error: reason });
  }

  private async resolve(url: string, host: string): Promise<readonly string[] | undefined> {
    const r = await resolveHost(host, { timeoutMs: this.o.dnsTimeoutMs ?? 5000, ...(this.o.lookup ? { lookup: this.o.lookup } : {}) });
    if ('reason' in r) {
      this.o.logger.log('warn', 'ICE server name not resolved', { url, reason: r.reason });
      return undefined;
    }
    return r.addresses;
  }

  /** Addresses of a family we have a local address of, or all when none is (all: one per family; else the first). */
  private usable(addresses: readonly string[], all: boolean): string[] {
    const ours = (a: string): boolean => this.o.localAddresses.some((l) => isIPv6(l) === isIPv6(a));
    const ok = addresses.some(ours) ? addresses.filter(ours) : [...addresses];
    if (!all) return ok.slice(0, 1);
    const v4 = ok.find((a) => !isIPv6(a));
    const v6 = ok.find((a) => isIPv6(a));
    return [v4, v6].filter((a): a is string => a !== undefined);
  }
}
