/**
 * A STUN server for the simulator (RFC 8489 §6.3, Binding only): a sans-IO core that answers every
 * Binding request with XOR-MAPPED-ADDRESS = the request's source as the server saw it (after NATs),
 * from the address it arrived on. Requests with unknown comprehension-required attributes get 420;
 * anything that is not a STUN Binding request is dropped and counted. Attach it with
 * `sim.attach(host, new SimStunServer())`; hosts then gather server-reflexive candidates from it.
 */
import { ParseError } from '../../src/core/errors.js';
import { Queue } from '../../src/core/event-queue.js';
import type { Datagram, Millis, SansIo } from '../../src/core/types.js';
import { attr } from '../../src/stun/attributes.js';
import { StunMethod } from '../../src/stun/constants.js';
import { successResponse, unknownAttributesResponse, unknownComprehensionRequired } from '../../src/stun/helpers.js';
import { decodeStun, encodeStun } from '../../src/stun/message.js';
import type { StunMessage } from '../../src/stun/message.js';

export class SimStunServer implements SansIo<never> {
  private readonly out = new Queue<Datagram>();
  /** Binding requests answered. */
  answered = 0;
  /** Datagrams dropped (not STUN, not a Binding request). */
  dropped = 0;

  handleDatagram(_now: Millis, dg: Datagram): void {
    let msg: StunMessage;
    try {
      msg = decodeStun(dg.data);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.dropped++;
      return;
    }
    if (msg.cls !== 'request' || msg.method !== StunMethod.Binding) {
      this.dropped++;
      return;
    }
    const unknown = unknownComprehensionRequired(msg);
    const reply = unknown.length > 0 ? unknownAttributesResponse(msg, unknown) : successResponse(msg, [attr('xorMappedAddress', dg.from)]);
    this.answered++;
    this.out.push({ from: dg.to, to: dg.from, data: encodeStun(reply, { fingerprint: true }) });
  }

  handleTimeout(): void {
    // No timers: a STUN server is stateless.
  }

  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }

  pollEvent(): never | undefined {
    return undefined;
  }

  pollTimeout(): Millis | undefined {
    return undefined;
  }
}
