/**
 * The controlled role (RFC 8445 §7.3.1.5, §8.1.2): a pair is selected when a USE-CANDIDATE request
 * arrives on it and it has succeeded (or when our triggered check on it succeeds afterwards).
 *
 * Re-nomination (protocol.md §4.5, interop bug 3): the LATEST nominated pair wins, even when it has
 * a lower priority than the current one, because Chrome may nominate another pair later and then
 * keep only that one alive. Aggressive nomination (USE-CANDIDATE on every check) converges the same way.
 */
import type { RoleStrategy } from './role.js';
import { selectPair } from '../nomination.js';

export const controlledRole: RoleStrategy = {
  controlling: false,
  nominateInConsent: false,
  onCheckSucceeded(ctx, pair, _tx, now) {
    if (pair.peerNominated) selectPair(ctx, pair, now);
  },
  onRequest(ctx, pair, useCandidate, now) {
    if (!useCandidate) return;
    for (const p of ctx.checklist.all()) if (p !== pair) p.peerNominated = false;
    pair.peerNominated = true;
    if (pair.state === 'succeeded') selectPair(ctx, pair, now);
    else ctx.checklist.trigger(pair);
  },
};
