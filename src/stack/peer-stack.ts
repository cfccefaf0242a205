/**
 * PeerStack: the whole data-channel stack as ONE sans-IO core (style-anchors §4.1.2). It composes
 * ICE → demux → DTLS → SCTP → DCEP registry and the JSEP negotiation, and is itself a
 * `SansIo<StackEvent>`: the shell feeds datagrams and time, then drains transmits and events.
 *
 * Order of things (protocol.md 1.3, 3.3, 4.8):
 * - the DTLS role comes from `a=setup` (answer `active` = DTLS client = even stream ids); channel
 *   ids are assigned as soon as it is known;
 * - the DTLS endpoint exists as soon as role and remote fingerprints are known, so a server accepts
 *   a ClientHello as soon as checks succeed; DTLS datagrams that arrive earlier are kept (bounded);
 *   with SPED, earlier: a server on a ClientHello embedded in a check, before the answer
 *   (dtls-setup.ts), and a client before its first check, which carries the ClientHello;
 * - the client starts its handshake when ICE reports a selected pair (with SPED, at once);
 * - SCTP is created and connected from both ends when DTLS is up (ports from `a=sctp-port`,
 *   the remote `a=max-message-size`); its `connected` opens the channels.
 * An ICE restart keeps DTLS and SCTP.
 */
import { Queue } from '../core/event-queue.js';
import { UsageError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Logger } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import type { Addr, Datagram, Millis, SansIo } from '../core/types.js';
import { minDeadline } from '../core/deadlines.js';
import { ChannelRegistry } from '../dcep/registry.js';
import type { ChannelEvent } from '../dcep/registry.js';
import type { ChannelInit, DataChannelState } from '../dcep/channel.js';
import { EXTENDED_MAX_PLAINTEXT } from '../dtls/constants.js';
import type { SignalingState } from '../sdp/signaling.js';
import { derivePeerConnectionState } from './connection-state.js';
import type { DtlsTransportState, PeerConnectionState } from './connection-state.js';
import { Negotiator } from './negotiation.js';
import { DtlsSetup } from './dtls-setup.js';
import type { IceConnectionState, IcePort, StackLayers } from './ports.js';
import { TransportPump, isHandshakeDatagram } from './pump.js';
import { SnapNegotiation } from './snap.js';
import { SpedNegotiation } from './sped.js';

export type GatheringStateName = 'new' | 'gathering' | 'complete';

export type StackEvent =
  | { readonly type: 'local-description'; readonly descriptionType: 'offer' | 'answer'; readonly sdp: string }
  | { readonly type: 'ice-candidate'; readonly mid: string; readonly index: number; readonly candidate: string }
  | { readonly type: 'connection-state'; readonly state: PeerConnectionState }
  | { readonly type: 'channel'; readonly event: ChannelEvent };

export interface PeerStackOptions {
  readonly rng: Rng;
  readonly logger?: Logger;
  /** Our a=max-message-size: the largest message we reassemble (default 262144, as Chrome). */
  readonly maxMessageSize?: number;
  /** Our SCTP port (default 5000, RFC 8841 §5). */
  readonly sctpPort?: number;
  /** Stream ids usable for channels (default 1024). */
  readonly maxStreams?: number;
  /**
   * The shell binds its sockets asynchronously and calls `localAddressesReady()` once it has reported
   * them (default false: addresses given before gathering are all there is). Gathering waits for it,
   * so STUN servers are asked from every host socket and `gathering-complete` is not announced early.
   */
  readonly awaitLocalAddresses?: boolean;
  /**
   * SNAP (draft-hancke-tsvwg-snap): our SCTP INIT in our descriptions (`a=sctp-init`); when the peer's
   * description carries one too, the SCTP association is up as soon as DTLS is, two round trips
   * earlier (src/stack/snap.ts). Default true; peers without SNAP ignore the line.
   */
  readonly sctpSnap?: boolean;
  /**
   * SPED (draft-hancke-webrtc-sped): the ICE option `sped` in our descriptions; when both name it,
   * the DTLS handshake starts inside the connectivity checks, one round trip earlier
   * (src/ice/sped.ts, src/stack/sped.ts). Default true; peers without it ignore the option.
   */
  readonly dtlsInStun?: boolean;
}

