/**
 * The ICE agent (RFC 8445 full agent, trickle RFC 8838, consent RFC 7675) as a sans-IO core. This
 * file wires the concern modules together; see index.ts for the API contract.
 */
import { ParseError } from '../core/errors.js';
import { minDeadline } from '../core/deadlines.js';
import { classifyPacket } from '../core/demux.js';
import type { Addr, Datagram, Millis, SansIo } from '../core/types.js';
import { addrKey } from '../core/types.js';
import { findAttribute, verifyFingerprint } from '../stun/integrity.js';
import { AttrCode } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import { decodeStun } from '../stun/message.js';
import { ClientTransactions } from '../stun/transaction.js';
import { normalizeAddr } from './binding.js';
import type { Candidate } from './candidate.js';
import { CheckList } from './checklist.js';
import { onCheckResponse, onCheckTimeout, onPace } from './checks.js';
import { onConsentTimer, onLivenessTimer } from './consent.js';
import type { AgentContext, Credentials, DeadlineKey, IceEvent, IceStats, TxContext } from './context.js';
import { newQueues, newStats } from './context.js';
import { onServerResponse, onServerTimeout } from './gathering.js';
import { releaseHeldReplies } from './embedded.js';
import { onRequest } from './incoming.js';
import { nominateBest } from './nomination.js';
import type { IceAgentOptions } from './options.js';
import { resolveIceAgentOptions } from './options.js';
import { onFailIdle } from './progress.js';
import { controlledRole } from './roles/controlled.js';
import { controllingRole } from './roles/controlling.js';
import { DtlsInStun } from './sped.js';
import { IceStateMachine } from './state.js';

export function createContext(options: IceAgentOptions): AgentContext {
  const opts = resolveIceAgentOptions(options);
  // Fields written out: a spread in the middle of a literal (`{ opts, ...q, machine }`) is V8's
  // slow path (property by property, new hidden classes), paid per agent (issue 6).
  const q = newQueues();
  const unsent: Uint8Array[] = [];
  const machine = new IceStateMachine((t) => {
    opts.logger.log('info', 'state', { from: t.from, to: t.to, cause: t.cause });
    q.events.push({ type: 'state', state: t.to });
  });
  return {
    opts,
    transmits: q.transmits,
    events: q.events,
    deadlines: q.deadlines,
    machine,
    stats: newStats(),
    transactions: new ClientTransactions<TxContext>(),
    checklist: new CheckList(opts.maxPairs),
    role: opts.controlling ? controllingRole : controlledRole,
    gen: { local: { ufrag: opts.localUfrag, pwd: opts.localPwd }, remote: undefined, remoteEndOfCandidates: false },
    hosts: new Map(),
    locals: [],
    remotes: new Map(),
    validated: new Set(),
    earlyChecks: [],
    selected: undefined,
    selectedGen: undefined,
    gathering: 'idle',
    pendingSrflx: 0,
    closed: false,
    firstValidAt: undefined,
    lastCheckAt: Number.NEGATIVE_INFINITY,
    unsent,
    sped: new DtlsInStun(unsent, opts.logger),
    heldReplies: [],
    embeddedUntaken: 0,
  };
}

/** The datagram side of the agent: demux, STUN dispatch, timers. The public class extends it. */
export class IceAgentCore implements SansIo<IceEvent> {
  protected readonly ctx: AgentContext;

  constructor(options: IceAgentOptions) {
    this.ctx = createContext(options);
  }

  handleDatagram(now: Millis, dg: Datagram): void {
    const ctx = this.ctx;
    if (ctx.closed) return;
    const d: Datagram = { from: normalizeAddr(dg.from), to: normalizeAddr(dg.to), data: dg.data };
    const kind = d.data.length === 0 ? 'unknown' : classifyPacket(d.data[0] as number);
    if (kind === 'stun') this.handleStun(now, d);
    else if (kind === 'dtls' && ctx.validated.has(addrKey(d.from))) ctx.events.push({ type: 'data', data: d.data, from: d.from });
    else ctx.stats.droppedNonStun++;
  }

