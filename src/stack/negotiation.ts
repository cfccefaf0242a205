/**
 * Offer/answer bookkeeping for PeerStack (JSEP, RFC 8829): the signaling-state table, the `o=` line,
 * the current remote description, and the DTLS role fixed by `a=setup` (RFC 8842, protocol.md 1.3).
 * Throws ParseError for bad remote SDP and UsageError for calls in the wrong state; PeerStack turns
 * them into results.
 */
import { UsageError } from '../core/errors.js';
import { randomU64 } from '../core/rng.js';
import type { Rng } from '../core/rng.js';
import { buildAnswer, buildOffer } from '../sdp/build.js';
import type { LocalMediaParams } from '../sdp/build.js';
import { parseSdp } from '../sdp/interpret.js';
import { answerSetup, fingerprintsChanged, isIceRestart, roleFromLocalAnswerSetup, roleFromRemoteAnswerSetup } from '../sdp/roles.js';
import type { DtlsRole } from '../sdp/roles.js';
import { SignalingMachine, signalingAction } from '../sdp/signaling.js';
import type { DataChannelSdp, SetupRole } from '../sdp/types.js';

/** What applying a remote description changed. */
export interface RemoteApplied {
  readonly kind: 'offer' | 'answer' | 'pranswer' | 'rollback';
  readonly description: DataChannelSdp | undefined;
  /** The remote ufrag/pwd changed against the previous remote description (RFC 8839 §4.4.1.1.1). */
  readonly iceRestart: boolean;
  /** The remote certificate changed: a new DTLS association would be needed (not supported yet). */
  readonly newCertificate: boolean;
}

export class Negotiator {
  readonly signaling = new SignalingMachine();
  private readonly sessionId: string;
  private version = 1;
  private remoteDesc: DataChannelSdp | undefined;
  private dtlsRole: DtlsRole | undefined;
  /** True while we are the side that sent the current offer. */
  offerer: boolean | undefined;
  /** How our latest description was built, for `rebuildLocal`. */
  private lastLocal: { readonly kind: 'offer' | 'answer'; readonly version: number; readonly setup: SetupRole } | undefined;

  constructor(rng: Rng) {
    // RFC 8866 §5.2 suggests a value below 2^63 for interop with 64-bit signed parsers.
    this.sessionId = (randomU64(rng) >> 2n).toString();
  }

  get remote(): DataChannelSdp | undefined {
    return this.remoteDesc;
  }

  get role(): DtlsRole | undefined {
    return this.dtlsRole;
  }

  /** Builds our offer and applies it locally (native Godot applies it at once). */
  createOffer(media: Omit<LocalMediaParams, 'setup'>): string {
    if (!this.signaling.can('local-offer')) throw new UsageError('jsep.state', `cannot create an offer in signaling state ${this.signaling.state}`);
    // RFC 8842 §5.2: offers say actpass; a re-offer keeps an established role (protocol.md 1.3).
    const setup: SetupRole = this.dtlsRole === undefined ? 'actpass' : this.dtlsRole === 'client' ? 'active' : 'passive';
    this.lastLocal = { kind: 'offer', version: this.version, setup };
    // Object.assign, not a spread: V8's spread is its slow path in the interpreter (issue 6)
    const sdp = buildOffer({ sessionId: this.sessionId, sessionVersion: this.version++ }, Object.assign({ setup }, media));
    this.signaling.apply('local-offer');
    this.offerer = true;
    return sdp;
  }

  /** Builds the answer to the current remote offer and applies it locally. */
  createAnswer(media: Omit<LocalMediaParams, 'setup'>): string {
    const offer = this.remoteDesc;
    if (!offer || !this.signaling.can('local-answer')) throw new UsageError('jsep.state', `cannot answer in signaling state ${this.signaling.state}`);
    const setup: SetupRole = this.dtlsRole === 'client' ? 'active' : 'passive';
    this.lastLocal = { kind: 'answer', version: this.version, setup };
    const sdp = buildAnswer({ sessionId: this.sessionId, sessionVersion: this.version++ }, offer, Object.assign({ setup }, media));
    this.signaling.apply('local-answer');
    return sdp;
  }

  /**
   * Our latest offer or answer again, same session version and roles, with `media` as it is now (the
   * candidates gathered since): the text signalled when the description was held until the sockets
   * were bound (PeerStack). Undefined when there is none.
   */
  rebuildLocal(media: Omit<LocalMediaParams, 'setup'>): string | undefined {
    const last = this.lastLocal;
    if (!last) return undefined;
    const session = { sessionId: this.sessionId, sessionVersion: last.version };
    if (last.kind === 'offer') return buildOffer(session, Object.assign({ setup: last.setup }, media));
    return this.remoteDesc ? buildAnswer(session, this.remoteDesc, Object.assign({ setup: last.setup }, media)) : undefined;
  }

  /** Parses and applies a remote description of `type` (offer, answer, pranswer, rollback). */
  applyRemote(type: string, sdp: string): RemoteApplied {
    const action = signalingAction('remote', type);
    if (action === undefined) throw new UsageError('jsep.type', `unknown description type "${type}" (offer, answer, pranswer or rollback)`);
    if (!this.signaling.can(action)) throw new UsageError('jsep.state', `cannot apply a remote ${type} in signaling state ${this.signaling.state}`);
    if (action === 'rollback') {
      this.signaling.apply(action);
      return { kind: 'rollback', description: undefined, iceRestart: false, newCertificate: false };
    }
    const parsed = parseSdp(sdp);
    if (!parsed.ok) throw parsed.error;
    const desc = parsed.value;
    const role = this.roleFor(action === 'remote-offer', desc.dataChannel.setup);
    const prev = this.remoteDesc?.dataChannel;
    this.signaling.apply(action);
    this.dtlsRole ??= role;
    this.remoteDesc = desc;
    if (action === 'remote-offer') this.offerer = false;
    return {
      kind: type as RemoteApplied['kind'],
      description: desc,
      iceRestart: isIceRestart(prev?.ice, desc.dataChannel.ice),
      newCertificate: prev !== undefined && fingerprintsChanged(prev.fingerprints, desc.dataChannel.fingerprints),
    };
  }

  /** Our DTLS role implied by the remote setup (throws ParseError when it cannot be negotiated). */
  private roleFor(isOffer: boolean, remoteSetup: SetupRole): DtlsRole {
    if (isOffer) {
      const ours = answerSetup(remoteSetup);
      if (ours instanceof Error) throw ours;
      return this.dtlsRole ?? roleFromLocalAnswerSetup(ours);
    }
    const role = roleFromRemoteAnswerSetup(remoteSetup);
    if (role instanceof Error) throw role;
    return role;
  }

  close(): void {
    if (this.signaling.can('close')) this.signaling.apply('close');
  }
}