export class PeerStack implements SansIo<StackEvent> {
  readonly registry: ChannelRegistry;
  private readonly negotiation: Negotiator;
  private readonly events = new Queue<StackEvent>();
  private readonly logger: Logger;
  private readonly maxMessageSize: number;
  private readonly sctpPort: number;
  private readonly localAddresses: Addr[] = [];
  private readonly localCandidates: string[] = [];
  private readonly pendingRemoteCandidates: string[] = [];
  private readonly pump: TransportPump;
  private readonly snap: SnapNegotiation;
  private readonly sped: SpedNegotiation;
  private readonly dtls: DtlsSetup;
  private ice: IcePort | undefined;
  private iceState: IceConnectionState = 'new';
  private dtlsState: DtlsTransportState = 'new';
  private gathering: GatheringStateName = 'new';
  private addressesReady: boolean;
  private gatherStarted = false;
  private selected = false;
  private closed = false;
  private closeIceAt: Millis | undefined;
  /** Our offer or answer, applied, waits for the shell's sockets (awaitLocalAddresses) to carry the host candidates. */
  private held: 'offer' | 'answer' | undefined;
  /** Candidates gathered while a description is built or held: trickled right after it. */
  private heldCandidates: StackEvent[] | undefined;
  private lastState: PeerConnectionState = 'new';
  /** Set by send() and handleDatagram(): the layers have not been driven since (see `flush`). */
  private dirtyAt: Millis | undefined;
  /** `now` of the drive in progress, for `sendDown` (one function for the stack's life, not one per drive). */
  private driveNow: Millis = 0;
  private readonly sendDown = (data: Uint8Array): boolean => this.ice?.send(this.driveNow, data) ?? false;
  /** What the peer-connection state was last derived from (re-derived only when one of them changes). */
  private readonly derivedFrom = { closed: false, ice: 'new' as IceConnectionState, dtls: 'new' as DtlsTransportState, negotiating: false };

  constructor(
    private readonly layers: StackLayers,
    options: PeerStackOptions,
  ) {
    this.logger = (options.logger ?? silentLogger).child({ layer: 'stack' });
    this.maxMessageSize = options.maxMessageSize ?? 262144;
    this.sctpPort = options.sctpPort ?? 5000;
    this.addressesReady = options.awaitLocalAddresses !== true;
    this.negotiation = new Negotiator(options.rng);
    this.registry = new ChannelRegistry({ maxStreams: options.maxStreams ?? 1024, logger: this.logger });
    this.snap = new SnapNegotiation(options.sctpSnap === false ? undefined : layers.snap, this.logger);
    this.sped = new SpedNegotiation(options.dtlsInStun !== false);
    this.pump = new TransportPump(this.registry, this.logger, { dtlsState: (s) => this.setDtlsState(s), flightOut: () => this.ice?.discardUnsent(isHandshakeDatagram), canMakeSctp: () => this.negotiation.remote !== undefined });
    this.dtls = new DtlsSetup({
      layers,
      negotiation: this.negotiation,
      pump: this.pump,
      snap: this.snap,
      logger: this.logger,
      sctpPort: this.sctpPort,
      maxMessageSize: this.maxMessageSize,
      earlyServer: this.sped.enabled,
      setDtlsState: (s) => this.setDtlsState(s),
    });
  }

  get signalingState(): SignalingState {
    return this.negotiation.signaling.state;
  }

  get gatheringState(): GatheringStateName {
    return this.gathering;
  }

  get connectionState(): PeerConnectionState {
    return this.lastState;
  }

  /** The peer's a=max-message-size (65536 until a remote description says otherwise). */
  get remoteMaxMessageSize(): number {
    return this.negotiation.remote?.dataChannel.maxMessageSize ?? 65536;
  }

  /** The shell tells the stack about each bound UDP socket (host candidates). */
  addLocalAddress(now: Millis, addr: Addr): void {
    this.localAddresses.push(addr);
    this.ice?.addLocalAddress(now, addr);
    this.drive(now);
  }

  /** The shell has reported all its sockets (PeerStackOptions.awaitLocalAddresses): gathering may run. */
  localAddressesReady(now: Millis): void {
    if (this.addressesReady) return;
    this.addressesReady = true;
    this.startGathering(now);
    const held = this.held;
    this.held = undefined;
    if (held && this.ice && !this.closed) this.describe(now, this.ice, held, (m) => this.negotiation.rebuildLocal(m));
    this.drive(now);
  }

  /** Creates a data channel (UsageError on bad options or when closed). */
  createDataChannel(now: Millis, init: ChannelInit): DataChannelState {
    if (this.closed) throw new UsageError('stack.closed', 'the peer connection is closed');
    const ch = this.registry.create(now, init);
    this.drive(now);
    return ch;
  }

