/**
 * Remote candidates and credentials (RFC 8445 §6.1.2, trickle RFC 8838 §9/§11). Candidates are
 * paired with every host base of the same family; checks start once the remote credentials are known.
 *
 * Ignored and counted (never thrown): `tcp` candidates (no ICE-TCP, protocol.md §4.9), components
 * other than 1, mDNS `.local` names (resolution is out of scope: peer-reflexive discovery still
 * connects, §4.7), candidates whose `ufrag` extension names another generation (§4.8), and any
 * beyond maxRemoteCandidates.
 */
import { UsageError } from '../core/errors.js';
import type { Millis } from '../core/types.js';
import { addrKey } from '../core/types.js';
import { isIpLiteral, normalizeAddress } from './binding.js';
import type { Candidate } from './candidate.js';
import { candidateExtension, sameFamily } from './candidate.js';
import type { AgentContext } from './context.js';
import type { LocalCandidate } from './pair.js';
import { scheduleNomination } from './nomination.js';
import { evaluateProgress } from './progress.js';

/** Why a remote candidate was not used, or 'added' / 'known'. */
export type RemoteCandidateResult = 'added' | 'known' | 'tcp' | 'component' | 'unresolved' | 'ufrag' | 'full' | 'closed';

function pairOne(ctx: AgentContext, local: LocalCandidate, remote: Candidate): void {
  if (!sameFamily(local.base.address, remote.address)) return;
  if (!ctx.checklist.add(local, remote, ctx.role.controlling)) ctx.stats.pairsDropped++;
}

export function pairLocalWithRemotes(ctx: AgentContext, local: LocalCandidate, now: Millis): void {
  ctx.remotes.forEach((r) => pairOne(ctx, local, r));
  evaluateProgress(ctx, now);
}

function classify(ctx: AgentContext, c: Candidate): RemoteCandidateResult | undefined {
  if (ctx.closed) return 'closed';
  if (c.transport !== 'udp') return 'tcp';
  if (c.component !== 1) return 'component';
  if (!isIpLiteral(c.address)) return 'unresolved';
  const ufrag = candidateExtension(c, 'ufrag');
  if (ufrag !== undefined && ctx.gen.remote !== undefined && ufrag !== ctx.gen.remote.ufrag) return 'ufrag';
  return undefined;
}

/** Adds a trickled or SDP candidate of the current generation. */
export function addRemoteCandidate(ctx: AgentContext, raw: Candidate, now: Millis): RemoteCandidateResult {
  const refused = classify(ctx, raw);
  if (refused) {
    ctx.stats.remoteCandidatesDropped++;
    return refused;
  }
  const address = normalizeAddress(raw.address);
  const c = address === raw.address ? raw : { ...raw, address };
  const key = addrKey(c);
  const known = ctx.remotes.get(key);
  if (known) {
    if (known.type === 'prflx' && c.type !== 'prflx') learnTypeOfPrflx(ctx, key, c, now);
    return 'known';
  }
  if (ctx.remotes.size >= ctx.opts.maxRemoteCandidates) {
    ctx.stats.remoteCandidatesDropped++;
    return 'full';
  }
  ctx.remotes.set(key, c);
  ctx.hosts.forEach((local) => pairOne(ctx, local, c));
  evaluateProgress(ctx, now);
  return 'added';
}

/**
 * The peer's check reached us before its signalled candidate (trickle race, or credentials applied
 * before the SDP candidates): the remote was learnt as peer-reflexive (RFC 8445 §7.3.1.3). Its
 * signalled type replaces that guess, as libwebrtc does, so nomination no longer waits the prflx
 * delay (1 s) for a pair that is really host-to-host. The pairs made with the guess (the selected
 * one included: an mDNS name often resolves after the prflx pair is up) carry the signalled one.
 */
function learnTypeOfPrflx(ctx: AgentContext, key: string, signalled: Candidate, now: Millis): void {
  const guess = ctx.remotes.get(key);
  ctx.remotes.set(key, signalled);
  ctx.checklist.forEach((p) => {
    if (p.remote === guess) p.remote = signalled;
  });
  const best = ctx.role.controlling ? ctx.checklist.bestValid() : undefined;
  if (best) scheduleNomination(ctx, best, now);
}

/** RFC 8838 §8.2: the peer will send no more candidates in this generation. */
export function endOfRemoteCandidates(ctx: AgentContext, now: Millis): void {
  ctx.gen.remoteEndOfCandidates = true;
  evaluateProgress(ctx, now);
}

/** Checks the peer's credentials loosely: they come from the peer's SDP (RFC 8839 §5.4 bounds). */
export function checkRemoteCredentials(ufrag: string, pwd: string): void {
  if (ufrag.length === 0 || ufrag.length > 256 || ufrag.includes(':')) throw new UsageError('ice.remote-ufrag', 'remote ice-ufrag must be 1-256 chars without ":"');
  if (pwd.length === 0 || pwd.length > 256) throw new UsageError('ice.remote-pwd', 'remote ice-pwd must be 1-256 chars');
}
