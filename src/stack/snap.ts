/**
 * SNAP negotiation for PeerStack (draft-hancke-tsvwg-snap §5): which `a=sctp-init` our descriptions
 * carry, and whether both INITs are in hand so that the SCTP association skips its handshake.
 * - Offers carry our INIT (made once; later offers repeat it, §5.5), unless the association was
 *   already set up without SNAP.
 * - Answers carry it only when the offer carried a valid one (§5.3): a peer that does not implement
 *   SNAP never writes the line, and we never echo the peer's.
 * - The peer's INIT is used when the SCTP layer takes it as one INIT chunk and it is not our own
 *   echoed back, recognised by its Initiate Tag even if re-encoded (libdatachannel before PR #1637
 *   answered with the offer's unknown attributes, libdatachannel#1620; such a peer runs the normal
 *   handshake, so we must too).
 */
import type { Logger } from '../core/logger.js';
import type { SnapCodec } from './ports.js';

export class SnapNegotiation {
  private local: Uint8Array | undefined;
  /** The SCTP association was made with (true) or without (false) SNAP: it stays so. */
  private decided: boolean | undefined;

  constructor(
    private readonly codec: SnapCodec | undefined,
    private readonly logger: Logger,
  ) {}

  /** Our `a=sctp-init` for a description of this type, answering `remoteInit` (the offer's, for an answer). */
  localFor(type: 'offer' | 'answer', remoteInit: Uint8Array | undefined): Uint8Array | undefined {
    if (!this.codec || this.decided === false) return undefined;
    if (type === 'answer' && this.decided === undefined && this.peerInit(remoteInit) === undefined) return undefined;
    return (this.local ??= this.codec.init());
  }

  /**
   * The INITs for the association being made now (its options' `snap`), or undefined for the normal
   * handshake; either way the choice is final for this connection.
   */
  take(remoteInit: Uint8Array | undefined): { readonly local: Uint8Array; readonly remote: Uint8Array } | undefined {
    const local = this.local;
    const remote = this.decided === false || !local ? undefined : this.peerInit(remoteInit);
    this.decided = remote !== undefined;
    return local && remote ? { local, remote } : undefined;
  }

  /** The peer's INIT when usable (see the module comment). */
  private peerInit(remote: Uint8Array | undefined): Uint8Array | undefined {
    if (!remote || !this.codec) return undefined;
    if (this.local && sameInitiateTag(remote, this.local)) {
      this.logger.log('debug', "the peer's a=sctp-init is our own, echoed: it does not implement SNAP; normal SCTP handshake");
      return undefined;
    }
    if (!this.codec.valid(remote)) {
      this.logger.log('debug', "the peer's a=sctp-init is not an SCTP INIT chunk: ignored (draft-hancke-tsvwg-snap §5.2)");
      return undefined;
    }
    return remote;
  }
}

/**
 * Whether two INIT chunks carry the same Initiate Tag (bytes 4-7, after the chunk header): the peer
 * sent ours back, even if re-encoded (a peer's own tag equals ours with probability 2^-32).
 */
function sameInitiateTag(a: Uint8Array, b: Uint8Array): boolean {
  return a.length >= 8 && b.length >= 8 && a[4] === b[4] && a[5] === b[5] && a[6] === b[6] && a[7] === b[7];
}
