/**
 * Binds the real cores to PeerStack's ports: src/ice `IceAgent` and src/sctp `SctpAssociation`.
 * DTLS comes in as a `DtlsFactory` (src/dtls binding, or a test double).
 */
import type { CryptoProvider } from '../core/crypto.js';
import type { Logger } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import type { Addr, Datagram, Millis } from '../core/types.js';
import { IceAgent, formatCandidate } from '../ice/index.js';
import type { Candidate, IceAgentOptions } from '../ice/index.js';
import { SctpAssociation, isSnapInit } from '../sctp/index.js';
import type { SctpOptions } from '../sctp/index.js';
import type { DtlsFactory, IcePort, IcePortEvent, SctpPort, StackLayers } from './ports.js';
import type { SpedMode } from '../ice/sped.js';

export interface RealLayerOptions {
  readonly rng: Rng;
  readonly crypto: CryptoProvider;
  readonly dtls: DtlsFactory;
  /** Resolved STUN server addresses (srflx candidates). */
  readonly stunServers?: readonly Addr[] | (() => readonly Addr[]);
  /** Gather on loopback addresses too (tests; browsers do not). */
  readonly includeLoopback?: boolean;
  /** Extra IceAgent options (timers, limits). */
  readonly ice?: Partial<Omit<IceAgentOptions, 'rng' | 'crypto' | 'controlling' | 'logger'>>;
  /**
   * Extra SctpAssociation options (mtu, windows, limits). `maxPacketSize` bounds PLPMTUD everywhere;
   * on top of it each selected pair gets the cap of `pathMaxPacketSize`; `plpmtud: false` keeps every
   * SCTP packet at `mtu` (1200).
   */
  readonly sctp?: Partial<Omit<SctpOptions, 'rng' | 'crypto' | 'logger'>>;
  /**
   * The receiving socket's buffer in bytes as the kernel reports it (twice what it holds in data),
   * read when a pair is selected; undefined when unknown. See `loopbackWindow`.
   */
  readonly receiveBuffer?: () => number | undefined;
}

/** The smallest receive window we advertise on a loopback path: one 64 KiB packet. */
const MIN_LOOPBACK_WINDOW = 65536;

/**
 * The receive window SCTP may advertise on `pair` (undefined: its whole window). On a loopback path a
 * sender's whole window arrives at once, so it must fit the receiving socket's buffer: half what the
 * kernel reports for it (Linux doubles the size it was given, for its own overhead). With Linux's
 * default net.core.rmem_max that is 208 KiB instead of our 1 MiB window: without the cap, datagrams
 * beyond the buffer were dropped whenever the receiver paused for GC, and bulk between two rtcpeer
 * processes fell to 29-61 MB/s (58-87 with it; issue 6, sockets held to that default size).
 */
export function loopbackWindow(pair: PathInfo | undefined, receiveBuffer: number | undefined): number | undefined {
  if (receiveBuffer === undefined || !isLoopbackPath(pair)) return undefined;
  return Math.max(MIN_LOOPBACK_WINDOW, Math.floor(receiveBuffer / 2));
}

/** DTLS 1.2 record header (13) + the largest AEAD overhead of our suites (AES-GCM: 8-byte nonce + 16-byte tag). */
const DTLS_OVERHEAD = 13 + 24;
/** The largest SCTP packet one DTLS record carries (RFC 6347 plaintext limit). */
const DTLS_MAX_PLAINTEXT = 16384;
/** A TURN Send indication around the record: STUN header 20 + XOR-PEER-ADDRESS (IPv6) 24 + DATA header 4, padded. */
const TURN_OVERHEAD = 52;

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** The selected pair as the rule needs it (IceAgent.selectedPair). */
export interface PathInfo {
  readonly local: Pick<Candidate, 'type'>;
  readonly remote: Pick<Candidate, 'address'>;
  readonly base: { readonly address: string };
}

