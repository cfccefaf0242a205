/**
 * IceAgent options and their documented defaults. `resolveIceAgentOptions` applies the defaults and
 * throws UsageError on bad values.
 */
import type { CryptoProvider } from '../core/crypto.js';
import { UsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import type { Addr } from '../core/types.js';
import type { RetransmitOptions } from '../stun/transaction.js';
import type { TurnServerConfig, TurnTuning } from './relay.js';
import type { MdnsLookup } from './mdns-remote.js';

export interface IceAgentOptions {
  readonly rng: Rng;
  readonly crypto: CryptoProvider;
  readonly logger?: Logger;
  /** Initial role (offerer = controlling, RFC 8445 §6.1.1). Role conflicts may change it. Default false. */
  readonly controlling?: boolean;
  /** Local credentials (RFC 8839 §5.4: ufrag ≥ 4, pwd ≥ 22 ice-chars); generated from rng if absent. */
  readonly localUfrag?: string;
  readonly localPwd?: string;
  /** 64-bit tie-breaker for role conflicts (RFC 8445 §7.3.1.1); from rng if absent. */
  readonly tieBreaker?: bigint;
  /** STUN servers (resolved addresses; see parseStunUrl) for server-reflexive candidates. */
  readonly stunServers?: readonly Addr[];
  /** Accept loopback addresses from addLocalAddress (off by default, like browsers). */
  readonly includeLoopback?: boolean;
  /** Ta, the pacing of connectivity checks (RFC 8445 §14.2). Default 50 ms. */
  readonly checkPacingMs?: number;
  /** Connectivity-check retransmissions. Default RTO 500 ms doubling up to 1600 ms, 7 requests,
   * give up 2 s after the last: a pair fails 9.9 s after its first check. */
  readonly checkRetransmit?: RetransmitOptions;
  /** STUN-server (srflx) retransmissions (protocol.md §4.10). Default RTO 500 ms, 6 requests (5
   * retransmits), give up 8 s after the last (23.5 s in all, libjuice's schedule). */
  readonly gatherRetransmit?: RetransmitOptions;
  /** Consent checks every [min, max] ms, uniformly random (RFC 7675 §5.1: 4–6 s). */
  readonly consentIntervalMinMs?: number;
  readonly consentIntervalMaxMs?: number;
  /** No consent traffic for this long moves connected -> disconnected. Default 8000 ms (above one
   * maximal consent interval plus one retransmission, so a single lost packet never trips it). */
  readonly disconnectedAfterMs?: number;
  /** Consent expiry (RFC 7675 §5.1): 30000 ms after the last authenticated response or request. */
  readonly consentExpiryMs?: number;
  /** Regular nomination waits this long after the first valid pair for a better one, by the remote
   * candidate type of that pair (pion's values). Default host 0, srflx 500, prflx 1000, relay 2000. */
  readonly nominationDelayMs?: Readonly<Record<'host' | 'srflx' | 'prflx' | 'relay', number>>;
  /** With nothing left to check and no remote end-of-candidates, wait this long before `failed`. Default 5000 ms. */
  readonly failIdleMs?: number;
  /** Bounded memory: remote candidates (incl. peer-reflexive) kept. Default 64. */
  readonly maxRemoteCandidates?: number;
  /** Bounded memory: candidate pairs (RFC 8445 §6.1.2.5 suggests 100). Default 100. */
  readonly maxPairs?: number;
  /** Bounded memory: local addresses accepted. Default 16. */
  readonly maxLocalAddresses?: number;
  /** Bounded memory: checks received before the remote credentials, kept for replay. Default 16. */
  readonly maxEarlyChecks?: number;
  /** TURN servers (resolved; see parseIceServers in src/turn) for relayed candidates (relay.ts). */
  readonly turnServers?: readonly TurnServerConfig[];
  /** W3C iceTransportPolicy: 'relay' = only relayed candidates, nothing but TURN traffic leaves the
   * agent (no host or srflx candidates, no STUN-server requests). Default 'all'. */
  readonly iceTransportPolicy?: 'all' | 'relay';
  /** Gathering completes at the latest this long after gather() even if an allocation is still
   * pending (a late relay candidate is still trickled). Default 10000 ms. */
  readonly relayGatherTimeoutMs?: number;
  /** TurnClient lifetimes, refresh intervals and retransmissions (defaults of src/turn). */
  readonly turn?: TurnTuning;
  /** Resolves remote `.local` candidates (mdns-remote.ts); absent = they are dropped as 'unresolved'. */
  readonly resolveMdns?: MdnsLookup;
}

export interface ResolvedIceAgentOptions {
  readonly rng: Rng;
  readonly crypto: CryptoProvider;
  readonly logger: Logger;
  readonly controlling: boolean;
  readonly localUfrag: string;
  readonly localPwd: string;
  readonly tieBreaker: bigint;
  readonly stunServers: readonly Addr[];
  readonly includeLoopback: boolean;
  readonly checkPacingMs: number;
  readonly checkRetransmit: RetransmitOptions;
  readonly gatherRetransmit: RetransmitOptions;
  readonly consentIntervalMinMs: number;
  readonly consentIntervalMaxMs: number;
  readonly disconnectedAfterMs: number;
  readonly consentExpiryMs: number;
  readonly nominationDelayMs: Readonly<Record<'host' | 'srflx' | 'prflx' | 'relay', number>>;
  readonly failIdleMs: number;
  readonly maxRemoteCandidates: number;
  readonly maxPairs: number;
  readonly maxLocalAddresses: number;
  readonly maxEarlyChecks: number;
  readonly turnServers: readonly TurnServerConfig[];
  readonly iceTransportPolicy: 'all' | 'relay';
  readonly relayGatherTimeoutMs: number;
  readonly turn: TurnTuning;
}

const ICE_CHAR_RE = /^[A-Za-z0-9+/]+$/;
const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Random local credentials (RFC 8839 §5.4: ufrag 8, pwd 24 ice-chars, 6 random bits each) and, with
 * `tieBreaker`, the 64-bit tie-breaker, from ONE `rng.bytes()` draw: a `u32()` per character made
 * a small array per call with the crypto Rng (issue 6: about 12 KiB of garbage per agent).
 */
export function randomCredentials(rng: Rng): { ufrag: string; pwd: string; tieBreaker: bigint } {
  const b = rng.bytes(40);
  const chars = (from: number, n: number): string => {
    let s = '';
    for (let i = from; i < from + n; i++) s += ICE_CHARS[(b[i] as number) & 63];
    return s;
  };
  let tieBreaker = 0n;
  for (let i = 32; i < 40; i++) tieBreaker = (tieBreaker << 8n) | BigInt(b[i] as number);
  return { ufrag: chars(0, 8), pwd: chars(8, 24), tieBreaker };
}

/** RFC 8839 §5.4: ice-ufrag 4–256 ice-chars, ice-pwd 22–256 ice-chars. */
export function checkCredentials(ufrag: string, pwd: string): void {
  if (ufrag.length < 4 || ufrag.length > 256 || !ICE_CHAR_RE.test(ufrag)) throw new UsageError('ice.ufrag', `bad ice-ufrag "${ufrag}" (4-256 ice-chars)`);
  if (pwd.length < 22 || pwd.length > 256 || !ICE_CHAR_RE.test(pwd)) throw new UsageError('ice.pwd', 'bad ice-pwd (22-256 ice-chars)');
}

function positive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new UsageError('ice.options', `${name} must be a positive number, got ${v}`);
  return v;
}

