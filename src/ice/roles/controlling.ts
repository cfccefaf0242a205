/**
 * The controlling role: regular nomination (RFC 8445 §8.1.1). After the first valid pair, wait a
 * little for better ones (nominationDelayMs), then re-check the best valid pair with USE-CANDIDATE;
 * it is selected when that check succeeds.
 */
import type { RoleStrategy } from './role.js';
import { scheduleNomination, selectPair } from '../nomination.js';

export const controllingRole: RoleStrategy = {
  controlling: true,
  nominateInConsent: true,
  onCheckSucceeded(ctx, pair, tx, now) {
    if (tx.useCandidate) {
      // RFC 8445 §8.1.1: the pair is nominated once the USE-CANDIDATE check succeeds.
      pair.nominating = false;
      selectPair(ctx, pair, now);
      return;
    }
    scheduleNomination(ctx, pair, now);
  },
  onRequest() {
    // The controlled peer's checks nominate nothing (RFC 8445 §7.3.1.5).
  },
};
