import type { CryptoProvider } from '../../core/crypto.js';
import type { Logger } from '../../core/logger.js';
import type { Rng } from '../../core/rng.js';
import type { Chunk, InitChunk } from '../chunks/index.js';
import { CHUNK } from '../chunks/index.js';
import { EDMID_DTLS, type Param } from '../params/index.js';
import { makeCookie, openCookie, type CookieData } from './cookie.js';
import { decodeSnapInit, encodeSnapInit } from './snap.js';
import type { ResolvedSctpOptions } from './options.js';

/** Association states (RFC 9260 §4). */
export type AssocState =
  | 'closed' | 'cookie-wait' | 'cookie-echoed' | 'established'
  | 'shutdown-pending' | 'shutdown-sent' | 'shutdown-received' | 'shutdown-ack-sent';

/** What both ends agreed, the Transmission Control Block's fixed part. */
export type Tcb = Omit<CookieData, 'tieMy' | 'tiePeer' | 'created'>;

/** What the handshake needs from the association. */
export interface HandshakeHost {
  state: AssocState;
  readonly tcb: Tcb | undefined;
  /** Sends chunks in their own packet with `vtag` and a real CRC (INIT, INIT-ACK, COOKIE-ECHO...). */
  sendPacket(vtag: number, chunks: readonly Chunk[]): void;
  /** Queues a copy of a packet built already (a retransmission). */
  sendRaw(packet: Uint8Array): void;
  /** Queues a chunk for the next normal packet. */
  sendChunk(c: Chunk): void;
  establish(now: number, tcb: Tcb): void;
  /** Remembers the peer's parameters learnt from INIT-ACK, before COOKIE-ACK. */
  setTcb(tcb: Tcb): void;
  /** Builds our COOKIE-ECHO packet with the queued DATA that fits; the TSNs it carries are [first, end). */
  cookieEchoPacket(vtag: number, cookie: Uint8Array): { packet: Uint8Array; firstTsn: number; endTsn: number };
  /** Counts a retransmission of the DATA chunk `tsn` that rode with the COOKIE-ECHO. */
  resentEarly(now: number, tsn: number): void;
  armT1(now: number, retries: number): void;
  fail(now: number, reason: string): void;
}

/** Stateless association setup with INIT collision handling (RFC 9260 §5.1, §5.2). */
export class Handshake {
  readonly myTag: number;
  readonly myInitialTsn: number;
  private readonly secret: Uint8Array;
  private retries = 0;
  private cookieEcho: Uint8Array | undefined;
  /** The COOKIE-ECHO is built at the next pollTransmit, with what was queued by then. */
  /** takeCookieEcho() may give a packet. Public for the poll of every packet (a read, not a call); never assign it outside. */
  echoDue = false;
  /** Our COOKIE-ECHO packet as sent (with its DATA), for T1-cookie; the TSNs of that DATA. */
  private echoSent: { packet: Uint8Array; firstTsn: number; endTsn: number } | undefined;
  /** We answered a peer's INIT before connecting: the peer is setting the association up. */
  private answeredInit = false;
  /** connect() was called after that: our own INIT goes if no COOKIE-ECHO came by T1. */
  private connectLater = false;
  /** The peer sent an INIT (in any state): it is setting the association up too. */
  private peerInitSeen = false;
  private snapInitLogged = false;
  private readonly log: Logger;

  /** SNAP (./snap.ts): the peer's INIT from its SDP; connect() establishes from it. */
  private readonly snapPeer: InitChunk | undefined;

  constructor(private readonly opts: ResolvedSctpOptions, rng: Rng, private readonly crypto: CryptoProvider, private readonly host: HandshakeHost) {
    if (opts.snap) {
      const mine = decodeSnapInit(opts.snap.local); // resolveSctpOptions checked both
      this.myTag = mine.initiateTag;
      this.myInitialTsn = mine.initialTsn;
      this.snapPeer = decodeSnapInit(opts.snap.remote);
    } else {
      this.myTag = nonZero(rng);
      this.myInitialTsn = rng.u32();
    }
    this.secret = rng.bytes(32);
    this.log = opts.logger;
  }

  /** Whether connect() establishes at once (SNAP). */
  get snap(): boolean {
    return this.snapPeer !== undefined;
  }

