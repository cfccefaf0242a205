/**
 * Incoming Binding requests (RFC 8445 §7.3): authenticate (USERNAME "<local ufrag>:<remote ufrag>",
 * MESSAGE-INTEGRITY keyed with the LOCAL pwd), resolve role conflicts (§7.3.1.1), answer (always, on
 * every pair, forever: protocol.md §4.6), learn peer-reflexive remote candidates (§7.3.1.3), queue
 * triggered checks (§7.3.1.4) and pass USE-CANDIDATE to the role (§7.3.1.5). Checks that arrive
 * before the remote credentials are answered and kept (bounded) for replay (RFC 8838 §11).
 */
import type { Datagram, Millis } from '../core/types.js';
import { addrKey, sameAddr } from '../core/types.js';
import { StunMethod } from '../stun/constants.js';
import { getAttr, hasAttr, unknownComprehensionRequired } from '../stun/helpers.js';
import { shortTermKey, verifyIntegrity } from '../stun/integrity.js';
import type { StunMessage } from '../stun/message.js';
import { buildError, normalizeAddr } from './binding.js';
import type { Candidate } from './candidate.js';
import { markAlive } from './checks.js';
import { answerCheck } from './embedded.js';
import { noteAlive } from './consent.js';
import type { AgentContext, EarlyCheck, Generation } from './context.js';
import { setRole } from './nomination.js';
import { pairKey, type CandidatePair } from './pair.js';
import { ensurePacing, evaluateProgress } from './progress.js';

function reply(ctx: AgentContext, dg: Datagram, data: Uint8Array): void {
  // RFC 8445 §7.3.1.3: from the address the request arrived on, to its source.
  ctx.transmits.push({ from: dg.to, to: dg.from, data });
}

function generationFor(ctx: AgentContext, localUfrag: string): Generation | undefined {
  if (ctx.gen.local.ufrag === localUfrag) return ctx.gen;
  if (ctx.selectedGen?.local.ufrag === localUfrag) return ctx.selectedGen;
  return undefined;
}

/** RFC 8445 §7.3.1.1. Returns false when we answered 487 and the request is done. */
function resolveRoleConflict(ctx: AgentContext, msg: StunMessage, now: Millis): boolean {
  const theirs = ctx.role.controlling ? getAttr(msg, 'iceControlling') : getAttr(msg, 'iceControlled');
  if (theirs === undefined) return true;
  const ourWins = ctx.opts.tieBreaker >= theirs;
  if (ctx.role.controlling) {
    if (ourWins) return false;
    setRole(ctx, false, now, 'peer also controlling with a larger tie-breaker');
    return true;
  }
  if (ourWins) {
    setRole(ctx, true, now, 'peer also controlled with a smaller tie-breaker');
    return true;
  }
  return false;
}

/** RFC 8445 §7.3 / RFC 8489 §6.3: rejects what we cannot accept. Returns the authenticated generation. */
function authenticate(ctx: AgentContext, msg: StunMessage, dg: Datagram): { gen: Generation; username: string; priority: number } | undefined {
  const unknown = unknownComprehensionRequired(msg);
  if (unknown.length > 0) {
    reply(ctx, dg, buildError(msg, 420, ctx.opts.crypto, undefined, [{ type: 'unknownAttributes', value: unknown }]));
    return undefined;
  }
  const username = getAttr(msg, 'username');
  const priority = getAttr(msg, 'priority');
  if (username === undefined || priority === undefined || !hasAttr(msg, 'messageIntegrity')) {
    reply(ctx, dg, buildError(msg, 400, ctx.opts.crypto));
    return undefined;
  }
  const colon = username.indexOf(':');
  const gen = generationFor(ctx, colon < 0 ? username : username.slice(0, colon));
  if (colon < 0 || !gen || !verifyIntegrity(dg.data, shortTermKey(gen.local.pwd), ctx.opts.crypto, 'sha1')) {
    ctx.stats.unauthenticated++;
    reply(ctx, dg, buildError(msg, 401, ctx.opts.crypto));
    return undefined;
  }
  return { gen, username, priority };
}

/** Handles one decoded STUN request. Never throws for bad input. */
export function onRequest(ctx: AgentContext, msg: StunMessage, dg: Datagram, now: Millis): void {
  if (msg.method !== StunMethod.Binding) {
    ctx.stats.droppedBadStun++;
    return;
  }
  ctx.stats.checksReceived++;
  const auth = authenticate(ctx, msg, dg);
  if (!auth) return;
  const { gen, username, priority } = auth;
  if (!resolveRoleConflict(ctx, msg, now)) {
    reply(ctx, dg, buildError(msg, 487, ctx.opts.crypto, gen.local.pwd));
    return;
  }
  answerCheck(ctx, msg, dg, gen.local.pwd, gen === ctx.gen);
  const remoteUfrag = username.slice(username.indexOf(':') + 1);
  const check: EarlyCheck = { remoteUfrag, from: dg.from, to: dg.to, priority, useCandidate: hasAttr(msg, 'useCandidate') };
  if (gen !== ctx.gen) {
    // A check under the previous generation (during a restart): liveness of the old selected pair only.
    const sel = ctx.selected;
    if (sel && sameAddr(sel.remote, dg.from) && sameAddr(sel.local.base, dg.to)) noteAlive(ctx, sel, now);
    return;
  }
  if (gen.remote === undefined || gen.remote.ufrag !== remoteUfrag) {
    bufferEarly(ctx, check);
    return;
  }
  processCheck(ctx, check, now);
}

