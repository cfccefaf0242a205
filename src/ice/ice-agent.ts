/**
 * IceAgent: the user calls on top of the datagram core (agent.ts). See index.ts for the contract.
 */
import { UsageError } from '../core/errors.js';
import { minDeadline } from '../core/deadlines.js';
import type { Addr, Datagram, Millis } from '../core/types.js';
import { IceAgentCore } from './agent.js';
import type { IceEvent } from './context.js';
import type { IceAgentOptions } from './options.js';
import { RelayManager, type RelayStatus } from './relay.js';
import { RemoteNameResolver } from './mdns-remote.js';
import { isMdnsName } from './candidate.js';
import type { Candidate } from './candidate.js';
import { parseCandidate, tryParseCandidate } from './candidate-grammar.js';
import { addLocalAddress, gather } from './gathering.js';
import { replayEarlyChecks, retryStalledOnData } from './incoming.js';
import { evaluateProgress } from './progress.js';
import type { RemoteCandidateResult } from './remote.js';
import { addRemoteCandidate, checkRemoteCredentials, endOfRemoteCandidates } from './remote.js';
import { restartAgent } from './restart.js';
import { EarlyData } from './early-data.js';
import type { DtlsInStun, SpedMode } from './sped.js';
import type { IceConnectionState } from './state.js';

export class IceAgent extends IceAgentCore {
  private readonly relays: RelayManager;
  /** The instant of the latest call: pollTransmit hands relayed transmits to TurnClient with it. */
  private lastNow: Millis = 0;
  /** The core finished gathering while an allocation was still pending. */
  private heldComplete = false;
  /** Transmits and datagrams refused by iceTransportPolicy 'relay' (must stay 0 on the wire side). */
  readonly policyStats = { droppedTransmits: 0, droppedDatagrams: 0 };

  private readonly names: RemoteNameResolver | undefined;
  /** A call happened since the last settle(): deadlines due at its instant may be waiting. */
  private dueNow = false;
  /** Data before selection, and at the peer's nomination (early-data.ts). */
  private readonly early: EarlyData;
  /**
   * No TURN server and no relay-only policy (the usual case): polls skip the relay manager, which has
   * nothing to hand out or route then (issue 6: three calls less per empty poll in cold code).
   */
  private readonly direct: boolean;

  constructor(options: IceAgentOptions) {
    super(options);
    this.early = new EarlyData(this.ctx);
    const o = this.ctx.opts;
    const lookup = options.resolveMdns;
    this.names = lookup
      ? new RemoteNameResolver(lookup, (now, c) => {
          this.lastNow = now;
          addRemoteCandidate(this.ctx, c, now);
        }, o.logger)
      : undefined;
    this.relays = new RelayManager(this.ctx, o.turnServers, o.turn, o.relayGatherTimeoutMs);
    if (o.iceTransportPolicy === 'relay' && this.relays.count === 0) o.logger.log('warn', "iceTransportPolicy 'relay' without TURN servers: no candidate can be gathered");
    this.direct = this.relays.count === 0 && o.iceTransportPolicy !== 'relay';
  }

  /** Each TURN server: state, relayed address, and the last failure with the server's reason. */
  get relayStatus(): RelayStatus[] {
    return this.relays.status();
  }

  override handleDatagram(now: Millis, dg: Datagram): void {
    this.lastNow = now;
    if (this.relays.handleDatagram(now, dg)) {
      const inbound = this.relays.takeInbound();
      for (let i = 0; i < inbound.length; i++) super.handleDatagram(now, inbound[i] as Datagram);
    } else if (this.ctx.opts.iceTransportPolicy === 'relay') {
      this.policyStats.droppedDatagrams++;
    } else {
      super.handleDatagram(now, dg);
    }
    // DTLS records (first byte 20-63, RFC 7983) change no ICE state: the data path skips settle().
    const first = dg.data[0] ?? 0;
    if (first < 20 || first > 63) this.dueNow = true;
    else {
      this.early.peerSpoke();
      if (this.ctx.unsent.length > 0) retryStalledOnData(this.ctx, dg, now); // ours waits: no valid pair yet
    }
    this.early.flush();
  }

  override handleTimeout(now: Millis): void {
    this.lastNow = now;
    super.handleTimeout(now);
    this.relays.handleTimeout(now);
    const inbound = this.relays.takeInbound();
    for (let i = 0; i < inbound.length; i++) super.handleDatagram(now, inbound[i] as Datagram);
    this.early.flush();
  }

