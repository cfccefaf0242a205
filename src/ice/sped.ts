/**
 * SPED, DTLS embedded in STUN (draft-hancke-webrtc-sped; libwebrtc's ice-option `goog-sped-v1`):
 * while no candidate pair is valid, the DTLS packets waiting for one ride in the connectivity
 * checks and their success responses (META-DTLS-IN-STUN, one packet per message), and each side
 * acknowledges what it got (META-DTLS-IN-STUN-ACKNOWLEDGEMENT, up to four CRC-32s of the packets).
 * The checks carry consent, so the ClientHello leaves with the first check instead of after its
 * round trip, and the server's flight comes back in the response (issue 6 setup time).
 *
 * Modes, set by the stack from the descriptions:
 * - `off`: nothing embedded, the attributes of the peer ignored (the normal handshake).
 * - `offered`: our offer named the option and the answer is not there yet: a request that carries
 *   the attributes is answered with ours (its embedded DTLS is surfaced); our own requests carry none.
 * - `on`: both descriptions named it: our checks carry the attributes too.
 * - `pending`: our DTLS handshake finished as a DTLS 1.2 server, whose last flight (ChangeCipherSpec,
 *   Finished) the client may not have: as `on` until the peer acknowledges what we embedded (nothing
 *   embeddable is left) or its messages stop carrying the attributes (its handshake is over), then
 *   `done`. libwebrtc's server does the same (its PENDING state). Without it, a final flight that
 *   waited for a valid pair stayed there while our checks were lost, though the peer's checks and our
 *   responses to them got through.
 * - `done`: our DTLS handshake finished (and, as a server, the peer has our last flight): no more
 *   attributes, the peer's are ignored.
 *
 * The packets come from `pending`, the agent's queue of DTLS waiting for a valid pair (early-data.ts,
 * which sends what is left there plainly once a pair is valid, except what went out embedded: a
 * plain copy would look like a retransmission to the peer's DTLS, which would resend its flight).
 * A packet acknowledged by the peer, or embedded in a request whose success response carried the
 * attributes (the draft's implicit acknowledgement), leaves that queue. A peer whose message carries neither attribute while we are
 * `on` does not do SPED: `off`, and the queue goes out plainly as without it; if it carried them
 * before, its handshake is over: `done`.
 * Peer input is judged here and never throws: an acknowledgement list of a bad length, an empty
 * packet or one that is not DTLS (first byte outside 20..63, RFC 9443) is ignored. A packet seen
 * before (a resend of the same bytes) is acknowledged again but not surfaced twice.
 */
import { crc32 } from '../core/bytes/crc32.js';
import type { Logger } from '../core/logger.js';
import type { StunAttribute } from '../stun/attributes.js';
import { attr } from '../stun/attributes.js';
import { getAttr } from '../stun/helpers.js';
import type { StunMessage } from '../stun/message.js';

export type SpedMode = 'off' | 'offered' | 'on' | 'pending' | 'done';

/** At most four CRC-32s per acknowledgement (the draft's limit: 16 bytes). */
const MAX_ACKS = 4;
/** CRCs of surfaced packets remembered to drop resends of the same bytes. */
const MAX_SEEN = 16;
/**
 * A packet larger than this waits for a valid pair: with the check's own attributes (about 124
 * bytes, draft section "MTU considerations") the message stays within 1,280 bytes.
 */
const MAX_EMBEDDED = 1100;
const embeddable = (packet: Uint8Array): boolean => packet.length <= MAX_EMBEDDED;

const EMPTY = new Uint8Array(0);

interface SpedAttributes {
  readonly attrs: StunAttribute[];
  /** CRC-32 of the packet embedded, for the implicit acknowledgement by a success response. */
  readonly crc: number | undefined;
}

interface SpedInput {
  /** A new DTLS packet to surface, or undefined. */
  readonly data: Uint8Array | undefined;
  /** The message carried at least one of the two attributes. */
  readonly carried: boolean;
}

const NOTHING: SpedInput = { data: undefined, carried: false };

export class DtlsInStun {
  private modeValue: SpedMode = 'off';
  /** CRCs of the packets we got, sent back in our acknowledgements (the latest MAX_ACKS). */
  private readonly acks: number[] = [];
  private readonly seen: number[] = [];
  private next = 0;
  /** A message of the peer's carried the attributes. */
  private peerTookPart = false;
  /** Packets (of `pending`) that went out inside a message at least once. */
  private readonly embedded = new WeakSet<Uint8Array>();
  /** Counters for tests and diagnostics. */
  readonly stats = { embeddedSent: 0, embeddedReceived: 0, duplicates: 0, acknowledged: 0, ignored: 0 };

  constructor(
    private readonly pending: Uint8Array[],
    private readonly logger: Logger,
  ) {}

  get mode(): SpedMode {
    return this.modeValue;
  }

  /** `done` is final; a later description may turn `off` back to `on`; `pending` only follows `on`. */
  setMode(requested: SpedMode): void {
    const mode = requested === 'pending' && this.modeValue !== 'on' ? 'done' : requested;
    if (this.modeValue === 'done' || this.modeValue === mode) return;
    this.modeValue = mode;
    if (mode === 'off' || mode === 'done') {
      this.acks.length = 0;
      this.seen.length = 0;
    }
  }