/**
 * Keeps an early check for replay. Its source proved it knows our password, so DTLS from there is
 * surfaced from now on: a peer that starts DTLS as soon as its own check succeeded (libwebrtc,
 * libdatachannel) may send its ClientHello before our answer arrived, and PeerStack keeps it until
 * its DTLS endpoint exists instead of the peer waiting for a retransmission (issue 6).
 */
function bufferEarly(ctx: AgentContext, check: EarlyCheck): void {
  if (ctx.earlyChecks.length >= ctx.opts.maxEarlyChecks) {
    ctx.stats.earlyChecksDropped++;
    return;
  }
  ctx.earlyChecks.push(check);
  ctx.validated.add(addrKey(check.from));
}

/** Replays buffered checks once the remote credentials are known (those of another ufrag are dropped). */
export function replayEarlyChecks(ctx: AgentContext, now: Millis): void {
  const early = ctx.earlyChecks;
  ctx.earlyChecks = [];
  for (let i = 0; i < early.length; i++) {
    const c = early[i] as EarlyCheck;
    if (c.remoteUfrag === ctx.gen.remote?.ufrag) processCheck(ctx, c, now);
  }
}

/** RFC 8445 §7.3.1.3: a source address we do not know is a new remote peer-reflexive candidate. */
function remoteFor(ctx: AgentContext, check: EarlyCheck): Candidate | undefined {
  const key = addrKey(check.from);
  const known = ctx.remotes.get(key);
  if (known) return known;
  if (ctx.remotes.size >= ctx.opts.maxRemoteCandidates) {
    ctx.stats.remoteCandidatesDropped++;
    return undefined;
  }
  const c: Candidate = {
    foundation: `p${ctx.opts.rng.u32().toString(36)}`,
    component: 1,
    transport: 'udp',
    priority: check.priority,
    address: check.from.address,
    port: check.from.port,
    type: 'prflx',
    extensions: [],
  };
  ctx.remotes.set(key, c);
  return c;
}

/**
 * The peer's check came through on a pair whose own check we have already had to retransmit: the
 * path works now, while our transaction waits out a backoff of up to 1.6 s. RFC 8445 §7.3.1.4 cancels
 * an In-Progress transaction and triggers a new check on every such request; we do it only after a
 * retransmission (evidence of loss), so that crossing checks on a clean path cost no extra check.
 */
function cancelStalledCheck(ctx: AgentContext, pair: CandidatePair, now: Millis): boolean {
  return ctx.transactions.cancel(now, (tx) => tx.kind === 'check' && tx.pair === pair && !tx.consent && tx.gen === ctx.gen, 2) > 0;
}

/**
 * DTLS from the peer while ours waits for a valid pair is the same evidence as one of its checks
 * (cancelStalledCheck): the path works now. The peer's DTLS resends its flight on its own timer,
 * which brings it here long before our backed-off check goes out again.
 */
export function retryStalledOnData(ctx: AgentContext, dg: Datagram, now: Millis): void {
  const pair = ctx.checklist.get(pairKey(normalizeAddr(dg.to), normalizeAddr(dg.from)));
  if (!pair || pair.state !== 'in-progress' || !cancelStalledCheck(ctx, pair, now)) return;
  ctx.checklist.trigger(pair);
  ensurePacing(ctx, now);
}

function processCheck(ctx: AgentContext, check: EarlyCheck, now: Millis): void {
  const local = ctx.hosts.get(addrKey(check.to));
  const remote = local ? remoteFor(ctx, check) : undefined;
  if (!local || !remote) return;
  const pair = ctx.checklist.add(local, remote, ctx.role.controlling);
  if (!pair) {
    ctx.stats.pairsDropped++;
    return;
  }
  markAlive(ctx, pair, now);
  pair.peerChecked = true;
  // RFC 8445 §7.3.1.4: a triggered check unless the pair already succeeded or is being checked.
  if (pair.state !== 'succeeded' && (pair.state !== 'in-progress' || cancelStalledCheck(ctx, pair, now))) ctx.checklist.trigger(pair);
  ctx.role.onRequest(ctx, pair, check.useCandidate, now);
  evaluateProgress(ctx, now);
}
