import type { HandshakeFragment } from './header.js';

/** A complete handshake message (its own copy of the body). */
export interface HandshakeMessage {
  readonly msgType: number;
  readonly messageSeq: number;
  readonly body: Uint8Array;
}

/** Bounds on what a peer can make us buffer. */
export interface ReassemblyLimits {
  /** Largest message body accepted (a Certificate chain, a ClientHello with a PQ key share). */
  readonly maxMessageLength: number;
  /** How far beyond the next expected message_seq fragments are kept. */
  readonly maxAhead: number;
  /** Total body bytes held for incomplete or not-yet-deliverable messages. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { maxMessageLength: 65536, maxAhead: 8, maxBufferedBytes: 262144 };

interface Partial {
  readonly msgType: number;
  readonly body: Uint8Array;
  /** One flag per body byte: received. */
  readonly have: Uint8Array;
  missing: number;
}

const NO_MAP = new Uint8Array(0);

/** What happened to a pushed fragment. */
export type PushResult = 'accepted' | 'old' | 'dropped';

/**
 * In-order delivery of handshake messages from fragments in any pattern: out of order, overlapping,
 * duplicated, retransmitted with other boundaries (RFC 6347 §4.2.3). A byte map per message tracks
 * coverage, so no interval logic can go wrong. Fragments inconsistent with what is held (other type
 * or length for the same message_seq) are dropped.
 */
export class HandshakeReassembler {
  private readonly partials = new Map<number, Partial>();
  private buffered = 0;
  /** message_seq of the next message to deliver. */
  next = 0;

  constructor(private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS) {}

  push(f: HandshakeFragment): PushResult {
    if (f.messageSeq < this.next) return 'old';
    if (f.messageSeq > this.next + this.limits.maxAhead || f.length > this.limits.maxMessageLength) return 'dropped';
    let p = this.partials.get(f.messageSeq);
    if (p === undefined) {
      if (this.buffered + f.length > this.limits.maxBufferedBytes) return 'dropped';
      const whole = f.fragmentOffset === 0 && f.body.length === f.length; // the usual case: no byte map needed
      p = { msgType: f.msgType, body: new Uint8Array(f.length), have: whole ? NO_MAP : new Uint8Array(f.length), missing: whole ? 0 : f.length };
      this.partials.set(f.messageSeq, p);
      this.buffered += f.length;
      if (whole) {
        p.body.set(f.body);
        return 'accepted';
      }
    } else if (p.msgType !== f.msgType || p.body.length !== f.length) {
      return 'dropped';
    } else if (p.missing === 0) {
      return 'accepted'; // a duplicate of a message complete but not yet delivered
    }
    const end = f.fragmentOffset + f.body.length;
    for (let i = f.fragmentOffset; i < end; i++) {
      if (p.have[i] === 0) {
        p.have[i] = 1;
        p.missing--;
      }
    }
    p.body.set(f.body, f.fragmentOffset);
    return 'accepted';
  }

  /** The next complete in-order message, or undefined. */
  pop(): HandshakeMessage | undefined {
    const p = this.partials.get(this.next);
    if (p === undefined || p.missing > 0) return undefined;
    this.partials.delete(this.next);
    this.buffered -= p.body.length;
    return { msgType: p.msgType, messageSeq: this.next++, body: p.body };
  }

  /** Forget everything and expect `next` (after a HelloVerifyRequest, RFC 6347 §4.2.2). */
  reset(next: number): void {
    this.partials.clear();
    this.buffered = 0;
    this.next = next;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }
}
