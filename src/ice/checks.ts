/**
 * Outgoing connectivity checks (RFC 8445 §7.2): the paced tick, sending a check on a pair, and the
 * outcome of its transaction (success §7.2.5.3, role conflict §7.2.5.1, failure §7.2.5.2.x, timeout).
 */
import type { Datagram, Millis } from '../core/types.js';
import { addrKey, sameAddr } from '../core/types.js';
import { getAttr } from '../stun/helpers.js';
import { shortTermKey, verifyIntegrity } from '../stun/integrity.js';
import type { StunMessage } from '../stun/message.js';
import { buildCheck } from './binding.js';
import type { Candidate } from './candidate.js';
import { candidatePriority, computeFoundation } from './candidate.js';
import { noteAlive } from './consent.js';
import type { AgentContext, Generation, TxContext } from './context.js';
import { nominateBest, scheduleNomination, setRole } from './nomination.js';
import type { CandidatePair, LocalCandidate } from './pair.js';
import { surfaceEmbedded } from './embedded.js';
import { ensurePacing, evaluateProgress } from './progress.js';

type CheckTx = Extract<TxContext, { kind: 'check' }>;

/** The pacing tick (RFC 8445 §6.1.4.2): send the next check, then re-arm while work remains. */
export function onPace(ctx: AgentContext, now: Millis): void {
  const pair = ctx.checklist.next();
  if (pair) sendCheck(ctx, pair, ctx.gen, now, false);
  ensurePacing(ctx, now);
}

/** The PRIORITY attribute: the priority our candidate would have as a peer-reflexive one (§7.2.2). */
function prflxPriority(pair: CandidatePair): number {
  const lp = (pair.local.candidate.priority >>> 8) & 0xffff;
  return candidatePriority('prflx', lp, pair.local.candidate.component);
}

/** Sends one check on `pair` under `gen`'s credentials and starts its transaction. */
export function sendCheck(ctx: AgentContext, pair: CandidatePair, gen: Generation, now: Millis, consent: boolean): void {
  const remote = gen.remote;
  if (remote === undefined) return;
  const controlling = ctx.role.controlling;
  const useCandidate = controlling && (pair.nominating || (consent && ctx.role.nominateInConsent));
  const priority = prflxPriority(pair);
  const sped = gen === ctx.gen ? ctx.sped.forRequest() : undefined;
  const { bytes, transactionId } = buildCheck(
    { localUfrag: gen.local.ufrag, remoteUfrag: remote.ufrag, remotePwd: remote.pwd, priority, controlling, tieBreaker: ctx.opts.tieBreaker, useCandidate, extra: sped?.attrs },
    ctx.opts.rng,
    ctx.opts.crypto,
  );
  const tx: CheckTx = { kind: 'check', pair, gen, controlling, useCandidate, priority, consent, embedded: sped?.crc };
  ctx.transactions.start(now, transactionId, bytes, tx, ctx.opts.checkRetransmit);
  ctx.transmits.push({ from: pair.local.base, to: { address: pair.remote.address, port: pair.remote.port }, data: bytes });
  ctx.stats.checksSent++;
  if (!consent) {
    ctx.lastCheckAt = now;
    if (pair.state !== 'succeeded') pair.state = 'in-progress';
  }
}

/** False (and the pair re-queued) when the response does not carry a valid MESSAGE-INTEGRITY. */
function authentic(ctx: AgentContext, tx: CheckTx, dg: Datagram, now: Millis): boolean {
  const remote = tx.gen.remote;
  if (remote !== undefined && verifyIntegrity(dg.data, shortTermKey(remote.pwd), ctx.opts.crypto)) return true;
  // The transaction is gone (its id was matched): check the pair again rather than leave it in progress.
  ctx.stats.unauthenticated++;
  if (!tx.consent && tx.gen === ctx.gen && tx.pair.state === 'in-progress') ctx.checklist.trigger(tx.pair);
  ensurePacing(ctx, now);
  return false;
}

