import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import { systemClock, type Clock } from '../io/clock.js';
import { CryptoRng } from '../io/node-crypto.js';
import { ShellTimer } from '../io/timer.js';
import { SignalingServerCore, type SignalingAction, type SignalingLimits } from './server-core.js';

/**
 * A signaling server wire-compatible with godot-demo-projects networking/webrtc_signaling, on `ws`:
 * the thin shell around SignalingServerCore (sockets, the clock and one timer; no protocol logic).
 */
export interface SignalingServerOptions extends Partial<SignalingLimits> {
  /** TCP port; default 9080 like the demo. 0 picks a free port (see `handle.port`). */
  readonly port?: number;
  /** Address to bind; default all interfaces, like server.js. */
  readonly host?: string;
  /** Source of peer ids and lobby names; default crypto-grade. */
  readonly rng?: Rng;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * A client that does not read is cut off (TCP reset) once this many bytes wait in its send buffer,
   * so peers relaying to it cannot grow the server's memory. Default 4 MiB.
   */
  readonly maxBufferedBytes?: number;
}

export interface SignalingServerHandle {
  readonly port: number;
  readonly host: string;
  /** The protocol core (peer and lobby counts, error counters). */
  readonly core: SignalingServerCore;
  /** Stops listening, closes every client (1001 "Server shutting down") and resolves when done. */
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens. */
export async function startSignalingServer(opts: SignalingServerOptions = {}): Promise<SignalingServerHandle> {
  const clock = opts.clock ?? systemClock;
  const core = new SignalingServerCore(opts.rng ?? new CryptoRng(), opts, clock.now());
  const wss = new WebSocketServer({
    port: opts.port ?? 9080,
    ...(opts.host === undefined ? {} : { host: opts.host }),
    maxPayload: core.limits.maxMessageBytes * 4, // UTF-8 of maxMessageBytes UTF-16 units fits.
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const log = (opts.logger ?? silentLogger).child({ layer: 'signaling' });
  const shell = new Shell(core, wss, clock, log, opts.maxBufferedBytes ?? 4 * 1024 * 1024);
  const addr = wss.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 9080);
  const host = typeof addr === 'object' && addr ? addr.address : (opts.host ?? '');
  shell.log.log('info', 'listening', { host, port });
  return { port, host, core, close: () => shell.close() };
}

/** Moves frames between `ws` sockets and the core; drains the core after every input. */
class Shell {
  private readonly sockets = new Map<number, WebSocket>();
  private nextConn = 1;
  private closed = false;
  private readonly timer: ShellTimer;

  constructor(
    private readonly core: SignalingServerCore,
    private readonly wss: WebSocketServer,
    private readonly clock: Clock,
    readonly log: Logger,
    private readonly maxBufferedBytes: number,
  ) {
    this.timer = new ShellTimer(clock, (now) => {
      core.handleTimeout(now);
      this.drive();
    });
    wss.on('connection', (ws) => this.accept(ws));
    wss.on('error', (err) => log.log('error', 'server error', { err: String(err) }));
    this.drive();
  }

  private accept(ws: WebSocket): void {
    const conn = this.nextConn++;
    this.sockets.set(conn, ws);
    ws.on('message', (data, isBinary) => {
      this.core.handleMessage(this.clock.now(), conn, isBinary ? new Uint8Array(0) : rawToString(data));
      this.drive();
    });
    ws.on('close', () => {
      this.sockets.delete(conn);
      this.core.handleDisconnect(this.clock.now(), conn);
      this.drive();
    });
    ws.on('error', (err) => this.log.log('warn', 'socket error', { conn, err: String(err) }));
    this.core.handleConnect(this.clock.now(), conn);
    this.drive();
  }

  private apply(a: SignalingAction): void {
    const ws = this.sockets.get(a.conn);
    if (!ws || ws.readyState !== ws.OPEN) return;
    if (a.kind === 'send') {
      if (ws.bufferedAmount + a.text.length > this.maxBufferedBytes) {
        this.log.log('warn', 'client does not read: connection dropped', { conn: a.conn, buffered: ws.bufferedAmount });
        ws.terminate();
      } else ws.send(a.text);
    } else if (a.kind === 'ping') ws.ping();
    else {
      this.log.log('debug', 'closing connection', { conn: a.conn, code: a.code, reason: a.reason });
      ws.close(a.code, a.reason);
    }
  }

  private drive(): void {
    if (this.closed) return;
    for (let a = this.core.pollAction(); a; a = this.core.pollAction()) this.apply(a);
    this.timer.set(this.core.pollTimeout());
  }

  close(): Promise<void> {
    this.closed = true;
    return new Promise<void>((resolve) => {
      this.timer.cancel();
      for (const ws of this.sockets.values()) ws.close(1001, 'Server shutting down');
      this.wss.close(() => resolve());
      for (const ws of this.sockets.values()) ws.terminate();
    });
  }
}

function rawToString(data: unknown): string {
  const decoder = new TextDecoder();
  if (Array.isArray(data)) return data.map((d: Uint8Array) => decoder.decode(d)).join('');
  if (data instanceof ArrayBuffer) return decoder.decode(new Uint8Array(data));
  return decoder.decode(data as Uint8Array);
}
