import { WebSocket } from 'ws';
import { SeededRng } from '../../src/core/rng.js';
import { startSignalingServer, type SignalingServerHandle, type SignalingServerOptions } from '../../src/signaling/server.js';

/** Guard for awaiting network events on loopback: fails the test instead of hanging. */
const GUARD_MS = 3000;

export interface Frame {
  readonly type: number;
  readonly id: number;
  readonly data: string;
}

/** Starts a server on an ephemeral loopback port with test-friendly defaults (no pings). */
export function startTestServer(opts: SignalingServerOptions = {}): Promise<SignalingServerHandle> {
  return startSignalingServer({ host: '127.0.0.1', port: 0, rng: new SeededRng(7), pingIntervalMs: 0, ...opts });
}

/** A raw protocol client: sends exactly what a test says and queues every frame it receives. */
export class RawClient {
  private readonly frames: Frame[] = [];
  private waiting: ((f: Frame) => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(f);
      } else this.frames.push(f);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(port: number): Promise<RawClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('error', reject);
    });
  }

  send(type: number, id: number, data = ''): void {
    this.ws.send(JSON.stringify({ type, id, data }));
  }

  sendRaw(text: string | Uint8Array): void {
    this.ws.send(text, { binary: typeof text !== 'string' });
  }

  /** The next frame (in arrival order), failing after the guard time. */
  next(): Promise<Frame> {
    const queued = this.frames.shift();
    if (queued) return Promise.resolve(queued);
    return withGuard(new Promise<Frame>((resolve) => (this.waiting = resolve)), 'next frame');
  }

  /** Frames received and not yet consumed (for "nothing else was sent" checks). */
  get pending(): readonly Frame[] {
    return this.frames;
  }

  closedWithin(): Promise<{ code: number; reason: string }> {
    return withGuard(this.closed, 'close');
  }

  close(): void {
    this.ws.close();
  }
}

export function withGuard<T>(p: Promise<T>, what: string, ms = GUARD_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

/**
 * Frames that reached `c` before a self-addressed OFFER echoed back through the server: since the
 * server handles frames in order and each socket is FIFO, calling this on the actor first and then
 * on an observer proves the observer got nothing else from the actor's messages.
 */
export async function sync(c: RawClient, selfId: number): Promise<Frame[]> {
  c.send(4, selfId, '__sync__');
  const before: Frame[] = [];
  for (;;) {
    const f = await c.next();
    if (f.type === 4 && f.data === '__sync__') return before;
    before.push(f);
  }
}
