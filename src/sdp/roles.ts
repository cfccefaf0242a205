/**
 * DTLS roles from `a=setup` (RFC 8842 §5, JSEP RFC 8829 §5.3.1, protocol.md 1.3) and ICE restart
 * detection (RFC 8839 §4.4.1.1.1: a restart changes ice-ufrag and ice-pwd).
 */
import { ParseError } from '../core/errors.js';
import type { Fingerprint, IceParameters, SetupRole } from './types.js';

/** The DTLS side we play; the client uses even SCTP stream ids (RFC 8832 §6). */
export type DtlsRole = 'client' | 'server';

/**
 * Our `a=setup` when answering an offer with `offered`: `actpass` → `active` (we become the DTLS
 * client and need not wait for a ClientHello), `active` → `passive`, `passive` → `active`.
 * `holdconn` cannot be answered and gives a typed error.
 */
export function answerSetup(offered: SetupRole): SetupRole | ParseError {
  switch (offered) {
    case 'actpass':
    case 'passive':
      return 'active';
    case 'active':
      return 'passive';
    case 'holdconn':
      return new ParseError('sdp.setup.holdconn', 'the offer says a=setup:holdconn: no DTLS connection possible', 0);
  }
}

/** Our DTLS role from OUR setup value in an answer (active = client, passive = server). */
export function roleFromLocalAnswerSetup(setup: SetupRole): DtlsRole {
  return setup === 'active' ? 'client' : 'server';
}

/**
 * Our DTLS role as offerer (we sent `actpass`) from the REMOTE answer's setup: `active` makes us
 * the server, `passive` the client; `actpass`/`holdconn` in an answer are errors (RFC 8842 §5.3).
 */
export function roleFromRemoteAnswerSetup(remote: SetupRole): DtlsRole | ParseError {
  if (remote === 'active') return 'server';
  if (remote === 'passive') return 'client';
  return new ParseError('sdp.setup.answer', `an answer must say a=setup:active or passive, not ${remote}`, 0);
}

/** True when `next` starts an ICE restart against the credentials in use (`prev`). */
export function isIceRestart(prev: IceParameters | undefined, next: IceParameters): boolean {
  return prev !== undefined && (prev.ufrag !== next.ufrag || prev.pwd !== next.pwd);
}

/** True when the remote certificate changed (a new DTLS association is needed, RFC 8842 §5.5). */
export function fingerprintsChanged(prev: readonly Fingerprint[], next: readonly Fingerprint[]): boolean {
  if (prev.length !== next.length) return true;
  return prev.some((f, i) => f.algorithm !== next[i]?.algorithm || f.value !== next[i]?.value);
}