  /** Attributes for one of our checks, or undefined (not `on`). */
  forRequest(): SpedAttributes | undefined {
    return this.embedding() ? this.attributes() : undefined;
  }

  /** A success response to a request that carried the attributes (or not) carries ours. */
  answers(requestCarried: boolean): boolean {
    return requestCarried && (this.embedding() || this.modeValue === 'offered');
  }

  /** Attributes for the success response to a request that carried some, or undefined. */
  forResponse(requestCarried: boolean): SpedAttributes | undefined {
    return this.answers(requestCarried) ? this.attributes() : undefined;
  }

  /** The packet went out inside a check or response: the pair becoming valid does not send it again. */
  wasEmbedded(packet: Uint8Array): boolean {
    return this.modeValue !== 'off' && this.embedded.has(packet); // off: the peer ignored the copies
  }

  /** An authenticated request from the peer. */
  receiveRequest(msg: StunMessage): SpedInput {
    return this.receive(msg, undefined);
  }

  /** An authenticated success response to our check that embedded the packet `embedded` (its CRC). */
  receiveResponse(msg: StunMessage, embedded: number | undefined): SpedInput {
    return this.receive(msg, embedded);
  }

  private receive(msg: StunMessage, embedded: number | undefined): SpedInput {
    const mode = this.modeValue;
    if (mode === 'off' || mode === 'done') return NOTHING;
    const data = getAttr(msg, 'metaDtlsInStun');
    const ack = getAttr(msg, 'metaDtlsInStunAck');
    if (data === undefined && ack === undefined) {
      if (!this.embedding()) return NOTHING;
      if (this.peerTookPart) {
        // Its handshake is over (it stops sending them then): so is the embedding.
        this.logger.log('debug', 'DTLS in STUN: the peer finished');
        this.setMode('done');
      } else {
        this.logger.log('info', 'the peer sends no DTLS-in-STUN attributes: the handshake goes without them');
        this.setMode('off');
      }
      return NOTHING;
    }
    this.peerTookPart = true;
    if (ack !== undefined) this.acknowledge(ack);
    if (embedded !== undefined) this.prune([embedded]);
    if (mode === 'pending' && !this.pending.some(embeddable)) {
      this.logger.log('debug', 'DTLS in STUN: the peer has our last flight');
      this.setMode('done');
    }
    return { data: data === undefined ? undefined : this.accept(data), carried: true };
  }

  /** Our checks and responses carry the attributes. */
  private embedding(): boolean {
    return this.modeValue === 'on' || this.modeValue === 'pending';
  }

  private acknowledge(ack: Uint8Array): void {
    if (ack.length % 4 !== 0 || ack.length > 4 * MAX_ACKS) {
      this.stats.ignored++;
      return;
    }
    const crcs: number[] = [];
    for (let i = 0; i < ack.length; i += 4) crcs.push(((ack[i]! << 24) | (ack[i + 1]! << 16) | (ack[i + 2]! << 8) | ack[i + 3]!) >>> 0);
    this.prune(crcs);
  }

  private prune(crcs: readonly number[]): void {
    const p = this.pending;
    for (let i = p.length - 1; i >= 0; i--) {
      if (crcs.includes(crc32(p[i]!))) {
        p.splice(i, 1);
        this.stats.acknowledged++;
      }
    }
  }

  private accept(data: Uint8Array): Uint8Array | undefined {
    const first = data[0];
    if (first === undefined || first < 20 || first > 63) {
      if (data.length > 0) this.stats.ignored++;
      return undefined;
    }
    const crc = crc32(data);
    if (!this.acks.includes(crc)) {
      if (this.acks.length >= MAX_ACKS) this.acks.shift();
      this.acks.push(crc);
    }
    if (this.seen.includes(crc)) {
      this.stats.duplicates++;
      return undefined;
    }
    if (this.seen.length >= MAX_SEEN) this.seen.shift();
    this.seen.push(crc);
    if (this.stats.embeddedReceived++ === 0) this.logger.log('info', 'DTLS in STUN: first embedded packet received', { bytes: data.length });
    return data.slice();
  }

  private attributes(): SpedAttributes {
    const ack = new Uint8Array(4 * this.acks.length);
    const view = new DataView(ack.buffer);
    this.acks.forEach((c, i) => view.setUint32(4 * i, c));
    const packet = this.nextPacket();
    if (packet) {
      this.stats.embeddedSent++;
      this.embedded.add(packet);
    }
    return { attrs: [attr('metaDtlsInStunAck', ack), attr('metaDtlsInStun', packet ?? EMPTY)], crc: packet ? crc32(packet) : undefined };
  }

  /**
   * The first pending packet not embedded yet, in queue order (a flight before the data that follows
   * it), else the pending packets in turn (a flight of several datagrams goes out over successive checks).
   */
  private nextPacket(): Uint8Array | undefined {
    const p = this.pending;
    for (let k = 0; k < p.length; k++) {
      const packet = p[k] as Uint8Array;
      if (!this.embedded.has(packet) && embeddable(packet)) return packet;
    }
    for (let tries = 0; tries < p.length; tries++) {
      const i = this.next++ % p.length;
      const packet = p[i]!;
      if (embeddable(packet)) return packet;
    }
    return undefined;
  }
}
