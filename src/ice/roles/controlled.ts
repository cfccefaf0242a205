/**
 * The controlled role (RFC 8445 §7.3.1.5, §8.1.2): a pair is selected when a USE-CANDIDATE request
 * arrives on it and it has succeeded (or when our triggered check on it succeeds afterwards).
 *
 * Until the peer nominates, the first pair whose check succeeds is selected provisionally, as
 * libwebrtc's controlled side does (it sends on its best writable connection before nomination,
 * protocol.md §4: DTLS may start on a succeeded pair): our DTLS client starts one nomination round
 * trip earlier (issue 6 setup time). The nomination then confirms it or moves data to its pair.
 *
 * Re-nomination (protocol.md §4.5, interop bug 3): the LATEST nominated pair wins, even when it has
 * a lower priority than the current one, because Chrome may nominate another pair later and then
 * keep only that one alive. Aggressive nomination (USE-CANDIDATE on every check) converges the same way.
 */
import type { RoleStrategy } from './role.js';
import { selectPair, selectedInCurrentGeneration } from '../nomination.js';

export const controlledRole: RoleStrategy = {
  controlling: false,
  nominateInConsent: false,
  onCheckSucceeded(ctx, pair, _tx, now) {
    if (pair.peerNominated || !selectedInCurrentGeneration(ctx)) selectPair(ctx, pair, now);
  },
  onRequest(ctx, pair, useCandidate, now) {
    if (!useCandidate) return;
    ctx.checklist.forEach((p) => {
      if (p !== pair) p.peerNominated = false;
    });
    pair.peerNominated = true;
    if (pair.state === 'succeeded') selectPair(ctx, pair, now);
    else ctx.checklist.trigger(pair);
  },
};
