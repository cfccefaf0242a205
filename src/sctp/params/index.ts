import type { Writer } from '../../core/bytes/writer.js';
import { isParseError } from '../../core/errors.js';
import { decodeForwardTsnSupported, encodeForwardTsnSupported, type ForwardTsnSupportedParam } from './forward-tsn-supported.js';
import { decodeHeartbeatInfo, encodeHeartbeatInfo, type HeartbeatInfoParam } from './heartbeat-info.js';
import { decodeIncomingReset, encodeIncomingReset, type IncomingResetParam } from './incoming-reset.js';
import { decodeOutgoingReset, encodeOutgoingReset, type OutgoingResetParam } from './outgoing-reset.js';
import { decodeReconfigResponse, encodeReconfigResponse, type ReconfigResponseParam } from './reconfig-response.js';
import { decodeStateCookie, encodeStateCookie, type StateCookieParam } from './state-cookie.js';
import { decodeSupportedExtensions, encodeSupportedExtensions, type SupportedExtensionsParam } from './supported-extensions.js';
import { decodeTlvs, writeTlv, type RawTlv } from './tlv.js';
import { PARAM, unknownAction } from './types.js';
import { decodeUnrecognized, encodeUnrecognized, type UnrecognizedParam } from './unrecognized.js';
import { decodeZeroChecksum, encodeZeroChecksum, type ZeroChecksumParam } from './zero-checksum.js';

export { PARAM, unknownAction, type UnknownAction } from './types.js';
export type { RawTlv } from './tlv.js';

/** A recognised parameter we do not act on (addresses, AUTH's RANDOM/HMAC-ALGO/CHUNKS from usrsctp...). */
export interface IgnoredParam {
  readonly kind: 'ignored';
  readonly type: number;
  readonly value: Uint8Array;
}

/** Every parameter this stack decodes, as a discriminated union on `kind`. */
export type Param =
  | HeartbeatInfoParam | StateCookieParam | UnrecognizedParam | OutgoingResetParam | IncomingResetParam
  | ReconfigResponseParam | ZeroChecksumParam | SupportedExtensionsParam | ForwardTsnSupportedParam | IgnoredParam;

type Decoder = (value: Uint8Array) => Param;

/** The parameter registry: type code to decoder. */
const DECODERS = new Map<number, Decoder>([
  [PARAM.heartbeatInfo, decodeHeartbeatInfo],
  [PARAM.stateCookie, decodeStateCookie],
  [PARAM.unrecognized, decodeUnrecognized],
  [PARAM.outgoingReset, decodeOutgoingReset],
  [PARAM.incomingReset, decodeIncomingReset],
  [PARAM.reconfigResponse, decodeReconfigResponse],
  [PARAM.zeroChecksum, decodeZeroChecksum],
  [PARAM.supportedExtensions, decodeSupportedExtensions],
  [PARAM.forwardTsnSupported, decodeForwardTsnSupported],
]);

const IGNORED: ReadonlySet<number> = new Set([
  PARAM.ipv4, PARAM.ipv6, PARAM.cookiePreservative, PARAM.hostName, PARAM.supportedAddressTypes, PARAM.ssnTsnReset,
  PARAM.addOutgoingStreams, PARAM.addIncomingStreams, PARAM.ecnCapable, PARAM.random, PARAM.chunkList, PARAM.hmacAlgo,
  PARAM.padding, PARAM.adaptationLayer,
]);

/** Decodes one TLV; known types with a malformed value throw ParseError; unknown ones return undefined. */
export function decodeParam(tlv: RawTlv): Param | undefined {
  const dec = DECODERS.get(tlv.type);
  if (dec) return dec(tlv.value);
  if (IGNORED.has(tlv.type)) return { kind: 'ignored', type: tlv.type, value: tlv.value };
  return undefined;
}

/** Result of reading a parameter list with the unknown-type rules applied. */
export interface ParamList {
  readonly params: Param[];
  /** Whole unrecognised TLVs (header included) whose type asks for a report. */
  readonly unrecognized: Uint8Array[];
}

/**
 * Decodes the parameters in `buf[start, end)` applying RFC 9260 §3.2.1 to unknown types:
 * 00 stop, 01 stop and report, 10 skip, 11 skip and report. Throws ParseError on bad framing.
 */
export function decodeParamList(buf: Uint8Array, start: number, end: number): ParamList {
  const params: Param[] = [];
  const unrecognized: Uint8Array[] = [];
  const tlvs = decodeTlvs(buf, start, end, 'sctp.param');
  for (let i = 0; i < tlvs.length; i++) {
    const tlv = tlvs[i] as RawTlv;
    const p = decodeParam(tlv);
    if (p) {
      params.push(p);
      continue;
    }
    const action = unknownAction(tlv.type);
    const off = tlv.value.byteOffset - buf.byteOffset - 4;
    if (action === 'stop-report' || action === 'skip-report') unrecognized.push(buf.subarray(off, off + 4 + tlv.value.length));
    if (action === 'stop' || action === 'stop-report') break;
  }
  return { params, unrecognized };
}

/** Like decodeParamList but drops malformed known parameters instead of failing (for lenient callers). */
export function tryDecodeParamList(buf: Uint8Array, start: number, end: number): ParamList | undefined {
  try {
    return decodeParamList(buf, start, end);
  } catch (e) {
    if (isParseError(e)) return undefined;
    throw e;
  }
}

/** Writes one parameter, padded. */
export function encodeParam(w: Writer, p: Param): void {
  switch (p.kind) {
    case 'heartbeat-info': return encodeHeartbeatInfo(w, p);
    case 'state-cookie': return encodeStateCookie(w, p);
    case 'unrecognized': return encodeUnrecognized(w, p);
    case 'outgoing-reset': return encodeOutgoingReset(w, p);
    case 'incoming-reset': return encodeIncomingReset(w, p);
    case 'reconfig-response': return encodeReconfigResponse(w, p);
    case 'zero-checksum': return encodeZeroChecksum(w, p);
    case 'supported-extensions': return encodeSupportedExtensions(w, p);
    case 'forward-tsn-supported': return encodeForwardTsnSupported(w);
    case 'ignored': return writeTlv(w, p.type, p.value);
  }
}

export type {
  ForwardTsnSupportedParam, HeartbeatInfoParam, IncomingResetParam, OutgoingResetParam, ReconfigResponseParam,
  StateCookieParam, SupportedExtensionsParam, UnrecognizedParam, ZeroChecksumParam,
};
export { RECONFIG_RESULT } from './reconfig-response.js';
export { EDMID_DTLS } from './zero-checksum.js';
