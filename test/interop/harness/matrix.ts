/**
 * Runs the matrix for one (subject A, peer B, role) pair as node:test subtests and records each
 * case with its time; `printMatrix()` prints peer x role x case at the end of a test file.
 */
import type { TestContext } from 'node:test';
import { CHANNEL_CASES, connectionCloseCase, messageCases } from './cases.js';
import type { Case, CaseContext } from './cases.js';
import type { PeerProcess } from './peer-process.js';
import { connect, maxMessageSize } from './session.js';

export interface Row {
  readonly peer: string;
  readonly role: string;
  readonly mode: string;
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  /** Set when the case is a documented peer bug (docs/interop.md), reported as a node:test todo. */
  readonly known?: string;
}

export const rows: Row[] = [];

/**
 * werift 0.25.2's own bugs, shown against libdatachannel too (harness-self.test.ts) and described
 * with traces in docs/interop.md: W1 puts no DATA chunk on the wire for an empty message (it splits
 * it into zero pieces) yet uses up a stream sequence number, so no receiver can deliver it, W2 does not reset its outgoing stream
 * when it never sent on it (RFC 8831 §6.7), which leaves the closer's channel in `closing`.
 */
export const WERIFT_BUGS = {
  empty: { 'msg 0B text+bin both ways': 'W1 (werift never puts an empty message on the wire)' },
  reset: {
    'channel closed from A (id reused)': 'W2 (werift does not reset its unused outgoing stream)',
    'channel closed from B (id reused)': 'W2 (werift does not reset its unused outgoing stream)',
  },
} as const;

export interface PairSpec {
  /** Matrix label of the peer column, e.g. 'werift 0.25.2'. */
  readonly peer: string;
  /** Who offers. */
  readonly offerer: 'a' | 'b';
  /** Starts side A (the subject) and side B (the peer); both are stopped by PID afterwards. */
  readonly start: () => [PeerProcess, PeerProcess];
  readonly bindA: string;
  readonly bindB: string;
  /**
   * Cases that fail because of a documented bug in the PEER (not in rtcpeer), by case name, with the
   * bug's id and a short reason from docs/interop.md. They still run and are printed; a failure is
   * reported as a node:test `todo` (counted in the summary's todo line) instead of failing the run.
   */
  readonly knownPeerBugs?: Readonly<Record<string, string>>;
}

async function timed(t: TestContext, row: Omit<Row, 'ok' | 'ms' | 'error'>, fn: () => Promise<void>): Promise<boolean> {
  let ok = false;
  const options = row.known === undefined ? {} : { todo: `known peer bug ${row.known}` };
  await t.test(`${row.mode}: ${row.name}`, options, async () => {
    const t0 = performance.now();
    try {
      await fn();
      ok = true;
      rows.push({ ...row, ok, ms: performance.now() - t0 });
    } catch (e) {
      rows.push({ ...row, ok, ms: performance.now() - t0, error: (e instanceof Error ? e.message.split('\n')[0] : undefined) ?? String(e) });
      throw e;
    }
  });
  return ok;
}

/** One connection: connect (trickle or full SDP), then `cases`, then close it from `closer`. */
export async function runConnection(t: TestContext, spec: PairSpec, trickle: boolean, cases: readonly Case[], closer: 'a' | 'b'): Promise<void> {
  const role = spec.offerer === 'a' ? 'A offers' : 'A answers';
  const mode = trickle ? 'trickle' : 'full-sdp';
  const [a, b] = spec.start();
  try {
    let ctx: CaseContext | undefined;
    let refused: string[] = [];
    await timed(t, { peer: spec.peer, role, mode, name: 'connect' }, async () => {
      const [off, ans] = spec.offerer === 'a' ? [a, b] : [b, a];
      const [bo, ba] = spec.offerer === 'a' ? [spec.bindA, spec.bindB] : [spec.bindB, spec.bindA];
      const r = await connect(off, ans, { trickle, bind: [bo, ba] });
      refused = r.errors;
      const maxSize = Math.min(maxMessageSize(r.offer), maxMessageSize(r.answer));
      ctx = spec.offerer === 'a' ? { a, b, mainA: 'main', mainB: r.answererKey, maxSize } : { a, b, mainA: r.answererKey, mainB: 'main', maxSize };
    });
    if (!ctx) return;
    const c = ctx;
    if (trickle) {
      await timed(t, { peer: spec.peer, role, mode, name: 'every trickled candidate accepted' }, async () => {
        if (refused.length) throw new Error(refused.join('; '));
      });
    }
    for (const k of [...cases, connectionCloseCase(closer)]) {
      const known = spec.knownPeerBugs?.[k.name];
      await timed(t, { peer: spec.peer, role, mode, name: k.name, ...(known === undefined ? {} : { known }) }, () => k.run(c));
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

/** The full matrix for one pair: trickle connection with every case, closed by A; full-SDP with messages, closed by B. */
export async function runPair(t: TestContext, spec: PairSpec): Promise<void> {
  await runConnection(t, spec, true, CHANNEL_CASES, 'a');
  await runConnection(t, spec, false, messageCases, 'b');
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** Prints the matrix of every recorded row (peer x role x connection x case). */
export function printMatrix(title: string): void {
  const lines = [`\n== interop matrix: ${title} (A = subject, B = peer) ==`];
  const w = Math.max(10, ...rows.map((r) => r.peer.length));
  for (const r of rows) {
    lines.push(`${pad(r.peer, w)}  ${pad(r.role, 9)}  ${pad(r.mode, 8)}  ${pad(r.name, 44)}  ${r.ok ? 'pass' : r.known ? 'KNOWN' : 'FAIL'}  ${(r.ms / 1000).toFixed(2).padStart(6)} s${r.known && !r.ok ? `  [${r.known}]` : ''}${r.error ? `  ${r.error.slice(0, 160)}` : ''}`);
  }
  const failed = rows.filter((r) => !r.ok && !r.known).length;
  const known = rows.filter((r) => !r.ok && r.known).length;
  lines.push(`== ${rows.length - failed - known} pass, ${failed} fail, ${known} fail from known peer bugs ==\n`);
  console.log(lines.join('\n'));
}