  /**
   * Deadlines already due when the shell drains us after a call run then, at the call's instant,
   * instead of from the shell's timer a tick (>= 1 ms, more under load) later: the first check on a
   * new pair is paced at `now` (Ta applies between checks only), so it leaves with the call that
   * made the pair (issue 6 setup time). Lazily, so that every candidate of one remote description
   * is paired before the first check picks the best pair.
   */
  private settle(): void {
    this.dueNow = false;
    const now = this.lastNow;
    const due = this.pollTimeout();
    if (due !== undefined && due <= now) this.handleTimeout(now);
  }

  override pollTransmit(): Datagram | undefined {
    if (this.dueNow) this.settle();
    if (this.direct) return this.early.takeFirst() ?? super.pollTransmit();
    for (;;) {
      const out = this.relays.pollTransmit();
      if (out) return out;
      const dg = this.early.takeFirst() ?? super.pollTransmit();
      if (!dg) return undefined;
      if (this.relays.route(this.lastNow, dg)) continue;
      // Relay-only: nothing but TURN traffic leaves (W3C iceTransportPolicy).
      if (this.ctx.opts.iceTransportPolicy === 'relay') {
        this.policyStats.droppedTransmits++;
        continue;
      }
      return dg;
    }
  }

  override pollEvent(): IceEvent | undefined {
    for (;;) {
      if (this.heldComplete && !this.relays.gatherPending(this.lastNow)) {
        this.heldComplete = false;
        return { type: 'gathering-complete' };
      }
      const ev = super.pollEvent();
      if (ev?.type !== 'gathering-complete' || !this.relays.gatherPending(this.lastNow)) return ev;
      this.heldComplete = true;
    }
  }

  override pollTimeout(): Millis | undefined {
    const t = super.pollTimeout();
    return this.direct ? t : minDeadline(t, this.relays.pollTimeout());
  }
  get state(): IceConnectionState {
    return this.ctx.machine.state;
  }

  get gatheringState(): 'new' | 'gathering' | 'complete' {
    return this.ctx.gathering === 'idle' ? 'new' : this.ctx.gathering;
  }

  /** The pair data goes over, as the candidates reported in the `selected-pair` event. */
  get selectedPair(): { readonly local: Candidate; readonly remote: Candidate; readonly base: Addr } | undefined {
    const p = this.ctx.selected;
    return p ? { local: p.mappedLocal ?? p.local.candidate, remote: p.remote, base: p.local.base } : undefined;
  }

  /** The shell bound a UDP socket on `addr`: a host candidate (refused: loopback unless enabled, duplicates, cap). */
  addLocalAddress(now: Millis, addr: Addr): boolean {
    this.lastNow = now;
    this.relays.addSocket(now, addr);
    // Relay-only: the socket carries TURN traffic only, never a host candidate.
    if (this.ctx.opts.iceTransportPolicy === 'relay') return !this.ctx.closed;
    const added = addLocalAddress(this.ctx, addr, now);
    this.dueNow = true;
    return added;
  }

  /** Starts gathering: `candidate` events, then `gathering-complete`. */
  gather(now: Millis): void {
    this.lastNow = now;
    gather(this.ctx, now);
    if (!this.ctx.closed) this.relays.start(now);
    this.dueNow = true;
  }

  /**
   * The peer's ice-ufrag/ice-pwd. Different values from the ones already set mean the peer restarted
   * ICE: unless restart() was called for this generation, the agent restarts itself (new local credentials).
   */
  setRemoteCredentials(now: Millis, ufrag: string, pwd: string): void {
    this.lastNow = now;
    checkRemoteCredentials(ufrag, pwd);
    const ctx = this.ctx;
    if (ctx.closed) return;
    const cur = ctx.gen.remote;
    if (cur && cur.ufrag === ufrag && cur.pwd === pwd) return;
    if (cur) restartAgent(ctx, now);
    ctx.gen.remote = { ufrag, pwd };
    replayEarlyChecks(ctx, now);
    evaluateProgress(ctx, now);
    this.dueNow = true;
  }

  /** A remote candidate (parsed, or an `a=candidate`/`candidate:` line). Bad lines throw ParseError. */
  addRemoteCandidate(now: Millis, candidate: Candidate | string): RemoteCandidateResult {
    this.lastNow = now;
    const c = typeof candidate === 'string' ? parseCandidate(candidate) : candidate;
    return this.addRemote(now, c);
  }

  /** A `.local` candidate goes to the mDNS lookup when one is configured ('unresolved' for now; added when it resolves). */
  private addRemote(now: Millis, c: Candidate): RemoteCandidateResult {
    if (this.names && !this.ctx.closed && c.transport === 'udp' && isMdnsName(c.address)) {
      if (!this.names.take(c)) this.ctx.stats.remoteCandidatesDropped++;
      return 'unresolved';
    }
    const r = addRemoteCandidate(this.ctx, c, now);
    this.dueNow = true;
    return r;
  }