/** The numeric defaults (documented on IceAgentOptions). */
const NUMERIC_DEFAULTS = {
  checkPacingMs: 50,
  consentIntervalMinMs: 4000,
  consentIntervalMaxMs: 6000,
  disconnectedAfterMs: 8000,
  consentExpiryMs: 30000,
  failIdleMs: 5000,
  maxRemoteCandidates: 64,
  maxPairs: 100,
  maxLocalAddresses: 16,
  maxEarlyChecks: 16,
} as const;

type NumericOption = keyof typeof NUMERIC_DEFAULTS;

/** A numeric option, its default when absent (UsageError when not a positive number). */
const num = (o: IceAgentOptions, k: NumericOption): number => positive(k, o[k] ?? NUMERIC_DEFAULTS[k]);

const NO_SERVERS: readonly never[] = [];
const NO_TUNING: TurnTuning = {};
const CHECK_RETRANSMIT: RetransmitOptions = { rto: 500, maxRto: 1600, maxRequests: 7, lastWaitMultiplier: 4 };
const GATHER_RETRANSMIT: RetransmitOptions = { rto: 500, maxRequests: 6, lastWaitMultiplier: 16 };
const NOMINATION_DELAYS: ResolvedIceAgentOptions['nominationDelayMs'] = { host: 0, srflx: 500, prflx: 1000, relay: 2000 };

