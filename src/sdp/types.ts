/**
 * SDP for WebRTC data channels (RFC 8866 syntax; RFC 8841 SCTP attributes; RFC 8839 ICE attributes;
 * RFC 8842 DTLS attributes; RFC 8829 JSEP). Plain readonly data only: parsing and building are pure
 * functions in `parse.ts`, `interpret.ts` and `build.ts`.
 */
import type { ParseError } from '../core/errors.js';

/** Outcome of every SDP parse: a value or a typed error (code `sdp.*`, readable message). Never throws. */
export type SdpResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ParseError };

/** One `a=` line: `a=name` (flag, value undefined) or `a=name:value`. */
export interface SdpAttribute {
  readonly name: string;
  readonly value: string | undefined;
}

/** `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>` (RFC 8866 §5.2). */
export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

/** One `m=` section as written: `m=<media> <port> <proto> <fmt> ...` with its own lines. */
export interface RawMediaSection {
  readonly media: string;
  readonly port: number;
  readonly proto: string;
  readonly formats: readonly string[];
  /** Address of the section's `c=` line, if any. */
  readonly connectionAddress: string | undefined;
  readonly attributes: readonly SdpAttribute[];
}

/** The line-level structure of a session description, before any WebRTC meaning is applied. */
export interface RawSdp {
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly attributes: readonly SdpAttribute[];
  readonly media: readonly RawMediaSection[];
}

/** `a=setup` values (RFC 4145 §4, RFC 8842 §5.1). */
export type SetupRole = 'actpass' | 'active' | 'passive' | 'holdconn';

/** `a=fingerprint:<hash-func> <hex:hex:...>` (RFC 8122 §5). `value` is upper-case, colon-separated. */
export interface Fingerprint {
  readonly algorithm: string;
  readonly value: string;
}

/** ICE parameters of a section (RFC 8839 §5.4, 5.6). Media-level values win over session-level ones. */
export interface IceParameters {
  readonly ufrag: string;
  readonly pwd: string;
  /** `a=ice-options` tokens, e.g. `trickle`, `ice2`. */
  readonly options: readonly string[];
}

/** The ICE, DTLS and SCTP parameters of a data-channel m-line (remote ones parsed, ours built). */
export interface MediaTransportParams {
  readonly ice: IceParameters;
  readonly fingerprints: readonly Fingerprint[];
  /** `a=setup`; `actpass` assumed when absent (RFC 8842 §5.1). */
  readonly setup: SetupRole;
  /** SCTP port from `a=sctp-port` or the legacy format/sctpmap (default 5000). */
  readonly sctpPort: number;
  /**
   * `a=max-message-size` (RFC 8841 §6). Parsed: absent → 65536; 0 → unlimited, reported as
   * `Number.POSITIVE_INFINITY`. Built: what we can reassemble.
   */
  readonly maxMessageSize: number;
  /** Candidate values `candidate:...` (tcp ones kept; ICE parses them). Build accepts an `a=` prefix. */
  readonly candidates: readonly string[];
  /** `a=end-of-candidates` (RFC 8840 §8.2). */
  readonly endOfCandidates: boolean;
  /**
   * `a=x-dtls-multi-record` (ours, media or session level): this end reads every DTLS record of a
   * datagram, application data right after a Finished included (RFC 6347 §4.1.1 allows several records
   * per datagram; libdatachannel reads one per datagram after its handshake). A DTLS client sends its
   * SCTP INIT with its Finished to such a server (a false start). Parsed: present or not; built: written
   * when true. Other stacks ignore the attribute.
   */
  readonly dtlsMultiRecord?: boolean;
  /**
   * `a=x-dtls-record-limit:<bytes>` (ours, media or session level): this end reads DTLS application
   * records whose plaintext is up to this size, above the 2^14 of RFC 6347 (src/dtls/constants.ts
   * EXTENDED_MAX_PLAINTEXT). Parsed: an integer 16384..65535, else undefined; built: written when set.
   * Other stacks ignore the attribute and never get a record above 2^14.
   */
  readonly dtlsRecordLimit?: number | undefined;
  /**
   * `a=x-early-dtls` (ours, media or session level): this end keeps the DTLS that comes from an
   * address once an authenticated connectivity check came from there, before its own ICE has
   * selected a pair and before its DTLS endpoint exists (src/ice/incoming.ts, PeerStack's early
   * datagrams). A controlled ICE agent then sends its early DTLS once, without the copy at the
   * peer's nomination that peers dropping such DTLS need (src/ice/early-data.ts). Parsed: present or
   * not; built: written when true. Other stacks ignore the attribute.
   */
  readonly earlyDtls?: boolean;
  /**
   * `a=sctp-init:<base64>` (SNAP, draft-hancke-tsvwg-snap, media level): the end's SCTP INIT chunk.
   * When offer and answer both carry one, both ends take the SCTP association as established once DTLS
   * is up, without the INIT / COOKIE handshake. Parsed: the decoded bytes, undefined when absent, not
   * strict base64 or over `MAX_SCTP_INIT_BYTES` (the line is then ignored, draft §5.2); whether the bytes
   * are an INIT is for the SCTP layer to check. Built: written when set.
   */
  readonly sctpInit?: Uint8Array | undefined;
}