  /** Builds, applies and emits (as `local-description`) our offer. UsageError in a wrong state. */
  createOffer(now: Millis): string {
    if (this.closed) throw new UsageError('stack.closed', 'the peer connection is closed');
    const ice = this.ensureIce(now, true);
    if (!this.dtls.exists) ice.setDtlsInStun(this.sped.offerMode);
    const sdp = this.describe(now, ice, 'offer', (m) => this.negotiation.createOffer(m)) as string;
    this.drive(now);
    return sdp;
  }

  /**
   * Applies a remote description; for an offer, builds, applies and emits the answer. Throws
   * ParseError (bad SDP, code `sdp.*`) or UsageError (wrong state or type); nothing changes then.
   */
  setRemoteDescription(now: Millis, type: string, sdp: string): void {
    if (this.closed) throw new UsageError('stack.closed', 'the peer connection is closed');
    const applied = this.negotiation.applyRemote(type, sdp);
    const desc = applied.description;
    if (!desc) return;
    if (applied.newCertificate) this.logger.log('warn', 'remote certificate changed; keeping the existing DTLS association');
    const dc = desc.dataChannel;
    // RFC 8445 §6.1.1: a full agent facing an ice-lite peer is controlling; otherwise the offerer is.
    const ice = this.ensureIce(now, applied.kind !== 'offer' || desc.iceLite);
    if (applied.iceRestart) {
      ice.restart(now);
      this.localCandidates.length = 0;
      this.gathering = 'gathering';
    }
    this.applySped(now, ice, applied.kind === 'offer', dc.ice.options);
    ice.setRemoteCredentials(now, dc.ice.ufrag, dc.ice.pwd);
    if (dc.earlyDtls) ice.peerKeepsEarlyData();
    const remoteCandidates = dc.candidates.concat(this.pendingRemoteCandidates.splice(0));
    for (let i = 0; i < remoteCandidates.length; i++) ice.addRemoteCandidate(now, remoteCandidates[i] as string);
    if (dc.endOfCandidates) ice.endOfRemoteCandidates(now);
    if (this.negotiation.role) this.registry.setRole(this.negotiation.role);
    if (applied.kind === 'offer') {
      this.describe(now, ice, 'answer', (m) => this.negotiation.createAnswer(m));
    }
    // The rest (DTLS endpoint, the early ClientHello it answers, state) runs at the next poll*(), and
    // pollTransmit hands out what ICE queued first: the connectivity checks leave before that work,
    // whose 1 to 1.5 ms of cold-code CPU then overlaps their round trip (issue 6, setup timelines).
    this.dirtyAt = now;
  }

  /**
   * A trickled remote candidate (`candidate:...`, with or without `a=`); an empty string means
   * end-of-candidates (RFC 8838 §4). Before the remote description it is kept (bounded) and applied
   * later. Returns false when the line was refused.
   */
  addIceCandidate(now: Millis, candidate: string): boolean {
    if (this.closed) return false;
    const line = candidate.trim().replace(/^a=/, '');
    if (!this.ice || !this.negotiation.remote) {
      if (line === '' || this.pendingRemoteCandidates.length >= 512) return line === '';
      this.pendingRemoteCandidates.push(line);
      return true;
    }
    let ok = true;
    if (line === '') this.ice.endOfRemoteCandidates(now);
    else ok = this.ice.addRemoteCandidate(now, line);
    this.drive(now);
    return ok;
  }

  /** Sends one message (UsageError when not open, or larger than the peer's max-message-size). */
  send(now: Millis, ch: DataChannelState, data: Uint8Array, isString: boolean): void {
    if (data.length > this.remoteMaxMessageSize) {
      throw new UsageError('stack.too-large', `message of ${data.length} bytes exceeds the peer's max-message-size ${this.remoteMaxMessageSize}`);
    }
    this.registry.send(now, ch, data, isString);
    this.dirtyAt = now; // packets are built at the next poll*(): messages sent together share packets
  }

  closeChannel(now: Millis, ch: DataChannelState): void {
    this.registry.close(now, ch);
    this.drive(now);
  }

  /** Closes everything: SCTP shutdown/abort, DTLS close_notify, ICE closed. */
  close(now: Millis): void {
    if (this.closed) return;
    if (this.dirtyAt !== undefined) this.flush(); // messages sent in this job leave before the ABORT
    this.pump.close(now);
    this.drive(now); // queue the ABORT and close_notify; ICE closes once the shell drained them
    this.closeIceAt = now;
    this.closed = true;
    this.negotiation.close();
    this.registry.transportClosed();
    this.drive(now);
  }

