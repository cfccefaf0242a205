/**
 * One interop peer in its own child process, spoken to over the JSON-lines protocol of
 * test/interop/peers/stdio.mjs. A crash or hang stays in the child; `stop()` kills it by PID.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type PeerKind = 'rtcpeer' | 'ndc' | 'werift' | 'chromium';

export interface PeerEvent {
  readonly ev: string;
  readonly key?: string;
  readonly [k: string]: unknown;
}

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const PEERS = fileURLToPath(new URL('../peers/', import.meta.url));

/** Command line that starts a driver (node with tsx, so rtcpeer's driver can import src/*.ts). */
export function driverCommand(kind: PeerKind, args: readonly string[] = []): [string, string[]] {
  const file = kind === 'ndc' ? 'ndc.mjs' : `${kind}.mjs`;
  return [process.execPath, ['--import', 'tsx', `${PEERS}${file}`, ...args]];
}

export class PeerProcess {
  readonly events: PeerEvent[] = [];
  stderr = '';
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<() => void>();
  private exitInfo: string | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    if (!child.stdout || !child.stdin) throw new Error('peer process needs piped stdin/stdout');
    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-20000);
    });
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exitInfo = `exited (${code ?? signal})`;
        for (const w of this.waiting.values()) w.reject(new Error(`${name} ${this.exitInfo}: ${this.stderr.slice(-2000)}`));
        this.waiting.clear();
        this.notify();
        resolve();
      });
    });
  }

  /** Starts a driver directly (loopback peers). */
  static start(name: string, kind: PeerKind, args: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): PeerProcess {
    const [cmd, argv] = driverCommand(kind, args);
    return new PeerProcess(name, spawn(cmd, argv, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env }));
  }

  private onLine(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.stderr += `[stdout] ${line}\n`;
      return;
    }
    if (typeof msg['id'] === 'number') {
      const w = this.waiting.get(msg['id']);
      this.waiting.delete(msg['id']);
      if (msg['ok'] === true) w?.resolve(msg);
      else w?.reject(new Error(`${this.name}: ${String(msg['error'])}`));
      return;
    }
    this.events.push(msg as PeerEvent);
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Sends one request; rejects on an error reply, on exit, or after `timeoutMs`. */
  request(op: string, args: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    if (this.exitInfo) return Promise.reject(new Error(`${this.name} ${this.exitInfo}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: ${op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.stdin?.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  /** Calls `fn` for every event from now on (and returns an unsubscribe function). */
  onEvent(fn: (e: PeerEvent) => void): () => void {
    let seen = this.events.length;
    const l = (): void => {
      while (seen < this.events.length) fn(this.events[seen++] as PeerEvent);
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Resolves with the first event (past or future) for which `pred` holds. */
  waitEvent(pred: (e: PeerEvent) => boolean, timeoutMs: number, what: string): Promise<PeerEvent> {
    return this.waitUntil(() => this.events.find(pred), timeoutMs, what);
  }

  /** Resolves when `check()` returns a value (re-checked on every event). */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (): boolean => {
        const v = check();
        if (v === undefined) return false;
        cleanup();
        resolve(v);
        return true;
      };
      const l = (): void => {
        if (done()) return;
        if (this.exitInfo) {
          cleanup();
          reject(new Error(`${this.name} ${this.exitInfo} while waiting for ${what}: ${this.stderr.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(l);
      };
      this.listeners.add(l);
      l();
    });
  }

  /** Asks the driver to exit, then SIGKILLs it by PID if it is still there after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exitInfo) return;
    void this.request('exit', {}, graceMs).catch(() => undefined);
    const killer = setTimeout(() => {
      if (this.child.pid !== undefined && !this.exitInfo) {
        try {
          process.kill(this.child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }, graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}