/**
 * The data-channel m-line, interpreted: either the modern form
 * `m=application <port> UDP/DTLS/SCTP webrtc-datachannel` + `a=sctp-port`, or the legacy form
 * `m=application <port> DTLS/SCTP <sctp-port>` + `a=sctpmap:<port> webrtc-datachannel <streams>`.
 */
export interface DataChannelMedia extends MediaTransportParams {
  /** Index of this m-line in the description (sdpMLineIndex). */
  readonly index: number;
  /** `a=mid`, or the index as a string when absent (very old peers). */
  readonly mid: string;
  /** True for the pre-2018 `DTLS/SCTP` + `a=sctpmap` form (answer in the same form). */
  readonly legacy: boolean;
  /** The proto token exactly as offered (`UDP/DTLS/SCTP`, `TCP/DTLS/SCTP`, `DTLS/SCTP`). */
  readonly proto: string;
  /** Port of the m-line (9 when no candidate was known yet). */
  readonly port: number;
  readonly connectionAddress: string | undefined;
}

/** A non-data-channel or rejected m-line, kept so an answer can mirror it with port 0. */
export interface OtherMedia {
  readonly index: number;
  readonly mid: string | undefined;
  readonly media: string;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly rejected: boolean;
}

/** A parsed WebRTC data-channel session description. */
export interface DataChannelSdp {
  readonly origin: SdpOrigin;
  /** `a=ice-lite` at session level: the remote is lite, so we must be ICE controlling (RFC 8445 §6.1.1). */
  readonly iceLite: boolean;
  /** `a=group:BUNDLE` mids (empty when absent). */
  readonly bundle: readonly string[];
  /** The first accepted data-channel section. */
  readonly dataChannel: DataChannelMedia;
  /** Every m-line in order: `'datachannel'` marks the one in `dataChannel`. */
  readonly sections: readonly (OtherMedia | 'datachannel')[];
}

/** Size bounds on remote SDP (the peer controls the size, so memory stays bounded). */
export const SDP_LIMITS = {
  /** Characters of SDP text accepted. */
  maxLength: 256 * 1024,
  /** m-lines accepted. */
  maxMediaSections: 64,
  /** Candidates kept per section; more make the description invalid. */
  maxCandidates: 512,
} as const;

/** The largest `a=sctp-init` value kept from a peer's SDP, in decoded bytes (a WebRTC INIT is 30 to 40). */
export const MAX_SCTP_INIT_BYTES = 2048;

/** Default `a=max-message-size` when the attribute is absent (RFC 8841 §6). */
export const DEFAULT_REMOTE_MAX_MESSAGE_SIZE = 65536;
/** Default SCTP port (RFC 8841 §5). */
export const DEFAULT_SCTP_PORT = 5000;