  private initChunk(kind: 'init' | 'init-ack', extra: readonly Param[]): InitChunk {
    return ourInit(this.opts, kind, this.myTag, this.myInitialTsn, extra);
  }

  /**
   * Starts the association (RFC 9260 §5.1 A): INIT with verification tag 0, T1-init. Not when we
   * already answered the peer's INIT (its INIT came in with, or before, what made us connect: WebRTC
   * peers send INIT as soon as their DTLS is up, and the DTLS server is up first): the peer's COOKIE-ECHO
   * follows, and our own INIT would only cross it (§5.2.1 collision, two cookies, one more round trip).
   * If that INIT-ACK is lost, our INIT leaves at T1 unless the peer's COOKIE-ECHO came (peers' own
   * T1-init is often longer: 1 s in dcSCTP, 3 s in usrsctp).
   */
  connect(now: number): void {
    if (this.host.state !== 'closed') return;
    if (this.snapPeer) {
      // draft-hancke-tsvwg-snap §6: ESTABLISHED once DTLS is up, steps A-E of RFC 9260 §5.1 skipped
      this.host.establish(now, snapTcb(this.opts, this.myTag, this.myInitialTsn, this.snapPeer));
      return;
    }
    if (this.answeredInit) {
      this.connectLater = true;
      this.host.armT1(now, 0);
      return;
    }
    this.host.state = 'cookie-wait';
    this.retries = 0;
    this.sendInit(now);
  }

  /** See SctpAssociation.retryInit. */
  retryInit(now: number): void {
    if (this.host.state === 'cookie-wait' && !this.peerInitSeen) this.sendInit(now);
  }

  private sendInit(now: number): void {
    this.host.sendPacket(0, [this.initChunk('init', [])]);
    this.host.armT1(now, this.retries);
  }

  /** T1-init / T1-cookie expiry (RFC 9260 §6.3.3 via §5.1 C): resend, never give up unless configured. */
  onT1(now: number): void {
    if (this.host.state === 'closed') {
      // our INIT-ACK got no COOKIE-ECHO back: set the association up ourselves (connect() deferred it)
      if (!this.connectLater) return;
      this.answeredInit = this.connectLater = false;
      this.connect(now);
      return;
    }
    if (++this.retries > this.opts.maxInitRetransmits) {
      this.host.fail(now, 'association setup timed out');
      return;
    }
    if (this.host.state === 'cookie-wait') this.sendInit(now);
    else if (this.host.state === 'cookie-echoed') this.resendCookieEcho(now);
  }

  /** Our COOKIE-ECHO packet, when one is due (call from pollTransmit, after the user's sends). */
  takeCookieEcho(): Uint8Array | undefined {
    const tcb = this.host.tcb;
    if (!this.echoDue || this.host.state !== 'cookie-echoed' || !tcb || !this.cookieEcho) return undefined;
    this.echoDue = false;
    const sent = this.host.cookieEchoPacket(tcb.peerTag, this.cookieEcho);
    this.echoSent = { ...sent, packet: sent.packet.slice() }; // the caller owns what it gets
    return sent.packet;
  }

  get cookieEchoDue(): boolean {
    return this.echoDue && this.host.state === 'cookie-echoed';
  }

  /**
   * T1-cookie: the same packet again, DATA included (no other packet may go before COOKIE-ACK, §5.1
   * C), so DATA that rode with a lost COOKIE-ECHO is not left for T3 after the association is up.
   */
  private resendCookieEcho(now: number): void {
    const sent = this.echoSent;
    if (!sent) {
      this.echoDue = true; // never built yet: pollTransmit builds it
    } else {
      this.host.sendRaw(sent.packet);
      for (let t = sent.firstTsn; t !== sent.endTsn; t = (t + 1) >>> 0) this.host.resentEarly(now, t);
    }
    this.host.armT1(now, this.retries);
  }

