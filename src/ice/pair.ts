/**
 * Candidate pairs (RFC 8445 §6.1.2) and their check states (§6.1.2.6). A pair joins a local BASE
 * (host candidates only: server-reflexive candidates are replaced by their bases and pruned, §6.1.2.4)
 * and a remote candidate of the same family over UDP.
 */
import type { Addr } from '../core/types.js';
import { addrKey } from '../core/types.js';
import type { Candidate } from './candidate.js';
import { pairPriority } from './candidate.js';

export type PairState = 'frozen' | 'waiting' | 'in-progress' | 'succeeded' | 'failed';

/** A local candidate with the socket address it sends from (RFC 8445 §5.1.1). */
export interface LocalCandidate {
  readonly candidate: Candidate;
  readonly base: Addr;
}

/** Mutable per-pair bookkeeping, owned by the CheckList. */
export interface CandidatePair {
  /** `<base>|<remote>`: the identity used for pruning and lookups. */
  readonly key: string;
  readonly local: LocalCandidate;
  /** Replaced once when a peer-reflexive guess is later signalled with its real type (remote.ts). */
  remote: Candidate;
  /** Local foundation + ':' + remote foundation (RFC 8445 §6.1.2.6). */
  readonly foundation: string;
  priority: bigint;
  state: PairState;
  /** The local candidate a successful check revealed (a local prflx when the mapped address was new). */
  mappedLocal?: Candidate;
  /** Controlled side: the peer sent USE-CANDIDATE on this pair; select it once it succeeds. */
  peerNominated: boolean;
  /** An authenticated check from the peer arrived on this pair (and was answered). */
  peerChecked: boolean;
  /** Controlling side: our next check on this pair carries USE-CANDIDATE. */
  nominating: boolean;
  /** Last time an authenticated request or response crossed this pair (consent, RFC 7675). */
  lastAliveAt: number;
}

export function pairKey(base: Addr, remote: Addr): string {
  return `${addrKey(base)}|${addrKey(remote)}`;
}

/** The priority of (local, remote) from the point of view of an agent with `controlling`. */
export function computePairPriority(localPriority: number, remotePriority: number, controlling: boolean): bigint {
  return controlling ? pairPriority(localPriority, remotePriority) : pairPriority(remotePriority, localPriority);
}

export function newPair(local: LocalCandidate, remote: Candidate, controlling: boolean): CandidatePair {
  return {
    key: pairKey(local.base, remote),
    local,
    remote,
    foundation: `${local.candidate.foundation}:${remote.foundation}`,
    priority: computePairPriority(local.candidate.priority, remote.priority, controlling),
    state: 'frozen',
    peerNominated: false,
    peerChecked: false,
    nominating: false,
    lastAliveAt: Number.NEGATIVE_INFINITY,
  };
}

/** Short text for logs and traces: `198.18.100.1:5000->198.18.0.2:6000 succeeded`. */
export function describePair(p: CandidatePair): string {
  return `${addrKey(p.local.base)}->${addrKey(p.remote)} ${p.state}`;
}
