/**
 * The state an IceAgent shares between its concern modules (gathering, checks, incoming requests,
 * nomination, consent, restart). Modules are free functions over this context; only the agent
 * creates it. Nothing here is exported from the package.
 */
import { Deadlines } from '../core/deadlines.js';
import { Queue } from '../core/event-queue.js';
import type { Addr, Datagram, Millis } from '../core/types.js';
import type { StunMessage } from '../stun/message.js';
import type { ClientTransactions } from '../stun/transaction.js';
import type { Candidate } from './candidate.js';
import type { CheckList } from './checklist.js';
import type { ResolvedIceAgentOptions } from './options.js';
import type { CandidatePair, LocalCandidate } from './pair.js';
import type { RoleStrategy } from './roles/role.js';
import type { DtlsInStun } from './sped.js';
import type { IceConnectionState, IceStateMachine } from './state.js';

/** Events an IceAgent reports (drain with pollEvent). */
export type IceEvent =
  /** A local candidate to signal to the peer (trickle, RFC 8838). */
  | { readonly type: 'candidate'; readonly candidate: Candidate }
  /** Gathering finished: signal end-of-candidates. Reported again after each restart. */
  | { readonly type: 'gathering-complete' }
  | { readonly type: 'state'; readonly state: IceConnectionState }
  /** The pair application data now uses. `local` is the local prflx when the check revealed one. */
  | { readonly type: 'selected-pair'; readonly local: Candidate; readonly remote: Candidate }
  /** A DTLS datagram (first byte 20–63, RFC 7983) from a remote address that passed a check. */
  | { readonly type: 'data'; readonly data: Uint8Array; readonly from: Addr; readonly embedded?: true };

/** ICE credentials of one side. */
export interface Credentials {
  readonly ufrag: string;
  readonly pwd: string;
}

/** The credentials of one ICE generation (a restart starts a new one, RFC 8445 §9). */
export interface Generation {
  readonly local: Credentials;
  remote: Credentials | undefined;
  remoteEndOfCandidates: boolean;
}

/** What an outstanding STUN transaction was for. */
export type TxContext =
  | {
      readonly kind: 'check';
      readonly pair: CandidatePair;
      readonly gen: Generation;
      readonly controlling: boolean;
      readonly useCandidate: boolean;
      readonly priority: number;
      readonly consent: boolean;
      /** CRC-32 of the DTLS packet embedded in the check (sped.ts), if any. */
      readonly embedded: number | undefined;
    }
  | { readonly kind: 'srflx'; readonly base: Addr; readonly server: Addr; readonly gen: Generation };

/** A success response held until the DTLS its request embedded was taken (sped.ts, ice/incoming.ts). */
export interface HeldReply {
  readonly request: StunMessage;
  readonly dg: Datagram;
  readonly pwd: string;
}

/** A check that arrived before the remote credentials (RFC 8838 §11 / RFC 8445 §7.3.1.4). */
export interface EarlyCheck {
  readonly remoteUfrag: string;
  readonly from: Addr;
  readonly to: Addr;
  readonly priority: number;
  readonly useCandidate: boolean;
}

export type DeadlineKey = 'pace' | 'consent' | 'liveness' | 'nominate' | 'fail-idle';

/** Counters of dropped or notable input (bounded-memory and bad-input accounting). */
export interface IceStats {
  droppedNonStun: number;
  droppedBadStun: number;
  unauthenticated: number;
  roleConflicts: number;
  remoteCandidatesDropped: number;
  pairsDropped: number;
  earlyChecksDropped: number;
  checksSent: number;
  checksReceived: number;
}

export interface AgentContext {
  readonly opts: ResolvedIceAgentOptions;
  readonly transmits: Queue<Datagram>;
  readonly events: Queue<IceEvent>;
  readonly deadlines: Deadlines<DeadlineKey>;
  readonly machine: IceStateMachine;
  readonly stats: IceStats;
  transactions: ClientTransactions<TxContext>;
  checklist: CheckList;
  role: RoleStrategy;
  gen: Generation;
  /** Host candidates by addrKey(base). */
  readonly hosts: Map<string, LocalCandidate>;
  /** Every local candidate signalled or learnt (host, srflx, local prflx), current generation. */
  locals: LocalCandidate[];
  /** Remote candidates of the current generation by addrKey (incl. peer-reflexive). */
  remotes: Map<string, Candidate>;
  /** Remote addresses that passed an authenticated exchange: data from them is surfaced. */
  validated: Set<string>;
  earlyChecks: EarlyCheck[];
  selected: CandidatePair | undefined;
  /** Generation the selected pair was checked under (older than `gen` during a restart). */
  selectedGen: Generation | undefined;
  /** Gathering: not started, running (STUN servers pending), or complete. */
  gathering: 'idle' | 'gathering' | 'complete';
  /** Outstanding STUN-server transactions of the current generation. */
  pendingSrflx: number;
  /** close() was called: everything stops. */
  closed: boolean;
  /** When the first valid pair appeared (controlling nomination timer). */
  firstValidAt: Millis | undefined;
  /** When the last ordinary or triggered check left (pacing, Ta). */
  lastCheckAt: Millis;
  /** Data (DTLS) waiting for a valid pair (early-data.ts); SPED embeds it in checks (sped.ts). */
  readonly unsent: Uint8Array[];
  readonly sped: DtlsInStun;
  /** Responses waiting for the embedded DTLS of their request to be taken (pollEvent). */
  readonly heldReplies: HeldReply[];
  /** Embedded-DTLS `data` events queued and not yet taken. */
  embeddedUntaken: number;
}

export function newStats(): IceStats {
  return {
    droppedNonStun: 0,
    droppedBadStun: 0,
    unauthenticated: 0,
    roleConflicts: 0,
    remoteCandidatesDropped: 0,
    pairsDropped: 0,
    earlyChecksDropped: 0,
    checksSent: 0,
    checksReceived: 0,
  };
}

export function newQueues(): { transmits: Queue<Datagram>; events: Queue<IceEvent>; deadlines: Deadlines<DeadlineKey> } {
  return { transmits: new Queue<Datagram>(), events: new Queue<IceEvent>(), deadlines: new Deadlines<DeadlineKey>() };
}
