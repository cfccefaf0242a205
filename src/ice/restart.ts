/**
 * ICE restart (RFC 8445 §9, protocol.md §4.8): new local credentials, a fresh checklist and remote
 * candidate set, gathering again; the selected pair (with its old credentials) keeps carrying data
 * and consent until a pair of the new generation is selected.
 */
import type { Millis } from '../core/types.js';
import { addrKey } from '../core/types.js';
import { ClientTransactions } from '../stun/transaction.js';
import { CheckList } from './checklist.js';
import type { AgentContext, TxContext } from './context.js';
import { gather } from './gathering.js';
import { checkCredentials, randomCredentials } from './options.js';

export function restartAgent(ctx: AgentContext, now: Millis, ufrag?: string, pwd?: string): void {
  const random = ufrag === undefined || pwd === undefined ? randomCredentials(ctx.opts.rng) : undefined;
  const local = { ufrag: ufrag ?? random?.ufrag ?? '', pwd: pwd ?? random?.pwd ?? '' };
  checkCredentials(local.ufrag, local.pwd);
  ctx.opts.logger.log('info', 'ICE restart', { ufrag: local.ufrag });
  ctx.gen = { local, remote: undefined, remoteEndOfCandidates: false };
  ctx.checklist = new CheckList(ctx.opts.maxPairs);
  // Transactions of the old generation are dropped; consent resumes at its next tick.
  ctx.transactions = new ClientTransactions<TxContext>();
  ctx.remotes = new Map();
  ctx.validated = new Set(ctx.selected ? [addrKey(ctx.selected.remote)] : []);
  ctx.earlyChecks = [];
  ctx.locals = [...ctx.hosts.values()];
  ctx.firstValidAt = undefined;
  ctx.pendingSrflx = 0;
  ctx.deadlines.disarm('pace');
  ctx.deadlines.disarm('nominate');
  ctx.deadlines.disarm('fail-idle');
  const wasGathering = ctx.gathering !== 'idle';
  ctx.gathering = 'idle';
  if (wasGathering) gather(ctx, now);
}