  private handleStun(now: Millis, dg: Datagram): void {
    const ctx = this.ctx;
    let msg: StunMessage;
    try {
      msg = decodeStun(dg.data);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      ctx.stats.droppedBadStun++;
      return;
    }
    // RFC 8445 §7.2.2 / RFC 8489 §14.7: a FINGERPRINT, when present, must be right.
    if (findAttribute(dg.data, AttrCode.Fingerprint) !== undefined && !verifyFingerprint(dg.data)) {
      ctx.stats.droppedBadStun++;
      return;
    }
    if (msg.cls === 'request') onRequest(ctx, msg, dg, now);
    else if (msg.cls === 'success' || msg.cls === 'error') this.handleResponse(now, msg, dg);
  }

  private handleResponse(now: Millis, msg: StunMessage, dg: Datagram): void {
    const tx = this.ctx.transactions.take(msg.transactionId);
    if (!tx) {
      this.ctx.stats.droppedBadStun++;
      return;
    }
    if (tx.kind === 'check') onCheckResponse(this.ctx, tx, msg, dg, now);
    else onServerResponse(this.ctx, tx, msg, now);
  }

  handleTimeout(now: Millis): void {
    const ctx = this.ctx;
    if (ctx.closed) return;
    if (ctx.heldReplies.length > 0) releaseHeldReplies(ctx); // not held past a timer, taken or not
    const { retransmit, timedOut } = ctx.transactions.handleTimeout(now);
    for (let i = 0; i < retransmit.length; i++) {
      const r = retransmit[i] as { readonly bytes: Uint8Array; readonly context: TxContext };
      ctx.transmits.push(txRoute(r.context, r.bytes));
    }
    for (let i = 0; i < timedOut.length; i++) {
      const tx = timedOut[i] as TxContext;
      if (tx.kind === 'check') onCheckTimeout(ctx, tx, now);
      else onServerTimeout(ctx, tx, now);
    }
    const due = ctx.deadlines.takeDue(now);
    for (let i = 0; i < due.length; i++) {
      const key = due[i] as DeadlineKey;
      if (key === 'pace') onPace(ctx, now);
      else if (key === 'consent') onConsentTimer(ctx, now);
      else if (key === 'liveness') onLivenessTimer(ctx, now);
      else if (key === 'nominate') nominateBest(ctx, now);
      else onFailIdle(ctx);
    }
  }

  pollTransmit(): Datagram | undefined {
    const ctx = this.ctx;
    if (ctx.heldReplies.length > 0 && ctx.embeddedUntaken === 0) releaseHeldReplies(ctx);
    return ctx.transmits.length > 0 ? ctx.transmits.shift() : undefined; // no call for an empty poll (issue 6)
  }

  pollEvent(): IceEvent | undefined {
    const q = this.ctx.events;
    if (q.length === 0) return undefined;
    const ev = q.shift();
    if (ev?.type === 'data' && ev.embedded) this.ctx.embeddedUntaken--;
    return ev;
  }

  pollTimeout(): Millis | undefined {
    if (this.ctx.closed) return undefined;
    return minDeadline(this.ctx.deadlines.earliest(), this.ctx.transactions.pollTimeout());
  }

  /** Counters of dropped input and checks (for stats and tests). */
  get stats(): Readonly<IceStats> {
    return this.ctx.stats;
  }

  get localCredentials(): Credentials {
    return this.ctx.gen.local;
  }

  get localUfrag(): string {
    return this.ctx.gen.local.ufrag;
  }

  get localPwd(): string {
    return this.ctx.gen.local.pwd;
  }

  get remoteCredentials(): Credentials | undefined {
    return this.ctx.gen.remote;
  }

  get role(): 'controlling' | 'controlled' {
    return this.ctx.role.controlling ? 'controlling' : 'controlled';
  }

  get tieBreaker(): bigint {
    return this.ctx.opts.tieBreaker;
  }

  get localCandidates(): Candidate[] {
    return this.ctx.locals.map((l) => l.candidate);
  }

  get remoteCandidates(): Candidate[] {
    return [...this.ctx.remotes.values()];
  }
}

function txRoute(tx: TxContext, data: Uint8Array): Datagram {
  if (tx.kind === 'check') return { from: tx.pair.local.base, to: { address: tx.pair.remote.address, port: tx.pair.remote.port }, data };
  const to: Addr = tx.server;
  return { from: tx.base, to, data };
}