  /** mDNS lookups: names resolved, unresolved (dropped), refused by the bounds. */
  get mdnsStats(): { readonly resolved: number; readonly unresolved: number; readonly dropped: number } {
    return this.names?.stats ?? { resolved: 0, unresolved: 0, dropped: 0 };
  }

  /**
   * Like addRemoteCandidate with a line, but never throws. True when the line is a well-formed
   * candidate the agent took or deliberately ignores as browsers and libdatachannel do (a `.local`
   * name waiting for mDNS, tcp, component 2, a stale ufrag); false when it is unparsable or the
   * agent is full or closed. The signalling API's addIceCandidate reports this boolean.
   */
  addRemoteCandidateLine(now: Millis, line: string): boolean {
    this.lastNow = now;
    const c = tryParseCandidate(line);
    if (!c) {
      this.ctx.stats.remoteCandidatesDropped++;
      return false;
    }
    const r = this.addRemote(now, c);
    return r !== 'full' && r !== 'closed';
  }

  /** The peer signalled end-of-candidates for the current generation. */
  endOfRemoteCandidates(now: Millis): void {
    this.lastNow = now;
    endOfRemoteCandidates(this.ctx, now);
    this.dueNow = true;
  }

  /**
   * ICE restart with new local credentials (generated when absent); gathering starts again. Without
   * explicit credentials it is a no-op while the current generation still waits for the peer's
   * credentials (a restart is already pending: our offer or answer may carry the fresh ones), so
   * calling it again when the answer to our restart offer arrives does not invalidate that offer.
   */
  restart(now: Millis, ufrag?: string, pwd?: string): void {
    this.lastNow = now;
    if (this.ctx.closed) throw new UsageError('ice.closed', 'restart() after close()');
    if (ufrag === undefined && pwd === undefined && this.ctx.gen.remote === undefined) return;
    restartAgent(this.ctx, now, ufrag, pwd);
    evaluateProgress(this.ctx, now);
    this.dueNow = true;
  }

  /**
   * Sends application data on the selected pair or, before one is selected, on the best valid pair;
   * while checks run and no pair is valid yet it waits (bounded) for one; data the controlled side
   * sent before the peer nominated is sent once more at the nomination (early-data.ts). False when
   * nothing can carry it: closed, failed, consent expired, or the wait list is full.
   */
  send(now: Millis, data: Uint8Array): boolean {
    this.lastNow = now;
    return !this.ctx.closed && this.early.send(data);
  }

  /** Drops the datagrams still waiting for a valid pair that `obsolete` says are (a flight sent again). */
  discardUnsent(obsolete: (data: Uint8Array) => boolean): void {
    this.early.discard(obsolete);
  }

  /**
   * The peer's description says it keeps DTLS that arrives before its ICE is connected (rtcpeer's
   * `a=x-early-dtls`): what the controlled side sends before the nomination is not sent again at it.
   */
  peerKeepsEarlyData(): void {
    this.early.peerKeepsEarly();
  }

  /**
   * SPED (sped.ts): `offered` once our offer names it, `on` when both descriptions do, `off` when the
   * answer does not; `pending` (a DTLS server's last flight may be on its way) or `done` (final) when
   * our DTLS handshake is over.
   */
  setDtlsInStun(mode: SpedMode): void {
    const before = this.ctx.sped.mode;
    this.ctx.sped.setMode(mode);
    if (this.ctx.sped.mode !== before) this.ctx.opts.logger.log('debug', 'DTLS in STUN', { mode: this.ctx.sped.mode });
  }

  /** SPED counters (tests, diagnostics). */
  get dtlsInStun(): { readonly mode: SpedMode; readonly stats: DtlsInStun['stats'] } {
    return { mode: this.ctx.sped.mode, stats: this.ctx.sped.stats };
  }

  /** Stops everything: state `closed`, no more transmits or deadlines; later datagrams are ignored. */
  close(now: Millis): void {
    const ctx = this.ctx;
    if (ctx.closed) return;
    this.lastNow = now;
    this.relays.close(now);
    this.names?.clear();
    ctx.machine.transition('closed', 'close()');
    ctx.closed = true;
    ctx.deadlines.clear();
    ctx.transactions.clear();
    ctx.transmits.clear();
    ctx.selected = undefined;
    ctx.earlyChecks = [];
    ctx.heldReplies.length = 0;
    this.early.clear();
  }
}