  /**
   * INIT (RFC 9260 §5.1 B, §5.2.1): answer with INIT-ACK carrying a signed cookie. In COOKIE-WAIT and
   * COOKIE-ECHOED (INIT collision) the INIT-ACK repeats our own INIT's tag and TSN; the tie tags carry
   * the tags we know. An INIT after establishment is ignored (restart is not supported: tags are fixed
   * per association, so a COOKIE-ECHO for a restart is discarded by onCookieEcho).
   */
  onInit(now: number, init: InitChunk): void {
    const s = this.host.state;
    if (this.snapPeer) {
      if (!this.answersSnapPeerInit(init)) return;
    } else {
      if (s !== 'closed' && s !== 'cookie-wait' && s !== 'cookie-echoed') return;
      if (s === 'closed') this.answeredInit = true;
      this.peerInitSeen = true;
    }
    const peer = peerFeatures(init.params);
    const tcb = this.host.tcb;
    const cookie = makeCookie({
      myTag: this.myTag, peerTag: init.initiateTag, myInitialTsn: this.myInitialTsn, peerInitialTsn: init.initialTsn,
      peerArwnd: init.arwnd, outStreams: Math.min(this.opts.maxStreams, init.inboundStreams),
      inStreams: Math.min(this.opts.maxStreams, init.outboundStreams),
      tieMy: s === 'cookie-echoed' ? this.myTag : 0, tiePeer: s === 'cookie-echoed' && tcb ? tcb.peerTag : 0,
      created: now, ...peer,
    }, this.secret, this.crypto);
    const extra: Param[] = [{ kind: 'state-cookie', cookie }];
    // RFC 9260 §3.3.3: report parameters the INIT asked us to report
    const unrecognized = init.unrecognized;
    for (let i = 0; i < unrecognized.length; i++) extra.push({ kind: 'unrecognized', param: unrecognized[i] as Uint8Array });
    this.host.sendPacket(init.initiateTag, [this.initChunk('init-ack', extra)]);
  }

  /**
   * An INIT from a peer whose SDP said SNAP (a=sctp-init) and which runs the normal handshake all the
   * same. The INIT it signalled (same Initiate Tag and TSN) is answered for the association we already
   * have: its COOKIE-ECHO then matches our TCB (§5.2.4 case D, COOKIE-ACK), and what we sent before
   * it is retransmitted at T3. Any other INIT would restart the association, which is not supported:
   * ignored. Logged once.
   */
  private answersSnapPeerInit(init: InitChunk): boolean {
    const signalled = this.snapPeer;
    const answer = this.host.state === 'established' && init.initiateTag === signalled?.initiateTag && init.initialTsn === signalled.initialTsn;
    if (!this.snapInitLogged) this.log.log('warn', `SCTP INIT from a peer that negotiated SNAP (a=sctp-init): ${answer ? 'answered for the association SNAP set up' : 'ignored'}`, { layer: 'sctp' });
    this.snapInitLogged = true;
    return answer;
  }

  /**
   * INIT-ACK in COOKIE-WAIT (RFC 9260 §5.1 C): echo the cookie (at the next pollTransmit, with the DATA
   * queued by then), T1-cookie. Discarded elsewhere.
   */
  onInitAck(now: number, ack: InitChunk): void {
    if (this.host.state !== 'cookie-wait') return;
    const cookie = ack.params.find((p) => p.kind === 'state-cookie');
    if (!cookie || cookie.kind !== 'state-cookie') {
      this.log.log('debug', 'INIT-ACK without a state cookie dropped', { layer: 'sctp' });
      return;
    }
    this.host.setTcb({
      myTag: this.myTag, peerTag: ack.initiateTag, myInitialTsn: this.myInitialTsn, peerInitialTsn: ack.initialTsn,
      peerArwnd: ack.arwnd, outStreams: Math.min(this.opts.maxStreams, ack.inboundStreams),
      inStreams: Math.min(this.opts.maxStreams, ack.outboundStreams), ...peerFeatures(ack.params),
    });
    this.cookieEcho = cookie.cookie.slice();
    this.host.state = 'cookie-echoed';
    this.retries = 0;
    this.echoDue = true; // built by pollTransmit: what is queued by then rides with it
    this.host.armT1(now, 0);
  }

