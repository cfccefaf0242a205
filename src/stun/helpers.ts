/**
 * Helpers over decoded messages: typed attribute lookup, the RFC 8489 §7.3.1 unknown-attribute rule,
 * transaction ids, and response builders (§6.3: a response carries the request's method and
 * transaction id).
 */
import { toHex } from '../core/bytes/hex.js';
import type { Rng } from '../core/rng.js';
import type { AttrName, AttrValues, StunAttribute } from './attributes.js';
import { ERROR_REASONS, TRANSACTION_ID_SIZE, isComprehensionRequired } from './constants.js';
import type { StunMessage } from './message.js';

/** The value of the first attribute named `name` (RFC 8489 §14: later duplicates are ignored). */
export function getAttr<K extends AttrName>(msg: Pick<StunMessage, 'attributes'>, name: K): AttrValues[K] | undefined {
  const list = msg.attributes;
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as StunAttribute;
    if (a.type === name) return a.value as AttrValues[K];
  }
  return undefined;
}

export function hasAttr(msg: Pick<StunMessage, 'attributes'>, name: AttrName): boolean {
  return msg.attributes.some((a) => a.type === name);
}

/**
 * Codes of unknown comprehension-required attributes (< 0x8000). RFC 8489 §6.3.1: a request with any
 * gets a 420 listing them (see unknownAttributesResponse); a response with any is treated as failed.
 * Unknown comprehension-optional ones (Chrome's 0xC057 GOOG-NETWORK-INFO...) are ignored.
 */
export function unknownComprehensionRequired(msg: Pick<StunMessage, 'attributes'>): number[] {
  const out: number[] = [];
  const list = msg.attributes;
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as StunAttribute;
    if (a.type === 'unknown' && isComprehensionRequired(a.code)) out.push(a.code);
  }
  return out;
}

/** A fresh 96-bit transaction id (RFC 8489 §6: uniformly random). */
export function newTransactionId(rng: Rng): Uint8Array {
  return rng.bytes(TRANSACTION_ID_SIZE);
}

/** A string key for a transaction id (for Maps). */
export function transactionKey(id: Uint8Array): string {
  return toHex(id);
}

/** A request message. */
export function stunRequest(method: number, transactionId: Uint8Array, attributes: readonly StunAttribute[] = []): StunMessage {
  return { method, cls: 'request', transactionId, attributes };
}

/** An indication message (TURN Send/Data, keepalive Binding indications). */
export function stunIndication(method: number, transactionId: Uint8Array, attributes: readonly StunAttribute[] = []): StunMessage {
  return { method, cls: 'indication', transactionId, attributes };
}

/** A success response to `request`. */
export function successResponse(request: Pick<StunMessage, 'method' | 'transactionId'>, attributes: readonly StunAttribute[] = []): StunMessage {
  return { method: request.method, cls: 'success', transactionId: request.transactionId, attributes };
}

/** An error response to `request` with ERROR-CODE first (reason defaults to the RFC phrase), then `extra`. */
export function errorResponse(
  request: Pick<StunMessage, 'method' | 'transactionId'>,
  code: number,
  reason = ERROR_REASONS[code] ?? '',
  extra: readonly StunAttribute[] = [],
): StunMessage {
  return {
    method: request.method,
    cls: 'error',
    transactionId: request.transactionId,
    attributes: [{ type: 'errorCode', value: { code, reason } }, ...extra],
  };
}

/** The 420 Unknown Attribute response listing `codes` (RFC 8489 §6.3.1.1, §14.9). */
export function unknownAttributesResponse(request: Pick<StunMessage, 'method' | 'transactionId'>, codes: readonly number[]): StunMessage {
  return errorResponse(request, 420, undefined, [{ type: 'unknownAttributes', value: codes }]);
}
