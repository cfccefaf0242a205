/**
 * SDP and JSEP for WebRTC data channels. Pure functions, no I/O.
 *
 * - `parseSdp(text)` → `{ ok: true, value: DataChannelSdp }` or `{ ok: false, error: ParseError }`
 *   (codes `sdp.*`). Never throws on any input. `parseRawSdp` gives the line structure only.
 * - `buildOffer(session, media, mid?)` / `buildAnswer(session, remoteOffer, media)` → SDP text (CRLF).
 * - Roles: `answerSetup(offeredSetup)`, `roleFromLocalAnswerSetup`, `roleFromRemoteAnswerSetup`
 *   (`DtlsRole` 'client' = `a=setup:active` = even stream ids).
 * - ICE restart: `isIceRestart(prevRemoteIce, nextRemoteIce)`; `fingerprintsChanged(prev, next)`.
 * - Signaling: `SignalingMachine` over the single table `SIGNALING_TRANSITIONS`,
 *   `signalingAction('local'|'remote', type)`.
 *
 * Remote `a=max-message-size`: absent → 65536, 0 → `Number.POSITIVE_INFINITY`.
 * Candidates are handed over as `candidate:...` strings; the ICE layer parses them.
 */
export { parseRawSdp } from './parse.js';
export { parseSdp, attrValue } from './interpret.js';
export { buildOffer, buildAnswer } from './build.js';
export type { LocalMediaParams, SessionParams } from './build.js';
export { answerSetup, roleFromLocalAnswerSetup, roleFromRemoteAnswerSetup, isIceRestart, fingerprintsChanged } from './roles.js';
export type { DtlsRole } from './roles.js';
export { SignalingMachine, SIGNALING_TRANSITIONS, nextSignalingState, signalingAction } from './signaling.js';
export type { SignalingState, SignalingAction } from './signaling.js';
export { SDP_LIMITS, DEFAULT_REMOTE_MAX_MESSAGE_SIZE, DEFAULT_SCTP_PORT } from './types.js';
export type * from './types.js';
