import type { Writer } from '../../core/bytes/writer.js';
import { decodeTlvs, writeTlv } from '../params/tlv.js';

/**
 * Error causes carried by ABORT and ERROR (RFC 9260 §3.3.10): the TLV layout of parameters.
 *
 * | Cause Code | Cause Length | Cause-Specific Information ... |
 */
export interface ErrorCause {
  readonly code: number;
  readonly info: Uint8Array;
}

/** Cause codes (RFC 9260 §3.3.10, RFC 4960 12, RFC 5061). */
export const CAUSE = {
  invalidStreamId: 1,
  missingParam: 2,
  staleCookie: 3,
  outOfResource: 4,
  unresolvableAddress: 5,
  unrecognizedChunk: 6,
  invalidMandatoryParam: 7,
  unrecognizedParams: 8,
  noUserData: 9,
  cookieWhileShuttingDown: 10,
  restartWithNewAddresses: 11,
  userInitiatedAbort: 12,
  protocolViolation: 13,
} as const;

export function decodeCauses(value: Uint8Array, prefix: string): ErrorCause[] {
  return decodeTlvs(value, 0, value.length, prefix).map((t) => ({ code: t.type, info: t.value }));
}

export function writeCauses(w: Writer, causes: readonly ErrorCause[]): void {
  for (let i = 0; i < causes.length; i++) {
    const c = causes[i] as ErrorCause;
    writeTlv(w, c.code, c.info);
  }
}

/** A short human-readable description of causes, for logs and the 'closed' event. */
export function describeCauses(causes: readonly ErrorCause[]): string {
  const names = Object.entries(CAUSE);
  return causes
    .map((c) => {
      const name = names.find(([, v]) => v === c.code)?.[0] ?? `cause-${c.code}`;
      const text = c.code === CAUSE.protocolViolation || c.code === CAUSE.userInitiatedAbort ? new TextDecoder().decode(c.info) : '';
      return text ? `${name}: ${text}` : name;
    })
    .join(', ');
}
