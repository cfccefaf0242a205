/**
 * STUN (RFC 8489) for ICE and TURN: a pure codec plus integrity, fingerprint and a retransmission
 * schedule. No I/O, no clock: every function is synchronous and total.
 *
 * Decoding (never throws anything but ParseError with a `stun.*` code):
 * ```ts
 * if (!isStunPacket(buf)) ...;                     // cheap header check (RFC 7983 demux is core/demux.ts)
 * const msg = decodeStun(buf);                     // { method, cls, transactionId, attributes }
 * verifyFingerprint(buf);                          // FINGERPRINT present, last and correct
 * verifyIntegrity(buf, shortTermKey(pwd), crypto); // MESSAGE-INTEGRITY(-SHA256) over the raw bytes
 * unknownComprehensionRequired(msg);               // codes < 0x8000 we do not know -> 420 via unknownAttributesResponse
 * getAttr(msg, 'xorMappedAddress');                // Addr | undefined (first occurrence)
 * getAttr(msg, 'username'); getAttr(msg, 'priority'); getAttr(msg, 'iceControlling'); // string, number, bigint
 * hasAttr(msg, 'useCandidate'); getAttr(msg, 'errorCode');                             // true/false, {code, reason}
 * ```
 * Attributes are a discriminated union on `type` (the camelCase attribute name, see AttrValues in
 * attributes.ts), unknown ones are `{ type: 'unknown', code, value }` with raw bytes. Attributes after
 * MESSAGE-INTEGRITY are dropped except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT.
 *
 * Encoding (throws UsageError on values that cannot be encoded):
 * ```ts
 * const req = stunRequest(StunMethod.Binding, newTransactionId(rng), [
 *   attr('username', `${remoteUfrag}:${localUfrag}`), attr('priority', prio),
 *   attr('iceControlling', tieBreaker), attr('useCandidate', true)]);
 * const bytes = encodeStun(req, { integrityKey: shortTermKey(remotePwd), fingerprint: true }, crypto);
 * encodeStun(successResponse(req, [attr('xorMappedAddress', from)]), { integrityKey: shortTermKey(localPwd), fingerprint: true }, crypto);
 * encodeStun(errorResponse(req, 487), { integrityKey, fingerprint: true }, crypto);  // reason from ERROR_REASONS
 * ```
 * MESSAGE-INTEGRITY and FINGERPRINT are appended by encodeStun (`integrity: 'sha256' | 'both'` for
 * MESSAGE-INTEGRITY-SHA256); long-term credentials: `longTermKey(user, realm, pass, crypto)` (MD5).
 *
 * Retransmissions (RFC 8489 §6.2.1): `new RetransmitSchedule(now, { rto, maxRequests, lastWaitMultiplier })`
 * with `.deadline` and `.onTimeout(now)` -> 'wait' | 'retransmit' | 'timeout', or a whole table:
 * `ClientTransactions<C>` with start(now, txId, bytes, ctx, opts) / take(txId) / handleTimeout(now) /
 * pollTimeout(). Defaults RTO 500 ms, Rc 7, Rm 16.
 *
 * Addresses are `Addr` from core/types.ts with literal IPs; `parseIp`/`formatIp` convert to bytes
 * (IPv4-mapped IPv6 prints as `::ffff:1.2.3.4`, like node:dgram).
 */
export { AttrCode, ERROR_REASONS, FINGERPRINT_XOR, HEADER_SIZE, MAGIC_COOKIE, StunMethod, isComprehensionRequired } from './constants.js';
export type { StunClass } from './constants.js';
export { attr } from './attributes.js';
export type { AttrName, AttrValues, ErrorCodeValue, EvenPortValue, KnownAttribute, PasswordAlgorithmValue, StunAttribute, UnknownAttribute } from './attributes.js';
export { ATTRIBUTE_BY_CODE, ATTRIBUTE_TABLE } from './attr-table.js';
export { isStunPacket, messageType, splitMessageType } from './header.js';
export { decodeStun, encodeStun } from './message.js';
export type { StunEncodeOptions, StunMessage } from './message.js';
export { findAttribute, longTermKey, saslPrep, shortTermKey, userhash, verifyFingerprint, verifyIntegrity } from './integrity.js';
export {
  errorResponse,
  getAttr,
  hasAttr,
  newTransactionId,
  stunIndication,
  stunRequest,
  successResponse,
  transactionKey,
  unknownAttributesResponse,
  unknownComprehensionRequired,
} from './helpers.js';
export { ClientTransactions, RetransmitSchedule, resolveRetransmitOptions, retransmitTimeline } from './transaction.js';
export type { ResolvedRetransmitOptions, RetransmitAction, RetransmitOptions, TransactionTimeouts } from './transaction.js';
export { formatIp, parseIp } from './ip.js';