/**
 * The largest SCTP packet PLPMTUD may probe for on a selected pair (RFC 8899 needs probes that are not
 * fragmented, but Node cannot set the IP DF bit: a probe above a real path's MTU may be fragmented by
 * IP and still be answered). So:
 * - both ends on loopback (127/8, ::1) and not relayed: one full DTLS record, `recordLimit` (16384, or
 *   more towards an rtcpeer peer that reads larger records, src/dtls/constants.ts
 *   EXTENDED_MAX_PLAINTEXT; the loopback MTU is 64 KiB, nothing fragments);
 * - any other pair: what fits one 1500-byte Ethernet frame, 1500 - IP (20, or 40 for IPv6) - UDP 8 -
 *   DTLS 37, less 52 for TURN framing on a relayed pair (1435 / 1415 / 1363 bytes);
 * - no selected pair: the base 1200 (no search).
 * PLPMTUD still confirms each size with probes (a peer that drops them keeps 1200).
 */
export function pathMaxPacketSize(pair: PathInfo | undefined, recordLimit = DTLS_MAX_PLAINTEXT): number {
  if (!pair) return 1200;
  const relayed = pair.local.type === 'relay';
  if (isLoopbackPath(pair)) return recordLimit;
  const ipUdp = pair.remote.address.includes(':') || pair.base.address.includes(':') ? 48 : 28;
  return 1500 - ipUdp - DTLS_OVERHEAD - (relayed ? TURN_OVERHEAD : 0);
}

/** Both ends on loopback and not relayed: a path whose MTU cannot shrink (SCTP may cut large fragments). */
export function isLoopbackPath(pair: PathInfo | undefined): boolean {
  return pair !== undefined && pair.local.type !== 'relay' && isLoopback(pair.base.address) && isLoopback(pair.remote.address);
}

/** An IceAgent seen through the IcePort (candidates as `candidate:...` lines). */
export class IceAgentPort implements IcePort {
  /** `onSelectedPair` runs when the agent selects a (new) pair, before the event goes up. */
  constructor(readonly agent: IceAgent, private readonly onSelectedPair?: () => void) {}
  get localUfrag(): string {
    return this.agent.localUfrag;
  }
  get localPwd(): string {
    return this.agent.localPwd;
  }
  addLocalAddress(now: Millis, addr: Addr): void {
    this.agent.addLocalAddress(now, addr);
  }
  gather(now: Millis): void {
    this.agent.gather(now);
  }
  setRemoteCredentials(now: Millis, ufrag: string, pwd: string): void {
    this.agent.setRemoteCredentials(now, ufrag, pwd);
  }
  addRemoteCandidate(now: Millis, line: string): boolean {
    return this.agent.addRemoteCandidateLine(now, line);
  }
  endOfRemoteCandidates(now: Millis): void {
    this.agent.endOfRemoteCandidates(now);
  }
  peerKeepsEarlyData(): void {
    this.agent.peerKeepsEarlyData();
  }
  setDtlsInStun(mode: SpedMode): void {
    this.agent.setDtlsInStun(mode);
  }
  restart(now: Millis): void {
    this.agent.restart(now);
  }
  send(now: Millis, data: Uint8Array): boolean {
    return this.agent.send(now, data);
  }
  discardUnsent(obsolete: (data: Uint8Array) => boolean): void {
    this.agent.discardUnsent(obsolete);
  }
  close(now: Millis): void {
    this.agent.close(now);
  }
  handleDatagram(now: Millis, dg: Datagram): void {
    this.agent.handleDatagram(now, dg);
  }
  handleTimeout(now: Millis): void {
    this.agent.handleTimeout(now);
  }
  pollTransmit(): Datagram | undefined {
    return this.agent.pollTransmit();
  }
  pollTimeout(): Millis | undefined {
    return this.agent.pollTimeout();
  }
  pollEvent(): IcePortEvent | undefined {
    const ev = this.agent.pollEvent();
    if (!ev) return undefined;
    switch (ev.type) {
      case 'candidate':
        return { type: 'candidate', candidate: formatCandidate(ev.candidate) };
      case 'selected-pair':
        this.onSelectedPair?.();
        return { type: 'selected-pair' };
      case 'data':
        return ev.embedded ? { type: 'data', data: ev.data, embedded: true } : { type: 'data', data: ev.data };
      default:
        return ev;
    }
  }
}