  handleDatagram(now: Millis, dg: Datagram): void {
    if (this.closed || !this.ice) return;
    this.ice.handleDatagram(now, dg);
    this.dirtyAt = now; // processed at the next poll*(): one SACK for all datagrams read in a batch
  }

  handleTimeout(now: Millis): void {
    this.ice?.handleTimeout(now);
    this.pump.handleTimeout(now);
    this.drive(now);
  }

  pollTransmit(): Datagram | undefined {
    // what ICE already queued (checks, responses, sealed records) leaves before the deferred work runs
    let dg = this.ice?.pollTransmit();
    if (dg) return dg;
    if (this.dirtyAt !== undefined) {
      this.flush();
      dg = this.ice?.pollTransmit(); // asked again only when the deferred work ran (it may have queued some)
    }
    if (!dg && this.closeIceAt !== undefined) {
      this.ice?.close(this.closeIceAt); // IceAgent.close() drops queued transmits: close after the last one
      this.closeIceAt = undefined;
    }
    return dg;
  }

  /** SansIo.pollQueuedTransmit: what ICE has queued, without the deferred work `pollTransmit` runs first. */
  pollQueuedTransmit(): Datagram | undefined {
    return this.ice?.pollTransmit();
  }

  /** SansIo.pollQueuedEvent: events queued (a description), without the deferred work. */
  pollQueuedEvent(): StackEvent | undefined {
    return this.events.shift();
  }

  pollEvent(): StackEvent | undefined {
    if (this.dirtyAt !== undefined) this.flush();
    return this.events.length > 0 ? this.events.shift() : undefined; // no call for an empty poll (issue 6)
  }

  pollTimeout(): Millis | undefined {
    if (this.dirtyAt !== undefined) this.flush();
    if (this.closed && !this.ice) return undefined;
    return minDeadline(this.ice?.pollTimeout(), this.pump.pollTimeout());
  }

  /** SansIo.prepare: the SCTP association is made while the peer answers our DTLS flight. */
  prepare(_now: Millis): void {
    this.pump.prepare();
  }

  /**
   * Builds our description with `build` from the media section as it is now and signals it. The
   * candidates ICE gathered so far are drained first, so that the description carries them (the
   * peer starts its checks on it, a trickle trip earlier), and their trickle events follow it (a peer
   * needs the description before candidates). While the shell still binds its sockets
   * (awaitLocalAddresses) the description is held: localAddressesReady() signals it, rebuilt with
   * the host candidates (the bind takes a tick). Returns what `build` made (ParseError/UsageError pass).
   */
  private describe(now: Millis, ice: IcePort, type: 'offer' | 'answer', build: (m: ReturnType<PeerStack['localMedia']>) => string | undefined): string | undefined {
    this.heldCandidates ??= [];
    let sdp: string | undefined;
    try {
      for (let ev = ice.pollEvent(); ev; ev = ice.pollEvent()) this.onIceEvent(now, ev);
      sdp = build(this.localMedia(ice, type));
    } finally {
      if (sdp !== undefined && !this.addressesReady) this.held = type;
      else if (this.held === undefined) this.release(sdp === undefined ? undefined : { type: 'local-description', descriptionType: type, sdp });
    }
    return sdp;
  }

  /** Signals the description (if any), then the candidates held while it was built or held. */
  private release(description: StackEvent | undefined): void {
    if (description) this.events.push(description);
    const heldEvents = this.heldCandidates ?? [];
    for (let i = 0; i < heldEvents.length; i++) this.events.push(heldEvents[i] as StackEvent);
    this.heldCandidates = undefined;
  }

  private localMedia(ice: IcePort, type: 'offer' | 'answer') {
    return {
      ice: { ufrag: ice.localUfrag, pwd: ice.localPwd, options: this.sped.iceOptions(type, this.negotiation.remote?.dataChannel.ice.options) },
      fingerprints: [this.layers.dtls.fingerprint],
      sctpPort: this.sctpPort,
      maxMessageSize: this.maxMessageSize,
      candidates: [...this.localCandidates],
      // Not when candidates are trickled after the description (RFC 8838 §8.2: none after end-of-candidates).
      endOfCandidates: this.gathering === 'complete' && !this.heldCandidates?.length,
      dtlsMultiRecord: true,
      dtlsRecordLimit: EXTENDED_MAX_PLAINTEXT,
      earlyDtls: true,
      sctpInit: this.snap.localFor(type, this.negotiation.remote?.dataChannel.sctpInit),
    };
  }