  /**
   * COOKIE-ECHO (RFC 9260 §5.1 D, §5.2.4). Returns true when the association is (now) established
   * from this cookie, so the chunks bundled after it are processed.
   */
  onCookieEcho(now: number, cookie: Uint8Array, packetTag: number): boolean {
    const r = openCookie(cookie, this.secret, this.crypto, now, this.opts.cookieLifetime);
    if (!r.ok) {
      this.log.log('debug', 'COOKIE-ECHO rejected', { layer: 'sctp', why: r.why });
      return false;
    }
    const d = r.data;
    if (packetTag !== d.myTag || d.myTag !== this.myTag) return false;
    const tcb = this.host.tcb;
    // §5.2.4 case D (same tags): accept; cases A/B (peer restart, new peer tag) and C: discard
    if (tcb && tcb.peerTag !== d.peerTag) return false;
    const s = this.host.state;
    if (s === 'closed' || s === 'cookie-wait' || s === 'cookie-echoed') {
      const { tieMy: _a, tiePeer: _b, created: _c, ...fixed } = d;
      this.host.establish(now, fixed);
    }
    // first chunk of the next packet (§5.1 D), with the SACK and any answer to bundled DATA after it
    this.host.sendChunk({ kind: 'cookie-ack' });
    return true;
  }

  /** COOKIE-ACK in COOKIE-ECHOED (RFC 9260 §5.1 E). */
  onCookieAck(now: number): void {
    const tcb = this.host.tcb;
    if (this.host.state === 'cookie-echoed' && tcb) this.host.establish(now, tcb);
  }
}

/**
 * Our INIT or INIT-ACK (protocol.md 2.2: a_rwnd >= 1 MiB, OS = MIS, 0xC000, [0x82, 0xC0], 0x8001).
 * Supported Extensions also lists PAD (0x84, RFC 4820) when PLPMTUD is on: we send PAD probes only
 * to a peer that lists it, because not every peer skips unknown chunks as RFC 9260 §3.2 says (werift
 * throws on them, from an un-awaited promise that would take its process down).
 */
function ourInit(opts: ResolvedSctpOptions, kind: 'init' | 'init-ack', tag: number, tsn: number, extra: readonly Param[]): InitChunk {
  const params: Param[] = [
    { kind: 'forward-tsn-supported' },
    { kind: 'supported-extensions', chunkTypes: opts.plpmtud ? [CHUNK.reconfig, CHUNK.forwardTsn, CHUNK.pad] : [CHUNK.reconfig, CHUNK.forwardTsn] },
  ];
  if (opts.zeroChecksum) params.push({ kind: 'zero-checksum', edmid: EDMID_DTLS });
  params.push(...extra);
  return { kind, initiateTag: tag, arwnd: opts.receiveWindow, outboundStreams: opts.maxStreams, inboundStreams: opts.maxStreams, initialTsn: tsn, params, unrecognized: [] };
}

/** A new INIT of ours for `a=sctp-init` (SNAP): fresh tag and initial TSN, the parameters an association with `opts` uses. */
export function newSnapInit(opts: ResolvedSctpOptions, rng: Rng): Uint8Array {
  return encodeSnapInit(ourInit(opts, 'init', nonZero(rng), rng.u32(), []));
}

/** The Transmission Control Block of an association set up by SNAP: our INIT's tag and TSN, the peer's INIT. */
function snapTcb(opts: ResolvedSctpOptions, myTag: number, myInitialTsn: number, peer: InitChunk): Tcb {
  return {
    myTag, peerTag: peer.initiateTag, myInitialTsn, peerInitialTsn: peer.initialTsn, peerArwnd: peer.arwnd,
    outStreams: Math.min(opts.maxStreams, peer.inboundStreams), inStreams: Math.min(opts.maxStreams, peer.outboundStreams),
    ...peerFeatures(peer.params),
  };
}

function nonZero(rng: Rng): number {
  for (;;) {
    const v = rng.u32();
    if (v !== 0) return v;
  }
}

/** The peer's extensions from its INIT/INIT-ACK parameters. */
function peerFeatures(params: readonly Param[]): Pick<Tcb, 'peerZeroChecksum' | 'peerForwardTsn' | 'peerReconfig' | 'peerPad'> {
  let z = false;
  let f = false;
  let r = false;
  let pad = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as Param;
    if (p.kind === 'zero-checksum') z = p.edmid === EDMID_DTLS; // RFC 9653: only the DTLS method applies
    else if (p.kind === 'forward-tsn-supported') f = true;
    else if (p.kind === 'supported-extensions') {
      f ||= p.chunkTypes.includes(CHUNK.forwardTsn);
      r = p.chunkTypes.includes(CHUNK.reconfig);
      pad = p.chunkTypes.includes(CHUNK.pad);
    }
  }
  return { peerZeroChecksum: z, peerForwardTsn: f, peerReconfig: r, peerPad: pad };
}
