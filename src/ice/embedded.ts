/**
 * Where SPED (sped.ts) meets the agent's queues: embedded DTLS goes up as `data`, and the success
 * responses held for it leave once it was taken.
 */
import type { Datagram } from '../core/types.js';
import { addrKey } from '../core/types.js';
import { buildSuccess } from './binding.js';
import type { AgentContext } from './context.js';

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

/** Sends the held success responses, each with the DTLS now waiting (sped.ts). */
export function releaseHeldReplies(ctx: AgentContext): void {
  for (const h of ctx.heldReplies.splice(0)) ctx.transmits.push({ from: h.dg.to, to: h.dg.from, data: buildSuccess(h.request, h.dg.from, h.pwd, ctx.opts.crypto, ctx.sped.forResponse(true)?.attrs) });
}
