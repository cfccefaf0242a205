/**
 * The checklist of one data stream with one component (RFC 8445 §6.1.2, trickle RFC 8838 §11):
 * pairs sorted by priority, frozen/waiting/in-progress/succeeded/failed, the triggered-check queue
 * (§7.3.1.4) and the choice of the next check at each pacing tick (§6.1.4.2).
 *
 * Bounded: at most `maxPairs` pairs (RFC 8445 §6.1.2.5 suggests 100). When full, a new pair enters
 * only by evicting the lowest-priority pair that is frozen, waiting or failed.
 */
import type { Candidate } from './candidate.js';
import type { CandidatePair, LocalCandidate, PairState } from './pair.js';
import { computePairPriority, newPair } from './pair.js';

const ACTIVE: ReadonlySet<PairState> = new Set(['frozen', 'waiting', 'in-progress']);

export class CheckList {
  private readonly pairs = new Map<string, CandidatePair>();
  private readonly triggered: string[] = [];

  constructor(private readonly maxPairs: number) {}

  get size(): number {
    return this.pairs.size;
  }

  get(key: string): CandidatePair | undefined {
    return this.pairs.get(key);
  }

  /** Calls `fn` on every pair, in insertion order (no iterator objects: issue 6 setup). */
  forEach(fn: (pair: CandidatePair) => void): void {
    this.pairs.forEach(fn);
  }

  /** Pairs by descending priority. */
  sorted(): CandidatePair[] {
    const out: CandidatePair[] = [];
    this.pairs.forEach((p) => out.push(p));
    return out.sort((a, b) => (a.priority === b.priority ? 0 : a.priority > b.priority ? -1 : 1));
  }

  /**
   * Adds the pair (local base, remote) unless one with the same key exists (pruning, RFC 8445
   * §6.1.2.4). New pairs start Waiting unless another pair of their foundation is still frozen,
   * waiting or in progress (RFC 8838 §11: then Frozen). Returns the pair, or undefined when full.
   */
  add(local: LocalCandidate, remote: Candidate, controlling: boolean): CandidatePair | undefined {
    const pair = newPair(local, remote, controlling);
    const existing = this.pairs.get(pair.key);
    if (existing) return existing;
    if (this.pairs.size >= this.maxPairs && !this.evictBelow(pair.priority)) return undefined;
    pair.state = this.hasActive(pair.foundation) ? 'frozen' : 'waiting';
    this.pairs.set(pair.key, pair);
    return pair;
  }

  /** Removes a pair (restart, eviction). */
  remove(key: string): void {
    this.pairs.delete(key);
    const i = this.triggered.indexOf(key);
    if (i >= 0) this.triggered.splice(i, 1);
  }

  /** Drops every pair except `keep` (ICE restart keeps the selected pair alive). */
  clear(keep?: CandidatePair): void {
    this.pairs.clear();
    this.triggered.length = 0;
    if (keep) this.pairs.set(keep.key, keep);
  }

  private evictBelow(priority: bigint): boolean {
    let victim: CandidatePair | undefined;
    this.pairs.forEach((p) => {
      if (p.state === 'in-progress' || p.state === 'succeeded') return;
      if (p.priority < priority && (!victim || p.priority < victim.priority)) victim = p;
    });
    if (!victim) return false;
    this.remove(victim.key);
    return true;
  }

  private hasActive(foundation: string): boolean {
    let found = false;
    this.pairs.forEach((p) => {
      if (p.foundation === foundation && ACTIVE.has(p.state)) found = true;
    });
    return found;
  }

  /** RFC 8445 §7.3.1.4: queue a triggered check (once); the pair becomes Waiting. */
  trigger(pair: CandidatePair): void {
    if (!this.pairs.has(pair.key)) return;
    if (pair.state !== 'in-progress') pair.state = 'waiting';
    if (!this.triggered.includes(pair.key)) this.triggered.push(pair.key);
  }

  /**
   * The pair to check at this tick (RFC 8445 §6.1.4.2): the triggered queue first, then the highest
   * priority Waiting pair; with none Waiting, unfreeze one Frozen pair per foundation that has no
   * Waiting/In-Progress pair, and try again. Returns undefined when there is nothing to do.
   */
  next(): CandidatePair | undefined {
    for (let key = this.triggered.shift(); key !== undefined; key = this.triggered.shift()) {
      const p = this.pairs.get(key);
      if (p && p.state !== 'failed') return p;
    }
    const waiting = this.bestIn('waiting');
    if (waiting) return waiting;
    this.unfreezeIdleFoundations();
    return this.bestIn('waiting');
  }

  private bestIn(state: PairState): CandidatePair | undefined {
    let best: CandidatePair | undefined;
    // forEach, not for-of (here and below): no iterator objects, which the interpreter allocates per
    // element in the code a connection runs a few times (issue 6 setup)
    this.pairs.forEach((p) => {
      if (p.state === state && (!best || p.priority > best.priority)) best = p;
    });
    return best;
  }

  private unfreezeIdleFoundations(): void {
    const busy = new Set<string>();
    this.pairs.forEach((p) => {
      if (p.state === 'waiting' || p.state === 'in-progress') busy.add(p.foundation);
    });
    const byPriority = this.sorted();
    for (let i = 0; i < byPriority.length; i++) {
      const p = byPriority[i] as CandidatePair;
      if (p.state !== 'frozen' || busy.has(p.foundation)) continue;
      p.state = 'waiting';
      busy.add(p.foundation);
    }
  }

  /** RFC 8445 §7.2.5.3.3: a success unfreezes the other pairs of its foundation. */
  unfreezeFoundation(foundation: string): void {
    this.pairs.forEach((p) => {
      if (p.state === 'frozen' && p.foundation === foundation) p.state = 'waiting';
    });
  }

  /** True when the pacing tick has something to send (a triggered, waiting or frozen pair). */
  hasWork(): boolean {
    if (this.triggered.length > 0) return true;
    let work = false;
    this.pairs.forEach((p) => {
      if (p.state === 'waiting' || p.state === 'frozen') work = true;
    });
    return work;
  }

  /** True while some pair may still be checked or is being checked. */
  hasPending(): boolean {
    if (this.triggered.length > 0) return true;
    let pending = false;
    this.pairs.forEach((p) => {
      if (ACTIVE.has(p.state)) pending = true;
    });
    return pending;
  }

  /** The best succeeded pair, if any (RFC 8445 §7.2.5.3.2 valid list, by priority). */
  bestValid(): CandidatePair | undefined {
    return this.bestIn('succeeded');
  }

  /** Role change (RFC 8445 §7.3.1.1): pair priorities are recomputed from the new point of view. */
  recomputePriorities(controlling: boolean): void {
    this.pairs.forEach((p) => {
      p.priority = computePairPriority(p.local.candidate.priority, p.remote.priority, controlling);
    });
  }
}
