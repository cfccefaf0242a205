/**
 * Checklist progress and the connection states it drives (RFC 8445 §6.1.3, §8.1.2; RFC 8838 §8):
 * when checks start (pacing Ta), when the agent fails for lack of a working pair, and `completed`.
 */
import type { Millis } from '../core/types.js';
import type { AgentContext } from './context.js';
import { selectedInCurrentGeneration } from './nomination.js';

/** Arms the pacing tick when a check may be sent: remote credentials known and a pair pending. */
export function ensurePacing(ctx: AgentContext, now: Millis): void {
  if (ctx.closed || ctx.gen.remote === undefined || ctx.deadlines.isArmed('pace')) return;
  if (!ctx.checklist.hasWork()) return;
  // RFC 8445 §14.2: one check every Ta at most.
  ctx.deadlines.arm('pace', Math.max(now, ctx.lastCheckAt + ctx.opts.checkPacingMs));
}

/** Re-evaluates the connection state after anything that changes the checklist or selection. */
export function evaluateProgress(ctx: AgentContext, now: Millis): void {
  if (ctx.closed) return;
  const m = ctx.machine;
  const pending = ctx.checklist.hasPending();
  const startable = m.state === 'new' || (m.state === 'failed' && ctx.selected === undefined);
  if (ctx.gen.remote !== undefined && pending && startable) m.transition('checking', 'checks started');
  ensurePacing(ctx, now);
  const anyValid = ctx.checklist.bestValid() !== undefined;
  if (pending || anyValid) ctx.deadlines.disarm('fail-idle');
  else if (m.state === 'checking') noPairLeft(ctx, now);
  if (m.state === 'connected' && isComplete(ctx)) m.transition('completed', 'checks done, both ends finished gathering');
}

/**
 * W3C `completed`: a pair of this generation selected (nominated, for the controlled side, whose
 * first selection is provisional), nothing left to check, both ends done gathering.
 */
export function isComplete(ctx: AgentContext): boolean {
  const done = !ctx.checklist.hasPending() && ctx.gen.remoteEndOfCandidates && ctx.gathering === 'complete';
  return done && selectedInCurrentGeneration(ctx) && (ctx.role.controlling || ctx.selected?.peerNominated === true);
}

/**
 * Nothing left to check and nothing valid: with the peer's end-of-candidates that is final (RFC 8838
 * §8), otherwise wait failIdleMs for trickled candidates.
 */
function noPairLeft(ctx: AgentContext, now: Millis): void {
  if (ctx.gen.remoteEndOfCandidates) ctx.machine.transition('failed', 'all pairs failed');
  else ctx.deadlines.armIfIdle('fail-idle', now + ctx.opts.failIdleMs);
}

/** The fail-idle timer fired: still nothing to check and nothing valid. */
export function onFailIdle(ctx: AgentContext): void {
  if (ctx.machine.state === 'checking' && !ctx.checklist.hasPending() && ctx.checklist.bestValid() === undefined) {
    ctx.machine.transition('failed', `no working pair after ${ctx.opts.failIdleMs} ms without new candidates`);
  }
}
