/**
 * Binds the real cores to PeerStack's ports: src/ice `IceAgent` and src/sctp `SctpAssociation`.
 * DTLS comes in as a `DtlsFactory` (src/dtls binding, or a test double).
 */
import type { CryptoProvider } from '../core/crypto.js';
import type { Rng } from '../core/rng.js';
import type { Addr, Datagram, Millis } from '../core/types.js';
import { IceAgent, formatCandidate } from '../ice/index.js';
import type { IceAgentOptions } from '../ice/index.js';
import { SctpAssociation } from '../sctp/index.js';
import type { SctpOptions } from '../sctp/index.js';
import type { DtlsFactory, IcePort, IcePortEvent, SctpPort, StackLayers } from './ports.js';

export interface RealLayerOptions {
  readonly rng: Rng;
  readonly crypto: CryptoProvider;
  readonly dtls: DtlsFactory;
  /** Resolved STUN server addresses (srflx candidates). */
  readonly stunServers?: readonly Addr[];
  /** Gather on loopback addresses too (tests; browsers do not). */
  readonly includeLoopback?: boolean;
  /** Extra IceAgent options (timers, limits). */
  readonly ice?: Partial<Omit<IceAgentOptions, 'rng' | 'crypto' | 'controlling' | 'logger'>>;
  /** Extra SctpAssociation options (mtu, windows, limits). */
  readonly sctp?: Partial<Omit<SctpOptions, 'rng' | 'crypto' | 'logger'>>;
}

/** An IceAgent seen through the IcePort (candidates as `candidate:...` lines). */
export class IceAgentPort implements IcePort {
  constructor(readonly agent: IceAgent) {}
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
  restart(now: Millis): void {
    this.agent.restart(now);
  }
  send(now: Millis, data: Uint8Array): boolean {
    return this.agent.send(now, data);
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
        return { type: 'selected-pair' };
      case 'data':
        return { type: 'data', data: ev.data };
      default:
        return ev;
    }
  }
}

/** StackLayers over the real ICE and SCTP cores and the given DTLS factory. */
export function realLayers(o: RealLayerOptions): StackLayers {
  return {
    createIce: ({ controlling, logger }) =>
      new IceAgentPort(
        new IceAgent({
          ...o.ice,
          rng: o.rng,
          crypto: o.crypto,
          logger,
          controlling,
          stunServers: o.stunServers ?? [],
          includeLoopback: o.includeLoopback ?? false,
        }),
      ),
    dtls: o.dtls,
    createSctp: (s): SctpPort =>
      new SctpAssociation({
        ...o.sctp,
        rng: o.rng,
        crypto: o.crypto,
        ...s,
        // SDP says unlimited as Infinity; SctpAssociation takes 0 (RFC 8841 §6).
        remoteMaxMessageSize: Number.isFinite(s.remoteMaxMessageSize) ? s.remoteMaxMessageSize : 0,
      }),
  };
}

