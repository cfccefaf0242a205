/**
 * A STUN Binding server for simulations (RFC 8489 §6.3: a Binding request gets a success response
 * carrying XOR-MAPPED-ADDRESS = the source it came from, sent from the address it arrived on). It
 * uses the project's STUN codec and answers without authentication, like public STUN servers.
 * Anything else (indications, responses, non-STUN, malformed) is counted and dropped.
 */
import { ParseError } from '../../src/core/errors.js';
import { Queue } from '../../src/core/event-queue.js';
import type { Datagram, Millis, SansIo } from '../../src/core/types.js';
import { attr, decodeStun, encodeStun, isStunPacket, StunMethod, successResponse } from '../../src/stun/index.js';
import type { Addr } from '../../src/core/types.js';

/** One answered request, for tests that look at what the server saw. */
export interface StunServerEvent {
  readonly type: 'binding';
  readonly at: Millis;
  readonly from: Addr;
  readonly to: Addr;
}

export class StunServer implements SansIo<StunServerEvent> {
  private readonly tx = new Queue<Datagram>();
  private readonly ev = new Queue<StunServerEvent>();
  /** Set false to make the server silent (a dead STUN server). */
  answering = true;
  answered = 0;
  ignored = 0;

  handleDatagram(now: Millis, dg: Datagram): void {
    if (!this.answering || !isStunPacket(dg.data)) {
      this.ignored++;
      return;
    }
    let msg;
    try {
      msg = decodeStun(dg.data);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.ignored++;
      return;
    }
    if (msg.method !== StunMethod.Binding || msg.cls !== 'request') {
      this.ignored++;
      return;
    }
    const res = successResponse(msg, [attr('xorMappedAddress', dg.from)]);
    this.tx.push({ from: dg.to, to: dg.from, data: encodeStun(res, { fingerprint: true }) });
    this.ev.push({ type: 'binding', at: now, from: dg.from, to: dg.to });
    this.answered++;
  }

  handleTimeout(): void {}

  pollTransmit(): Datagram | undefined {
    return this.tx.shift();
  }

  pollEvent(): StunServerEvent | undefined {
    return this.ev.shift();
  }

  pollTimeout(): Millis | undefined {
    return undefined;
  }
}
