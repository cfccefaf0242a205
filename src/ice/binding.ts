/**
 * The STUN Binding messages ICE sends (RFC 8445 §7.2.2, §7.3.1.3, RFC 8489 §9.1 short-term
 * credentials), built on the stun codec:
 *
 *   check request:  USERNAME "<remote ufrag>:<local ufrag>", PRIORITY, ICE-CONTROLLING|ICE-CONTROLLED,
 *                   [USE-CANDIDATE], MESSAGE-INTEGRITY (key = REMOTE pwd), FINGERPRINT
 *   success:        XOR-MAPPED-ADDRESS (the request's source), MESSAGE-INTEGRITY (key = LOCAL pwd), FINGERPRINT
 *   error:          ERROR-CODE [+ MESSAGE-INTEGRITY for 487], FINGERPRINT
 *   server request: no attributes but FINGERPRINT (RFC 8489 §5 Binding to a STUN server)
 */
import type { CryptoProvider } from '../core/crypto.js';
import type { Rng } from '../core/rng.js';
import type { Addr } from '../core/types.js';
import type { StunAttribute } from '../stun/attributes.js';
import { attr } from '../stun/attributes.js';
import { StunMethod } from '../stun/constants.js';
import { errorResponse, newTransactionId, stunRequest, successResponse } from '../stun/helpers.js';
import { shortTermKey } from '../stun/integrity.js';
import { formatIp, parseIp } from '../stun/ip.js';
import type { StunMessage } from '../stun/message.js';
import { encodeStun } from '../stun/message.js';

export interface CheckParams {
  readonly localUfrag: string;
  readonly remoteUfrag: string;
  readonly remotePwd: string;
  readonly priority: number;
  readonly controlling: boolean;
  readonly tieBreaker: bigint;
  readonly useCandidate: boolean;
  /** More attributes before MESSAGE-INTEGRITY (SPED, sped.ts). */
  readonly extra?: readonly StunAttribute[] | undefined;
}

/** A connectivity check (RFC 8445 §7.2.2). Returns the bytes and the transaction id. */
export function buildCheck(p: CheckParams, rng: Rng, crypto: CryptoProvider): { bytes: Uint8Array; transactionId: Uint8Array } {
  const transactionId = newTransactionId(rng);
  const attrs: StunAttribute[] = [
    attr('username', `${p.remoteUfrag}:${p.localUfrag}`),
    attr('priority', p.priority),
    p.controlling ? attr('iceControlling', p.tieBreaker) : attr('iceControlled', p.tieBreaker),
  ];
  // RFC 8445 §7.2.2 / §8.1.1: USE-CANDIDATE only from the controlling agent.
  if (p.useCandidate && p.controlling) attrs.push(attr('useCandidate', true));
  if (p.extra) attrs.push(...p.extra);
  const bytes = encodeStun(stunRequest(StunMethod.Binding, transactionId, attrs), { integrityKey: shortTermKey(p.remotePwd), fingerprint: true }, crypto);
  return { bytes, transactionId };
}

/** RFC 8445 §7.3.1.3 success response: XOR-MAPPED-ADDRESS = where the request came from. */
export function buildSuccess(req: StunMessage, source: Addr, localPwd: string, crypto: CryptoProvider, extra?: readonly StunAttribute[]): Uint8Array {
  const attrs: StunAttribute[] = [attr('xorMappedAddress', source)];
  if (extra) for (let i = 0; i < extra.length; i++) attrs.push(extra[i] as StunAttribute);
  return encodeStun(successResponse(req, attrs), { integrityKey: shortTermKey(localPwd), fingerprint: true }, crypto);
}

/** An error response; 487 is integrity-protected with the local pwd (RFC 8445 §7.3.1.1), 400/401 are not. */
export function buildError(req: StunMessage, code: number, crypto: CryptoProvider, localPwd?: string, extra: readonly StunAttribute[] = []): Uint8Array {
  const key = localPwd === undefined ? {} : { integrityKey: shortTermKey(localPwd) };
  return encodeStun(errorResponse(req, code, undefined, extra), { ...key, fingerprint: true }, crypto);
}

/** A Binding request to a STUN server (no credentials). */
export function buildServerRequest(rng: Rng): { bytes: Uint8Array; transactionId: Uint8Array } {
  const transactionId = newTransactionId(rng);
  return { bytes: encodeStun(stunRequest(StunMethod.Binding, transactionId), { fingerprint: true }), transactionId };
}

/**
 * Results of normalizeAddress. Every datagram's two addresses go through it (issue 6 profile: parse
 * and format were ~6% of the CPU per 1200-byte packet); a pure function, so a bounded memo is safe.
 */
const normalized = new Map<string, string>();
const MAX_NORMALIZED = 256;

/** Canonical text of an IP literal (so `::FFFF:1.2.3.4` and decoded STUN addresses compare equal); names unchanged. */
export function normalizeAddress(address: string): string {
  const known = normalized.get(address);
  if (known !== undefined) return known;
  let out = address; // keep link-local zones: the shell binds by that text
  if (!address.includes('%')) {
    const b = parseIp(address);
    if (b) out = formatIp(b);
  }
  if (normalized.size >= MAX_NORMALIZED) normalized.clear();
  normalized.set(address, out);
  return out;
}

export function normalizeAddr(a: Addr): Addr {
  const address = normalizeAddress(a.address);
  return address === a.address ? a : { address, port: a.port };
}

/** Loopback literals (127.0.0.0/8, ::1), which browsers never gather. */
export function isLoopback(address: string): boolean {
  const b = parseIp(address);
  if (!b) return false;
  if (b.length === 4) return b[0] === 127;
  return b.every((x, i) => (i === 15 ? x === 1 : x === 0));
}

/** True for IPv4/IPv6 literals. */
export function isIpLiteral(address: string): boolean {
  return parseIp(address) !== undefined;
}
