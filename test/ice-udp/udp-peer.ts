/**
 * An IceAgent on real loopback UDP sockets (src/io UdpSocketSet + Driver), for the ICE real-UDP tests.
 * Gathering is restricted to 127.0.0.1: tests never touch other addresses (DEVELOPERS.md).
 */
import { formatCandidate } from '../../src/ice/candidate-grammar.js';
import type { IceEvent } from '../../src/ice/index.js';
import { IceAgent } from '../../src/ice/index.js';
import { systemClock } from '../../src/io/clock.js';
import { Driver } from '../../src/io/driver.js';
import { CryptoRng, nodeCrypto } from '../../src/io/node-crypto.js';
import { UdpSocketSet } from '../../src/io/udp.js';

export interface UdpPeer {
  readonly agent: IceAgent;
  readonly driver: Driver<IceEvent>;
  readonly sockets: UdpSocketSet;
  /** Every event seen so far, in order. */
  readonly events: IceEvent[];
  /** Resolves when `pred` holds for an event (past or future), rejects after `ms`. */
  waitFor(pred: (ev: IceEvent) => boolean, ms: number, what: string): Promise<IceEvent>;
  /** Calls `fn` for every later event. */
  onEvent(fn: (ev: IceEvent) => void): void;
  /** Local candidate lines as they were gathered. */
  candidateLines(): string[];
  close(): Promise<void>;
}

export async function startUdpPeer(controlling: boolean): Promise<UdpPeer> {
  const sockets = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const agent = new IceAgent({ rng: new CryptoRng(), crypto: nodeCrypto, controlling, includeLoopback: true });
  const events: IceEvent[] = [];
  const waiters: Array<{ pred: (ev: IceEvent) => boolean; resolve: (ev: IceEvent) => void }> = [];
  const listeners: Array<(ev: IceEvent) => void> = [];
  const driver = new Driver<IceEvent>(agent, sockets, {
    onEvent: (ev) => {
      events.push(ev);
      for (const l of listeners) l(ev);
      for (const w of [...waiters]) {
        if (w.pred(ev)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(ev);
        }
      }
    },
  });
  const now = systemClock.now();
  for (const a of sockets.localAddresses) agent.addLocalAddress(now, a);
  agent.gather(now);
  driver.pump();
  return {
    agent,
    driver,
    sockets,
    events,
    waitFor(pred, ms, what) {
      const seen = events.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
        waiters.push({ pred, resolve: (ev) => (clearTimeout(timer), resolve(ev)) });
      });
    },
    onEvent: (fn) => listeners.push(fn),
    candidateLines: () => events.flatMap((e) => (e.type === 'candidate' ? [formatCandidate(e.candidate)] : [])),
    async close() {
      agent.close(systemClock.now());
      driver.pump();
      driver.close();
      await sockets.close();
    },
  };
}

/** What one side tells the other (the signalling a real app does over its own channel). */
export interface SignalMessage {
  readonly ufrag: string;
  readonly pwd: string;
  readonly candidates: readonly string[];
}

export function describeLocal(p: UdpPeer): SignalMessage {
  return { ufrag: p.agent.localUfrag, pwd: p.agent.localPwd, candidates: p.candidateLines() };
}

export function applyRemote(p: UdpPeer, m: SignalMessage): void {
  const now = systemClock.now();
  p.agent.setRemoteCredentials(now, m.ufrag, m.pwd);
  for (const c of m.candidates) p.agent.addRemoteCandidate(now, c);
  p.agent.endOfRemoteCandidates(now);
  p.driver.pump();
}

/** Kills a child process by its PID (when still running) and waits for it to exit. */
export async function killChild(child: { exitCode: number | null; pid?: number | undefined; once(ev: 'exit', fn: () => void): unknown }, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, signal);
  await exited;
}
