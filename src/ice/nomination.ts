/**
 * Selection and nomination (RFC 8445 §8): choosing the pair application data uses, the controlling
 * side's nomination timer, and role switches after a conflict (§7.3.1.1).
 */
import type { Millis } from '../core/types.js';
import { addrKey } from '../core/types.js';
import type { CandidateType } from './candidate.js';
import type { AgentContext } from './context.js';
import { startConsent } from './consent.js';
import type { CandidatePair } from './pair.js';
import { sendCheck } from './checks.js';
import { ensurePacing, evaluateProgress } from './progress.js';
import { controlledRole } from './roles/controlled.js';
import { controllingRole } from './roles/controlling.js';

const SLOWEST_FIRST: readonly CandidateType[] = ['relay', 'prflx', 'srflx'];

/** Makes `pair` the selected pair (no-op when it already is) and reports it. */
export function selectPair(ctx: AgentContext, pair: CandidatePair, now: Millis): void {
  if (ctx.selected === pair) return;
  ctx.selected = pair;
  ctx.selectedGen = ctx.gen;
  ctx.deadlines.disarm('nominate');
  pair.lastAliveAt = now;
  ctx.validated.add(addrKey(pair.remote));
  ctx.opts.logger.log('info', 'selected pair', { local: pair.local.base, remote: { address: pair.remote.address, port: pair.remote.port } });
  ctx.events.push({ type: 'selected-pair', local: pair.mappedLocal ?? pair.local.candidate, remote: pair.remote });
  startConsent(ctx, now);
  const s = ctx.machine.state;
  if (s === 'checking' || s === 'disconnected' || s === 'failed') ctx.machine.transition('connected', 'pair selected');
  evaluateProgress(ctx, now);
}

/**
 * The pair data leaves on: the selected one, or while checks run and none is selected yet, the best
 * valid pair (its check succeeded, so the peer consents, RFC 7675). Never after consent expired.
 */
export function dataPair(ctx: AgentContext): CandidatePair | undefined {
  if (ctx.selected) return ctx.selected;
  return ctx.machine.state === 'checking' ? ctx.checklist.bestValid() : undefined;
}

/** True once a pair of the current generation is selected (nomination is over). */
export function selectedInCurrentGeneration(ctx: AgentContext): boolean {
  return ctx.selected !== undefined && ctx.selectedGen === ctx.gen;
}

/** The pair's slowest candidate type. The remote type is the CURRENT one: a peer-reflexive remote
 * the peer later signalled counts as what the signalling says (see `addRemoteCandidate`). */
function slowestType(ctx: AgentContext, pair: CandidatePair): CandidateType {
  const remoteType = ctx.remotes.get(addrKey(pair.remote))?.type ?? pair.remote.type;
  const types = [remoteType, (pair.mappedLocal ?? pair.local.candidate).type];
  for (let i = 0; i < SLOWEST_FIRST.length; i++) {
    const t = SLOWEST_FIRST[i] as CandidateType;
    if (types.includes(t)) return t;
  }
  return 'host';
}

/**
 * Controlling side: a pair became valid. Arms the nomination timer at first-valid + the delay for
 * this pair's kind (a host pair nominates at once; pion's waits for the others).
 */
export function scheduleNomination(ctx: AgentContext, pair: CandidatePair, now: Millis): void {
  if (selectedInCurrentGeneration(ctx) || hasNominationInFlight(ctx)) return;
  ctx.firstValidAt ??= now;
  const at = ctx.firstValidAt + ctx.opts.nominationDelayMs[slowestType(ctx, pair)];
  // no wait (a host pair): nominate now rather than from a timer the shell runs a tick later (>= 1 ms)
  if (at <= now) {
    nominateBest(ctx, now);
    return;
  }
  const armed = ctx.deadlines.get('nominate');
  if (armed === undefined || at < armed) ctx.deadlines.arm('nominate', Math.max(now, at));
}

function hasNominationInFlight(ctx: AgentContext): boolean {
  let inFlight = false;
  ctx.checklist.forEach((p) => {
    if (p.nominating && p.state !== 'failed') inFlight = true;
  });
  return inFlight;
}

/**
 * The nomination timer fired: re-check the best valid pair with USE-CANDIDATE (RFC 8445 §8.1.1).
 * The check goes at once instead of at the next pacing tick (up to Ta = 50 ms later): it re-uses a
 * pair that already works (no new NAT binding, one packet), and every connection waited for it
 * (setup time, issue 6). Its retransmissions follow the usual STUN schedule.
 */
export function nominateBest(ctx: AgentContext, now: Millis): void {
  if (!ctx.role.controlling || selectedInCurrentGeneration(ctx) || hasNominationInFlight(ctx)) return;
  const best = ctx.checklist.bestValid();
  if (!best) return;
  best.nominating = true;
  sendCheck(ctx, best, ctx.gen, now, false);
  ensurePacing(ctx, now);
}

/** Switches role (RFC 8445 §7.3.1.1): recompute pair priorities, reset nomination bookkeeping. */
export function setRole(ctx: AgentContext, controlling: boolean, now: Millis, cause: string): void {
  if (ctx.role.controlling === controlling) return;
  ctx.stats.roleConflicts++;
  ctx.opts.logger.log('info', 'role switch', { controlling, cause });
  ctx.role = controlling ? controllingRole : controlledRole;
  ctx.checklist.recomputePriorities(controlling);
  ctx.deadlines.disarm('nominate');
  ctx.firstValidAt = undefined;
  ctx.checklist.forEach((p) => {
    p.nominating = false;
    p.peerNominated = false;
  });
  if (controlling) {
    const best = ctx.checklist.bestValid();
    if (best) scheduleNomination(ctx, best, now);
  }
}
