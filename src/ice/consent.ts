/**
 * Consent freshness and keepalive on the selected pair (RFC 7675, protocol.md §4.6, interop bug 2).
 *
 * - A consent check (a Binding request with full ICE attributes, USE-CANDIDATE when controlling)
 *   leaves every consentIntervalMin..Max ms (uniformly random from rng, 4–6 s by default). The next
 *   one is armed BEFORE this one is sent, whatever happens to it: one lost response never stops the loop.
 * - Liveness = an authenticated response on the selected pair, or an authenticated request from the
 *   peer on it (Chrome 144+ may stop answering while still checking, str0m PR#848).
 * - No liveness for disconnectedAfterMs (8 s default) → `disconnected`; liveness returns → back to
 *   `connected`; none for consentExpiryMs (30 s, RFC 7675 §5.1) → consent expired → `failed`, the
 *   pair is dropped and send() refuses data (RFC 7675 §5.1: stop sending).
 */
import { randomInt } from '../core/rng.js';
import type { Millis } from '../core/types.js';
import { sendCheck } from './checks.js';
import type { AgentContext } from './context.js';
import type { CandidatePair } from './pair.js';
import { evaluateProgress, isComplete } from './progress.js';

function nextInterval(ctx: AgentContext): number {
  return randomInt(ctx.opts.rng, ctx.opts.consentIntervalMinMs, ctx.opts.consentIntervalMaxMs);
}

/** A pair was selected: start (or restart) the consent loop and the liveness watch. */
export function startConsent(ctx: AgentContext, now: Millis): void {
  ctx.deadlines.arm('consent', now + nextInterval(ctx));
  ctx.deadlines.arm('liveness', now + ctx.opts.disconnectedAfterMs);
}

/** The consent timer fired: re-arm first, then send one check on the selected pair. */
export function onConsentTimer(ctx: AgentContext, now: Millis): void {
  const pair = ctx.selected;
  const gen = ctx.selectedGen;
  if (!pair || !gen || ctx.closed) return;
  ctx.deadlines.arm('consent', now + nextInterval(ctx));
  sendCheck(ctx, pair, gen, now, true);
}

/** Authenticated traffic crossed `pair`: refresh consent and recover from disconnected. */
export function noteAlive(ctx: AgentContext, pair: CandidatePair, now: Millis): void {
  pair.lastAliveAt = now;
  if (pair !== ctx.selected) return;
  ctx.deadlines.arm('liveness', now + ctx.opts.disconnectedAfterMs);
  if (ctx.machine.state === 'disconnected') {
    ctx.machine.transition(isComplete(ctx) ? 'completed' : 'connected', 'consent traffic returned');
    evaluateProgress(ctx, now);
  }
}

/** The liveness watch fired: disconnected after a silence, failed at consent expiry. */
export function onLivenessTimer(ctx: AgentContext, now: Millis): void {
  const pair = ctx.selected;
  if (!pair || ctx.closed) return;
  const silent = now - pair.lastAliveAt;
  if (silent >= ctx.opts.consentExpiryMs) {
    ctx.opts.logger.log('warn', 'consent expired', { silentMs: silent });
    ctx.selected = undefined;
    ctx.selectedGen = undefined;
    ctx.deadlines.disarm('consent');
    ctx.machine.transition('failed', `consent expired after ${silent} ms (RFC 7675)`);
    return;
  }
  if (silent >= ctx.opts.disconnectedAfterMs) {
    const s = ctx.machine.state;
    if (s === 'connected' || s === 'completed') ctx.machine.transition('disconnected', `no consent traffic for ${silent} ms`);
    ctx.deadlines.arm('liveness', pair.lastAliveAt + ctx.opts.consentExpiryMs);
    return;
  }
  ctx.deadlines.arm('liveness', pair.lastAliveAt + ctx.opts.disconnectedAfterMs);
}