  private ensureIce(now: Millis, controlling: boolean): IcePort {
    if (this.ice) return this.ice;
    const ice = this.layers.createIce({ controlling, logger: this.logger });
    this.ice = ice;
    const addrs = this.localAddresses;
    for (let i = 0; i < addrs.length; i++) ice.addLocalAddress(now, addrs[i] as Addr);
    this.gathering = 'gathering';
    this.startGathering(now);
    return ice;
  }

  private startGathering(now: Millis): void {
    if (!this.ice || !this.addressesReady || this.gatherStarted) return;
    this.gatherStarted = true;
    this.ice.gather(now);
  }

  /**
   * SPED (src/stack/sped.ts) from a remote description, before its candidates make the first check:
   * the agent's mode (nothing changes once our handshake is over), the fingerprints for a server that
   * began early, and for a client the ClientHello, waiting in the agent so that the first check embeds it.
   */
  private applySped(now: Millis, ice: IcePort, isOffer: boolean, options: readonly string[]): void {
    const mode = this.sped.modeFor(options);
    ice.setDtlsInStun(mode);
    this.dtls.onRemoteDescription(now);
    if (!isOffer || this.dtls.exists || this.negotiation.role !== 'client' || mode !== 'on') return;
    this.dtls.ensure(now, false);
    this.pump.startClient(now);
    this.driveNow = now;
    this.pump.run(now, this.sendDown);
  }

  /**
   * send() only queues the message in SCTP and handleDatagram() only hands the datagram to ICE; the
   * driver rule (drain pollTransmit after a call) runs the layers here. So the messages sent before
   * the shell drains share as few packets as fit, and the datagrams a shell feeds before draining
   * (one socket read batch) are answered together: one SACK, one drain of the send queue.
   */
  private flush(): void {
    this.drive(this.dirtyAt as Millis);
  }

  /** Drains ICE events and lets the pump move bytes between layers until nothing moves. */
  private drive(now: Millis): void {
    this.dirtyAt = undefined;
    const ice = this.ice;
    if (ice) {
      this.dtls.ensure(now, this.selected);
      for (let ev = ice.pollEvent(); ev; ev = ice.pollEvent()) this.onIceEvent(now, ev);
      this.driveNow = now;
      this.pump.run(now, this.sendDown);
    }
    for (let ev = this.registry.pollEvent(); ev; ev = this.registry.pollEvent()) this.events.push({ type: 'channel', event: ev });
    this.updateState();
  }

  private onIceEvent(now: Millis, ev: NonNullable<ReturnType<IcePort['pollEvent']>>): void {
    switch (ev.type) {
      case 'candidate':
        this.localCandidates.push(ev.candidate);
        (this.heldCandidates ?? this.events).push({ type: 'ice-candidate', mid: this.localMid(), index: this.negotiation.remote?.dataChannel.index ?? 0, candidate: ev.candidate });
        break;
      case 'gathering-complete':
        this.gathering = 'complete';
        break;
      case 'state':
        this.iceState = ev.state;
        // Consent lost for good (RFC 7675 §5.1): the transport is gone, so are the channels.
        if (ev.state === 'failed') this.registry.transportClosed();
        break;
      case 'selected-pair':
        this.selected = true;
        this.dtls.onSelectedPair(now); // before a client's first flight, which arms the timer itself
        if (this.negotiation.role === 'client') this.pump.startClient(now);
        break;
      case 'data':
        this.dtls.onData(now, ev.data, ev.embedded === true);
        break;
    }
  }

  private localMid(): string {
    return this.negotiation.remote?.dataChannel.mid ?? '0';
  }

  private setDtlsState(s: DtlsTransportState): void {
    this.dtlsState = s;
    // a DTLS 1.2 server's last flight may still be on its way (sped.ts `pending`); a client has all
    if (s === 'connected') this.ice?.setDtlsInStun(this.negotiation.role === 'server' ? 'pending' : 'done');
  }

  private updateState(): void {
    const from = this.derivedFrom;
    const negotiating = this.negotiation.signaling.state !== 'stable' || this.negotiation.remote !== undefined;
    if (from.closed === this.closed && from.ice === this.iceState && from.dtls === this.dtlsState && from.negotiating === negotiating) return;
    from.closed = this.closed;
    from.ice = this.iceState;
    from.dtls = this.dtlsState;
    from.negotiating = negotiating;
    const state = derivePeerConnectionState(from);
    if (state !== this.lastState) {
      this.lastState = state;
      this.events.push({ type: 'connection-state', state });
    }
  }
}
