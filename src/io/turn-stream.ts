/**
 * TURN over TCP and TLS (RFC 8656 §3.1, `turn:...?transport=tcp` and `turns:`): one node:net or
 * node:tls connection to the TURN server, cut into whole STUN / ChannelData messages by the sans-IO
 * `StreamDeframer`. It is a `DatagramTransport`, so `new Driver(turnClient, stream)` pumps a
 * `TurnClient` over it exactly as over UDP: received messages come out as datagrams `from: server`,
 * `to: stream.local`; transmits are written as they are (TurnClient pads ChannelData on streams).
 *
 * ```ts
 * const stream = await TurnStream.connect({ transport: 'tls', server: { address: '198.18.3.2', port: 5349 },
 *   servername: 'turn.example', ca: pemOfSelfSignedCert });     // rejects with a readable TurnStreamError
 * const turn = new TurnClient({ server: stream.server, local: stream.local, transport: 'tls', ... });
 * const driver = new Driver(turn, stream, { onEvent }); turn.allocate(now); driver.pump();
 * ```
 * TLS: the certificate chain is verified and the server name checked (node:tls `checkServerIdentity`,
 * RFC 6125) against `servername` (also sent as SNI), or against the IP address (IP SANs) when there is
 * no name. `ca` adds trust
 * in a given CA or self-signed certificate (PEM); verification is never switched off.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Addr, Datagram } from '../core/types.js';
import { isIpLiteral } from '../ice/binding.js';
import { StreamDeframer } from '../turn/stream-framing.js';
import type { DatagramTransport } from './driver.js';

export interface TurnStreamOptions {
  readonly transport: 'tcp' | 'tls';
  /** The server's resolved address. */
  readonly server: Addr;
  /** Host name from the URL, for SNI and the certificate check (default: the address). */
  readonly servername?: string;
  /** Extra trusted CA or self-signed certificate(s), PEM. */
  readonly ca?: string | readonly string[];
  /** Local address to connect from (host candidate filtering). */
  readonly localAddress?: string;
  /** Give up connecting after this long (default 10000 ms). */
  readonly connectTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Why a TURN stream could not be opened or died, with the server named (for logs and stats). */
export class TurnStreamError extends Error {
  override readonly name = 'TurnStreamError';
  constructor(
    readonly server: string,
    readonly reason: string,
    readonly errno?: string,
  ) {
    super(`TURN server ${server}: ${reason}`);
  }
}

function describe(e: NodeJS.ErrnoException, transport: string): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused (nothing listens for TURN over ${transport} there)`;
    case 'ETIMEDOUT':
      return 'connect timed out (server unreachable or filtered)';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `TLS certificate not trusted (${e.message}); trust its CA or the self-signed certificate with the ice server's \`tlsCa\` (TurnStream: \`ca\`)`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate does not match the server name (${e.message})`;
    default:
      return e.message;
  }
}

export class TurnStream implements DatagramTransport {
  onMessage: ((dg: Datagram) => void) | undefined;
  /** Called once when the connection ends (error or close), with the reason. */
  onClose: ((err: TurnStreamError | undefined) => void) | undefined;
  private readonly deframer = new StreamDeframer('turn');
  private ended = false;

  private constructor(
    private readonly socket: Socket | TLSSocket,
    readonly server: Addr,
    readonly local: Addr,
    private readonly label: string,
    private readonly logger: Logger,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', (e: NodeJS.ErrnoException) => this.end(new TurnStreamError(label, describe(e, 'a stream'), e.code)));
    socket.on('close', () => this.end(undefined));
  }

  /** Opens the connection (TLS: handshake done and certificate verified). */
  static connect(opts: TurnStreamOptions): Promise<TurnStream> {
    const logger = opts.logger ?? silentLogger;
    const label = `${opts.transport === 'tls' ? 'turns' : 'turn'}:${opts.servername ?? opts.server.address}:${opts.server.port}${opts.transport === 'tcp' ? '?transport=tcp' : ''}`;
    return new Promise((resolve, reject) => {
      const base = { host: opts.server.address, port: opts.server.port, ...(opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {}) };
      const name = opts.servername ?? opts.server.address;
      const tlsOpts = { ...base, ...(isIpLiteral(name) ? {} : { servername: name }), ...(opts.ca !== undefined ? { ca: typeof opts.ca === 'string' ? [opts.ca] : [...opts.ca] } : {}), rejectUnauthorized: true };
      const socket = opts.transport === 'tls' ? tlsConnect(tlsOpts) : netConnect(base);
      const timer = setTimeout(() => fail(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), opts.connectTimeoutMs ?? 10_000);
      timer.unref();
      const fail = (e: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        socket.destroy();
        const err = new TurnStreamError(label, describe(e, opts.transport.toUpperCase()), e.code);
        logger.log('warn', 'TURN stream failed', { server: label, reason: err.reason });
        reject(err);
      };
      socket.once('error', fail);
      socket.once(opts.transport === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        socket.setNoDelay(true);
        const local = { address: socket.localAddress ?? '0.0.0.0', port: socket.localPort ?? 0 };
        resolve(new TurnStream(socket, opts.server, local, label, logger));
      });
    });
  }

  /** Writes one message (the driver's transmits; `to` must be the server). */
  send(dg: Datagram): boolean {
    if (this.ended) return false;
    this.socket.write(dg.data);
    return true;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Ends the connection after what was written (a final Refresh 0); destroyed after 2 s at most. */
  close(): void {
    this.end(undefined);
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private receive(chunk: Uint8Array): void {
    let frames: Uint8Array[];
    try {
      frames = this.deframer.push(chunk);
    } catch (e: unknown) {
      // A stream that is not TURN framing cannot be resynchronised: drop the connection.
      this.end(new TurnStreamError(this.label, `bad framing from server (${(e as Error).message})`));
      this.socket.destroy();
      return;
    }
    for (let i = 0; i < frames.length; i++) this.onMessage?.({ from: this.server, to: this.local, data: frames[i] as Uint8Array });
  }

  private end(err: TurnStreamError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (err) this.logger.log('warn', 'TURN stream closed', { server: this.label, reason: err.reason });
    this.onClose?.(err);
  }
}
