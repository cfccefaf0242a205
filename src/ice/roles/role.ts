/**
 * Role-dependent ICE behaviour as strategy objects (RFC 8445 §6.1.1, §8): the controlling agent
 * nominates, the controlled agent follows nominations. The agent swaps the object on a role
 * conflict (§7.3.1.1) instead of testing `if (controlling)` everywhere.
 */
import type { Millis } from '../../core/types.js';
import type { AgentContext, TxContext } from '../context.js';
import type { CandidatePair } from '../pair.js';

export interface RoleStrategy {
  readonly controlling: boolean;
  /** A check we sent on `pair` succeeded. */
  onCheckSucceeded(ctx: AgentContext, pair: CandidatePair, tx: Extract<TxContext, { kind: 'check' }>, now: Millis): void;
  /** An authenticated check from the peer arrived on `pair` (already answered). */
  onRequest(ctx: AgentContext, pair: CandidatePair, useCandidate: boolean, now: Millis): void;
  /** Whether our checks on the selected pair carry USE-CANDIDATE (consent, protocol.md §4.6). */
  readonly nominateInConsent: boolean;
}
