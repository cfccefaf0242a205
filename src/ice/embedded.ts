/**
 * Where SPED (sped.ts) meets the agent's queues: embedded DTLS goes up as `data`, and the success
 * responses held for it leave once it was taken.
 */
import type { Datagram } from '../core/types.js';
import { addrKey } from '../core/types.js';
import { buildSuccess } from './binding.js';
import type { StunMessage } from '../stun/message.js';
import type { AgentContext, HeldReply } from './context.js';

/** Responses held at once (a peer's checks of one read batch); more are answered without waiting. */
export const MAX_HELD_REPLIES = 16;

/**
 * DTLS embedded in an authenticated check or response (sped.ts) goes up as data from its source,
 * which is validated from now on as bufferEarly does. A success response to a request that embedded
 * it is held until the event is taken, so that it can embed what the DTLS endpoint answered.
 */
export function surfaceEmbedded(ctx: AgentContext, data: Uint8Array, from: Datagram['from']): void {
  ctx.validated.add(addrKey(from));
  ctx.events.push({ type: 'data', data, from, embedded: true });
  ctx.embeddedUntaken++;
}

/**
 * The success response to an authenticated check (RFC 8445 §7.3.1). With SPED its embedded DTLS goes
 * up, and the response is held (bounded) to carry the DTLS answer.
 */
export function answerCheck(ctx: AgentContext, msg: StunMessage, dg: Datagram, pwd: string, currentGeneration: boolean): void {
  const sped = currentGeneration ? ctx.sped.receiveRequest(msg) : undefined;
  if (sped?.data) surfaceEmbedded(ctx, sped.data, dg.from);
  if (sped !== undefined && ctx.sped.answers(sped.carried) && ctx.heldReplies.length < MAX_HELD_REPLIES) ctx.heldReplies.push({ request: msg, dg, pwd });
  else ctx.transmits.push({ from: dg.to, to: dg.from, data: buildSuccess(msg, dg.from, pwd, ctx.opts.crypto) });
}

/** Sends the held success responses, each with the DTLS now waiting (sped.ts). */
export function releaseHeldReplies(ctx: AgentContext): void {
  const held = ctx.heldReplies.splice(0);
  for (let i = 0; i < held.length; i++) {
    const h = held[i] as HeldReply;
    ctx.transmits.push({ from: h.dg.to, to: h.dg.from, data: buildSuccess(h.request, h.dg.from, h.pwd, ctx.opts.crypto, ctx.sped.forResponse(true)?.attrs) });
  }
}
