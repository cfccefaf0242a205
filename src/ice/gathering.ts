/**
 * Candidate gathering (RFC 8445 §5.1.1): host candidates from the addresses the I/O shell bound
 * (`addLocalAddress`), server-reflexive ones from STUN servers (RFC 8489 Binding without credentials;
 * RTO 500 ms, 5 retransmits: protocol.md §4.10). Candidates are trickled as events (RFC 8838 §4) and
 * `gathering-complete` follows once every server answered or timed out.
 */
import type { Addr, Millis } from '../core/types.js';
import { addrKey, isIPv6, sameAddr } from '../core/types.js';
import { getAttr } from '../stun/helpers.js';
import type { StunMessage } from '../stun/message.js';
import { buildServerRequest, isLoopback, normalizeAddr } from './binding.js';
import type { Candidate } from './candidate.js';
import { candidatePriority, computeFoundation, localPreference } from './candidate.js';
import type { AgentContext, TxContext } from './context.js';
import type { LocalCandidate } from './pair.js';
import { evaluateProgress } from './progress.js';
import { pairLocalWithRemotes } from './remote.js';

type SrflxTx = Extract<TxContext, { kind: 'srflx' }>;

/** Adds a host candidate for a bound socket. Returns false when refused (loopback, duplicate, cap). */
export function addLocalAddress(ctx: AgentContext, raw: Addr, now: Millis): boolean {
  const addr = normalizeAddr(raw);
  if (ctx.closed || ctx.hosts.has(addrKey(addr))) return false;
  if (isLoopback(addr.address) && !ctx.opts.includeLoopback) return false;
  if (ctx.hosts.size >= ctx.opts.maxLocalAddresses) return false;
  const candidate: Candidate = {
    foundation: computeFoundation('host', addr.address, undefined, 'udp'),
    component: 1,
    transport: 'udp',
    priority: candidatePriority('host', localPreference(addr.address, ctx.hosts.size)),
    address: addr.address,
    port: addr.port,
    type: 'host',
    extensions: [],
  };
  const local: LocalCandidate = { candidate, base: addr };
  ctx.hosts.set(addrKey(addr), local);
  ctx.locals.push(local);
  if (ctx.gathering !== 'idle') {
    ctx.events.push({ type: 'candidate', candidate });
    if (ctx.gathering === 'gathering') startServerRequests(ctx, local, now);
  }
  pairLocalWithRemotes(ctx, local, now);
  return true;
}

/** RFC 8445 §5.1.2.1 / Chrome: prefer UDP relays, then TCP, then TLS. */
const RELAY_INDEX: Readonly<Record<'udp' | 'tcp' | 'tls', number>> = { udp: 0, tcp: 1, tls: 2 };

/**
 * A TURN allocation succeeded (relay.ts): a `relay` candidate whose base is the relayed address
 * (RFC 8445 §5.1.1.2), related to our server-reflexive address. Kept with the host bases so checks
 * and incoming requests find it; relay.ts wraps what leaves from it.
 */
export function addRelayedAddress(ctx: AgentContext, relayed: Addr, mapped: Addr | undefined, server: Addr, transport: 'udp' | 'tcp' | 'tls', now: Millis): boolean {
  if (ctx.closed || ctx.hosts.has(addrKey(relayed)) || ctx.hosts.size >= ctx.opts.maxLocalAddresses) return false;
  const candidate: Candidate = {
    foundation: computeFoundation('relay', relayed.address, server, 'udp'),
    component: 1,
    transport: 'udp',
    priority: candidatePriority('relay', localPreference(relayed.address, RELAY_INDEX[transport])),
    address: relayed.address,
    port: relayed.port,
    type: 'relay',
    ...(mapped ? { relatedAddress: mapped.address, relatedPort: mapped.port } : { relatedAddress: '0.0.0.0', relatedPort: 0 }),
    extensions: [],
  };
  const local: LocalCandidate = { candidate, base: relayed };
  ctx.hosts.set(addrKey(relayed), local);
  ctx.locals.push(local);
  if (ctx.gathering !== 'idle') ctx.events.push({ type: 'candidate', candidate });
  pairLocalWithRemotes(ctx, local, now);
  return true;
}

/** Starts gathering: reports host candidates and asks every STUN server of the same family. */
export function gather(ctx: AgentContext, now: Millis): void {
  if (ctx.closed || ctx.gathering !== 'idle') return;
  ctx.gathering = 'gathering';
  ctx.hosts.forEach((local) => ctx.events.push({ type: 'candidate', candidate: local.candidate }));
  ctx.hosts.forEach((local) => startServerRequests(ctx, local, now));
  checkGatheringDone(ctx, now);
}

function startServerRequests(ctx: AgentContext, local: LocalCandidate, now: Millis): void {
  if (local.candidate.type !== 'host') return; // relayed bases talk to their TURN server only
  const servers = ctx.opts.stunServers;
  for (let i = 0; i < servers.length; i++) {
    const server = normalizeAddr(servers[i] as Addr);
    if (isIPv6(server.address) !== isIPv6(local.base.address)) continue;
    const { bytes, transactionId } = buildServerRequest(ctx.opts.rng);
    const tx: SrflxTx = { kind: 'srflx', base: local.base, server, gen: ctx.gen };
    ctx.transactions.start(now, transactionId, bytes, tx, ctx.opts.gatherRetransmit);
    ctx.transmits.push({ from: local.base, to: server, data: bytes });
    ctx.pendingSrflx++;
  }
}

/** A STUN server answered (success or error). */
export function onServerResponse(ctx: AgentContext, tx: SrflxTx, msg: StunMessage, now: Millis): void {
  if (tx.gen !== ctx.gen) return;
  ctx.pendingSrflx--;
  const mapped = msg.cls === 'success' ? (getAttr(msg, 'xorMappedAddress') ?? getAttr(msg, 'mappedAddress')) : undefined;
  const host = ctx.hosts.get(addrKey(tx.base));
  if (mapped && host) addServerReflexive(ctx, host, normalizeAddr(mapped), tx.server);
  checkGatheringDone(ctx, now);
}

function addServerReflexive(ctx: AgentContext, host: LocalCandidate, mapped: Addr, server: Addr): void {
  // RFC 8445 §5.1.3: a srflx equal to its base, or to another local candidate, is redundant.
  if (ctx.locals.some((l) => sameAddr(l.candidate, mapped))) return;
  const candidate: Candidate = {
    foundation: computeFoundation('srflx', host.base.address, server, 'udp'),
    component: 1,
    transport: 'udp',
    priority: candidatePriority('srflx', (host.candidate.priority >>> 8) & 0xffff),
    address: mapped.address,
    port: mapped.port,
    type: 'srflx',
    relatedAddress: host.base.address,
    relatedPort: host.base.port,
    extensions: [],
  };
  ctx.locals.push({ candidate, base: host.base });
  ctx.events.push({ type: 'candidate', candidate });
}

/** A STUN server never answered. */
export function onServerTimeout(ctx: AgentContext, tx: SrflxTx, now: Millis): void {
  if (tx.gen !== ctx.gen) return;
  ctx.pendingSrflx--;
  checkGatheringDone(ctx, now);
}

function checkGatheringDone(ctx: AgentContext, now: Millis): void {
  if (ctx.gathering !== 'gathering' || ctx.pendingSrflx > 0) return;
  ctx.gathering = 'complete';
  ctx.events.push({ type: 'gathering-complete' });
  evaluateProgress(ctx, now);
}