/**
 * `o.ice` with our fields over it. Not `{ ...o.ice, rng, ... }`: a spread followed by more properties
 * is V8's slow path (a new hidden class per property: 10-40 us per agent, issue 6); our fields are
 * written into a literal of a stable shape, `o.ice` copied in, then ours restored over it.
 */
function iceOptions(o: RealLayerOptions, controlling: boolean, logger: Logger): IceAgentOptions {
  const stunServers = typeof o.stunServers === 'function' ? o.stunServers() : (o.stunServers ?? []);
  const includeLoopback = o.includeLoopback ?? false;
  const opts: { -readonly [K in keyof IceAgentOptions]: IceAgentOptions[K] } = { rng: o.rng, crypto: o.crypto, logger, controlling, stunServers, includeLoopback };
  if (o.ice === undefined) return opts;
  Object.assign(opts, o.ice);
  opts.stunServers = stunServers;
  opts.includeLoopback = includeLoopback;
  return opts;
}

/**
 * StackLayers over the real ICE and SCTP cores and the given DTLS factory. The SCTP association gets
 * the selected pair's packet cap (`pathMaxPacketSize`) when it is made and whenever ICE selects a new pair:
 * both must come from the SAME realLayers() result (an SCTP from another instance never learns the
 * pair and stays at 1200). `stunServers` may be a function, read when the ICE agent is made.
 */
export function realLayers(o: RealLayerOptions): StackLayers {
  let agent: IceAgent | undefined;
  let sctp: SctpAssociation | undefined;
  let recordLimit = DTLS_MAX_PLAINTEXT;
  const applyPathCap = (): void => {
    if (!sctp) return;
    const pair = agent?.selectedPair;
    sctp.setPathMaxPacketSize(pathMaxPacketSize(pair, recordLimit), isLoopbackPath(pair));
    sctp.setAdvertisedWindow(loopbackWindow(pair, o.receiveBuffer?.()));
  };
  return {
    snap: {
      // the INIT's a_rwnd, streams and extensions come from o.sctp, as for createSctp below
      init: () => SctpAssociation.snapInit(Object.assign({ rng: o.rng, crypto: o.crypto }, o.sctp)),
      valid: isSnapInit,
    },
    createIce: ({ controlling, logger }) => new IceAgentPort((agent = new IceAgent(iceOptions(o, controlling, logger))), applyPathCap),
    dtls: o.dtls,
    createSctp: (s): SctpPort => {
      // Object.assign into a literal, not spreads between properties (V8's slow path, see iceOptions).
      const opts: { -readonly [K in keyof SctpOptions]: SctpOptions[K] } = Object.assign({ rng: o.rng, crypto: o.crypto }, o.sctp, s);
      opts.rng = o.rng;
      opts.crypto = o.crypto;
      // SDP says unlimited as Infinity; SctpAssociation takes 0 (RFC 8841 §6).
      opts.remoteMaxMessageSize = Number.isFinite(s.remoteMaxMessageSize) ? s.remoteMaxMessageSize : 0;
      // the pump hands each packet to DtlsPort.send, which seals it at once: no owned copy needed
      opts.ownedTransmits = o.sctp?.ownedTransmits ?? false;
      // PLPMTUD may reach a whole record of this peer's (the path cap still decides: large on loopback only)
      recordLimit = s.recordLimit ?? DTLS_MAX_PLAINTEXT;
      opts.maxPacketSize = o.sctp?.maxPacketSize ?? recordLimit;
      sctp = new SctpAssociation(opts);
      applyPathCap();
      return sctp;
    },
  };
}

