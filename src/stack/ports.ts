/**
 * What PeerStack needs from the layers below it, as narrow structural interfaces ("ports").
 * The real cores (src/ice IceAgent, src/dtls DtlsEndpoint, src/sctp SctpAssociation) are bound to
 * these by small adapters in `layers.ts`; tests can bind simple doubles. Candidate lines cross this
 * boundary as `candidate:...` strings: the ICE adapter parses and formats them (RFC 8839 grammar).
 */
import type { Addr, Millis, SansIo, SansIoLayer } from '../core/types.js';
import type { Logger } from '../core/logger.js';
import type { SctpChannelTransport } from '../dcep/registry.js';
import type { Fingerprint } from '../sdp/types.js';
import type { DtlsRole } from '../sdp/roles.js';
import type { SpedMode } from '../ice/sped.js';

export type IceConnectionState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

export type IcePortEvent =
  | { readonly type: 'candidate'; readonly candidate: string }
  | { readonly type: 'gathering-complete' }
  | { readonly type: 'state'; readonly state: IceConnectionState }
  | { readonly type: 'selected-pair' }
  /** `embedded`: it came inside a check or response (SPED, src/ice/sped.ts). */
  | { readonly type: 'data'; readonly data: Uint8Array; readonly embedded?: boolean };

/** The ICE agent as PeerStack drives it (agreed API of src/ice). */
export interface IcePort extends SansIo<IcePortEvent> {
  readonly localUfrag: string;
  readonly localPwd: string;
  addLocalAddress(now: Millis, addr: Addr): void;
  gather(now: Millis): void;
  setRemoteCredentials(now: Millis, ufrag: string, pwd: string): void;
  /** False when the line cannot be parsed (or is ignored, like tcp); never throws for bad input. */
  addRemoteCandidate(now: Millis, candidate: string): boolean;
  endOfRemoteCandidates(now: Millis): void;
  /** The peer keeps DTLS that arrives before its ICE is connected (its SDP's `a=x-early-dtls`). */
  peerKeepsEarlyData(): void;
  /** SPED (src/ice/sped.ts): DTLS embedded in the checks while no pair is valid. */
  setDtlsInStun(mode: SpedMode): void;
  /** ICE restart: new local credentials, gathering and checks again (RFC 8445 §9). */
  restart(now: Millis): void;
  /** Sends on the selected pair; false when there is none yet. */
  send(now: Millis, data: Uint8Array): boolean;
  /** Drops the datagrams waiting for a valid pair (early-data.ts) that `obsolete` says are. */
  discardUnsent(obsolete: (data: Uint8Array) => boolean): void;
  close(now: Millis): void;
}

export interface IcePortOptions {
  readonly controlling: boolean;
  readonly logger: Logger;
}

export type DtlsPortEvent =
  | { readonly type: 'connected' }
  /** The client's false start: SCTP may send before 'connected' (DtlsOptions.falseStart). */
  | { readonly type: 'writable' }
  | { readonly type: 'data'; readonly data: Uint8Array }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly error: Error };

/** A DTLS endpoint (agreed API of src/dtls). */
export interface DtlsPort extends SansIoLayer<DtlsPortEvent> {
  start(now: Millis): void;
  /** The peer's description came after the endpoint was made (SPED, src/ice/sped.ts). */
  setRemote(now: Millis, remoteFingerprints: readonly Fingerprint[], peer: DtlsPeerTraits): void;
  send(now: Millis, data: Uint8Array): void;
  /** ICE selected a pair: an unanswered flight is resent at the initial timeout, not a backed-off one. */
  restartRetransmitTimer(now: Millis): void;
  close(now: Millis): void;
}

/** Our certificate (made once, at construction, so offers can carry its fingerprint) and a factory. */
export interface DtlsFactory {
  readonly fingerprint: Fingerprint;
  create(role: DtlsRole, remoteFingerprints: readonly Fingerprint[], logger: Logger, peer?: DtlsPeerTraits): DtlsPort;
}

/** What the peer's description says its DTLS reads (our SDP attributes, src/sdp/types.ts). */
export interface DtlsPeerTraits {
  /** The client may send after its Finished: the peer reads every record of a datagram (DtlsOptions.falseStart). */
  readonly falseStart?: boolean;
  /** Largest application record plaintext to send (DtlsOptions.maxRecordPlaintext; default 16384). */
  readonly maxRecordPlaintext?: number;
}

export type SctpPortEvent =
  | { readonly type: 'connected' }
  /** Not up yet, but messages sent now leave with the COOKIE-ECHO (the registry queues its OPENs). */
  | { readonly type: 'cookie-echoed' }
  | { readonly type: 'message'; readonly streamId: number; readonly ppid: number; readonly data: Uint8Array }
  /** The peer reset its outgoing direction: the channel is closing (our reciprocal reset follows). */
  | { readonly type: 'stream-closing'; readonly streamIds: readonly number[] }
  | { readonly type: 'stream-reset'; readonly streamIds: readonly number[] }
  | { readonly type: 'buffered-amount-low'; readonly streamId: number }
  | { readonly type: 'closed'; readonly reason?: string };

/** An SCTP association (agreed API of src/sctp). */
export interface SctpPort extends SansIoLayer<SctpPortEvent>, SctpChannelTransport {
  connect(now: Millis): void;
  /** Our INIT again at once if the association is still in COOKIE-WAIT and the peer sent no INIT (false start). */
  retryInit(now: Millis): void;
  shutdown(now: Millis): void;
  abort(now: Millis): void;
  readonly maxStreams: number;
  /** Set up by SNAP (SctpPortOptions.snap): `connect()` establishes at once, no handshake chunks. */
  readonly snap?: boolean;
}

export interface SctpPortOptions {
  readonly localPort: number;
  readonly remotePort: number;
  /** What we reassemble (our a=max-message-size). */
  readonly maxMessageSize: number;
  /** The peer's a=max-message-size (Infinity = unlimited). */
  readonly remoteMaxMessageSize: number;
  readonly logger: Logger;
  /**
   * Largest SCTP packet one DTLS record carries to this peer (DtlsPeerTraits.maxRecordPlaintext;
   * default 16384): the packet cap on a loopback path, where PLPMTUD may go that far.
   */
  readonly recordLimit?: number;
  /** SNAP (src/stack/snap.ts): our INIT as signalled and the peer's; the association is established at connect(). */
  readonly snap?: { readonly local: Uint8Array; readonly remote: Uint8Array } | undefined;
}

/** The SCTP layer's side of SNAP (draft-hancke-tsvwg-snap): INITs for `a=sctp-init`. */
export interface SnapCodec {
  /** A new INIT chunk of ours, with the parameters `createSctp` associations use. */
  init(): Uint8Array;
  /** Whether a peer's `a=sctp-init` bytes are one valid INIT chunk. */
  valid(init: Uint8Array): boolean;
}

/** The three layer factories a PeerStack is built from. */
export interface StackLayers {
  createIce(options: IcePortOptions): IcePort;
  readonly dtls: DtlsFactory;
  createSctp(options: SctpPortOptions): SctpPort;
  /** SNAP support of `createSctp` (absent: no `a=sctp-init`, always the normal SCTP handshake). */
  readonly snap?: SnapCodec | undefined;
}
