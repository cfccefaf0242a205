/**
 * Errors with stable codes, named for whose fault they are (after h11, ws and undici):
 *
 * - `UsageError`: the caller broke the API contract. Thrown synchronously by cores; the Godot facade
 *   catches it, logs a readable message and returns the matching Godot `Error` value.
 * - `ProtocolError`: the peer sent malformed or out-of-state input. Never escapes `handleDatagram`:
 *   the core drops and counts it, or fails the layer and tells the peer.
 *   `ParseError` is the ProtocolError a decoder throws, with the byte offset where it stopped.
 * - `InternalError`: an invariant broke (a bug).
 *
 * Guards use a brand symbol (`Symbol.for`) so they survive duplicate copies of the package.
 */

const BRAND = Symbol.for('rtcpeer.error');

export type ErrorKind = 'usage' | 'protocol' | 'internal';

export abstract class RtcError extends Error {
  readonly [BRAND] = true;
  abstract readonly kind: ErrorKind;
  /** Stable machine-readable code, e.g. `'stun.attr.length'` or `'dtls.alert.bad-certificate'`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class UsageError extends RtcError {
  readonly kind = 'usage' as const;
  override readonly name = 'UsageError';
}

export class ProtocolError extends RtcError {
  readonly kind = 'protocol' as const;
  override readonly name: string = 'ProtocolError';
}

export class ParseError extends ProtocolError {
  override readonly name = 'ParseError';
  /** Byte offset in the input where decoding failed. */
  readonly offset: number;

  constructor(code: string, message: string, offset: number, options?: { cause?: unknown }) {
    super(code, `${message} (at byte ${offset})`, options);
    this.offset = offset;
  }
}

export class InternalError extends RtcError {
  readonly kind = 'internal' as const;
  override readonly name = 'InternalError';
}

export function isRtcError(e: unknown): e is RtcError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export function isUsageError(e: unknown): e is UsageError {
  return isRtcError(e) && e.kind === 'usage';
}

export function isProtocolError(e: unknown): e is ProtocolError {
  return isRtcError(e) && e.kind === 'protocol';
}

export function isParseError(e: unknown): e is ParseError {
  return isProtocolError(e) && typeof (e as ParseError).offset === 'number';
}