/** A response to one of our checks (RFC 8445 §7.2.5). `msg` is decoded; `dg` is the raw datagram. */
export function onCheckResponse(ctx: AgentContext, tx: CheckTx, msg: StunMessage, dg: Datagram, now: Millis): void {
  if (!authentic(ctx, tx, dg, now)) return;
  const pair = tx.pair;
  if (msg.cls === 'error') {
    onCheckError(ctx, tx, getAttr(msg, 'errorCode')?.code ?? 0, now);
    return;
  }
  // RFC 8445 §7.2.5.2.1: the response must come from where the request went, to where it left from.
  if (!sameAddr(dg.from, pair.remote) || !sameAddr(dg.to, pair.local.base)) {
    if (!tx.consent) failPair(ctx, pair, now, 'asymmetric response');
    return;
  }
  markAlive(ctx, pair, now);
  if (tx.gen === ctx.gen) {
    // SPED (sped.ts): acknowledgements first, so what they acknowledged is not sent again plainly
    // when this success makes the pair valid.
    const sped = ctx.sped.receiveResponse(msg, tx.embedded);
    if (sped.data) surfaceEmbedded(ctx, sped.data, dg.from);
  }
  if ((tx.consent && pair === ctx.selected) || tx.gen !== ctx.gen) return;
  const mapped = getAttr(msg, 'xorMappedAddress');
  if (mapped && !pair.mappedLocal) pair.mappedLocal = learnLocal(ctx, pair, mapped, tx.priority);
  pair.state = 'succeeded';
  ctx.checklist.unfreezeFoundation(pair.foundation);
  ctx.role.onCheckSucceeded(ctx, pair, tx, now);
  evaluateProgress(ctx, now);
}

/** RFC 8445 §7.2.5.3.1: an unknown mapped address is a new local peer-reflexive candidate (not signalled). */
function learnLocal(ctx: AgentContext, pair: CandidatePair, mapped: { address: string; port: number }, priority: number): Candidate {
  const locals = ctx.locals;
  for (let i = 0; i < locals.length; i++) {
    const l = locals[i] as LocalCandidate;
    if (sameAddr(l.candidate, mapped)) return l.candidate;
  }
  const c: Candidate = {
    foundation: computeFoundation('prflx', pair.local.base.address, undefined, 'udp'),
    component: 1,
    transport: 'udp',
    priority,
    address: mapped.address,
    port: mapped.port,
    type: 'prflx',
    relatedAddress: pair.local.base.address,
    relatedPort: pair.local.base.port,
    extensions: [],
  };
  if (ctx.locals.length < ctx.opts.maxLocalAddresses * 4) ctx.locals.push({ candidate: c, base: pair.local.base });
  return c;
}

/** Liveness evidence on a pair (RFC 7675: an authenticated response, or request, crossed it). */
export function markAlive(ctx: AgentContext, pair: CandidatePair, now: Millis): void {
  ctx.validated.add(addrKey(pair.remote));
  noteAlive(ctx, pair, now);
}

function onCheckError(ctx: AgentContext, tx: CheckTx, code: number, now: Millis): void {
  const pair = tx.pair;
  if (code === 487) {
    // RFC 8445 §7.2.5.1: switch role if we still have the role the request was sent with, then retry.
    if (tx.controlling === ctx.role.controlling) setRole(ctx, !tx.controlling, now, '487 response');
    if (tx.gen === ctx.gen && pair.state !== 'succeeded') ctx.checklist.trigger(pair);
    ensurePacing(ctx, now);
    return;
  }
  if (!tx.consent && tx.gen === ctx.gen) failPair(ctx, pair, now, `error ${code}`);
}

/** A check transaction timed out (RFC 8445 §7.2.5.2.x: the pair fails; consent checks just stop). */
export function onCheckTimeout(ctx: AgentContext, tx: CheckTx, now: Millis): void {
  if (tx.consent || tx.gen !== ctx.gen) return;
  if (tx.pair.state === 'in-progress' || tx.useCandidate) failPair(ctx, tx.pair, now, 'timeout');
}

function failPair(ctx: AgentContext, pair: CandidatePair, now: Millis, why: string): void {
  if (pair === ctx.selected) return;
  ctx.opts.logger.log('debug', 'pair failed', { pair: pair.key, why });
  pair.state = 'failed';
  pair.nominating = false;
  if (ctx.role.controlling) {
    const best = ctx.checklist.bestValid();
    if (best) scheduleNomination(ctx, best, now);
    nominateBest(ctx, now);
  }
  evaluateProgress(ctx, now);
}