/** TURN and transport-policy options (relay.ts); relay-only drops STUN servers (no srflx traffic). */
function relayOptions(o: IceAgentOptions): Pick<ResolvedIceAgentOptions, 'stunServers' | 'turnServers' | 'iceTransportPolicy' | 'relayGatherTimeoutMs' | 'turn'> {
  const policy = o.iceTransportPolicy ?? 'all';
  if (policy !== 'all' && policy !== 'relay') throw new UsageError('ice.options', `iceTransportPolicy must be 'all' or 'relay', got ${String(policy)}`);
  return {
    stunServers: policy === 'relay' ? NO_SERVERS : (o.stunServers ?? NO_SERVERS),
    turnServers: o.turnServers ?? NO_SERVERS,
    iceTransportPolicy: policy,
    relayGatherTimeoutMs: positive('relayGatherTimeoutMs', o.relayGatherTimeoutMs ?? 10_000),
    turn: o.turn ?? NO_TUNING,
  };
}

/** The given credentials and tie-breaker, random ones for those absent. */
function credentials(o: IceAgentOptions): Pick<ResolvedIceAgentOptions, 'localUfrag' | 'localPwd' | 'tieBreaker'> {
  if (o.localUfrag !== undefined && o.localPwd !== undefined && o.tieBreaker !== undefined) return { localUfrag: o.localUfrag, localPwd: o.localPwd, tieBreaker: o.tieBreaker };
  const r = randomCredentials(o.rng);
  return { localUfrag: o.localUfrag ?? r.ufrag, localPwd: o.localPwd ?? r.pwd, tieBreaker: o.tieBreaker ?? r.tieBreaker };
}

/**
 * Every field written out, defaults shared: object spreads (`{ ...a, x, ...b }`) made this about
 * 14 KiB of garbage and 60-240 us per agent, paid before each offer and answer (issue 6).
 */
export function resolveIceAgentOptions(o: IceAgentOptions): ResolvedIceAgentOptions {
  const cred = credentials(o);
  const relay = relayOptions(o);
  const r: ResolvedIceAgentOptions = {
    rng: o.rng,
    crypto: o.crypto,
    logger: (o.logger ?? silentLogger).child({ layer: 'ice' }),
    controlling: o.controlling ?? false,
    localUfrag: cred.localUfrag,
    localPwd: cred.localPwd,
    tieBreaker: cred.tieBreaker,
    stunServers: relay.stunServers,
    includeLoopback: o.includeLoopback ?? false,
    checkPacingMs: num(o, 'checkPacingMs'),
    checkRetransmit: o.checkRetransmit ?? CHECK_RETRANSMIT,
    gatherRetransmit: o.gatherRetransmit ?? GATHER_RETRANSMIT,
    consentIntervalMinMs: num(o, 'consentIntervalMinMs'),
    consentIntervalMaxMs: num(o, 'consentIntervalMaxMs'),
    disconnectedAfterMs: num(o, 'disconnectedAfterMs'),
    consentExpiryMs: num(o, 'consentExpiryMs'),
    nominationDelayMs: o.nominationDelayMs ?? NOMINATION_DELAYS,
    failIdleMs: num(o, 'failIdleMs'),
    maxRemoteCandidates: num(o, 'maxRemoteCandidates'),
    maxPairs: num(o, 'maxPairs'),
    maxLocalAddresses: num(o, 'maxLocalAddresses'),
    maxEarlyChecks: num(o, 'maxEarlyChecks'),
    turnServers: relay.turnServers,
    iceTransportPolicy: relay.iceTransportPolicy,
    relayGatherTimeoutMs: relay.relayGatherTimeoutMs,
    turn: relay.turn,
  };
  validate(r);
  return r;
}

function validate(r: ResolvedIceAgentOptions): void {
  checkCredentials(r.localUfrag, r.localPwd);
  if (r.consentIntervalMaxMs < r.consentIntervalMinMs) throw new UsageError('ice.options', 'consentIntervalMaxMs < consentIntervalMinMs');
  if (r.consentExpiryMs <= r.disconnectedAfterMs) throw new UsageError('ice.options', 'consentExpiryMs must exceed disconnectedAfterMs');
  if (r.tieBreaker < 0n || r.tieBreaker >= 1n << 64n) throw new UsageError('ice.options', 'tieBreaker must be an unsigned 64-bit value');
}
