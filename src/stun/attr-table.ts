/**
 * The table-driven attribute codec: one row per known attribute with its code, a decoder over a
 * Reader bounded to the value, and an encoder. decodeStun() checks that a decoder consumed the whole
 * value, so rows with fixed sizes need no length checks of their own. Padding to 4 bytes is the
 * message codec's job (RFC 8489 §14).
 */
import { fromUtf8, fromUtf8Strict, utf8 } from '../core/bytes/hex.js';
import type { Reader } from '../core/bytes/reader.js';
import type { Writer } from '../core/bytes/writer.js';
import { UsageError } from '../core/errors.js';
import { decodeAddress, encodeAddress } from './address.js';
import type { AttrName, AttrValues, ErrorCodeValue, PasswordAlgorithmValue } from './attributes.js';
import { AttrCode } from './constants.js';

/** What XOR attributes need from the enclosing message. */
export interface AttrContext {
  readonly transactionId: Uint8Array;
}

export interface AttrRow<V> {
  readonly code: number;
  decode(r: Reader, ctx: AttrContext): V;
  encode(w: Writer, v: V, ctx: AttrContext): void;
}

/** UTF-8 text of at most `max` bytes (RFC 8489 §14.3 USERNAME < 513, §14.9 REALM < 763 ...). */
function decodeText(r: Reader, code: number, max: number, strict: boolean): string {
  if (r.remaining > max) r.fail('attr.too-long', `attribute 0x${code.toString(16)} longer than ${max} bytes`);
  const b = r.rest();
  const s = strict ? fromUtf8Strict(b) : fromUtf8(b);
  return s ?? r.fail('attr.utf8', `attribute 0x${code.toString(16)} is not UTF-8`);
}

function text(code: number, max: number, strict: boolean): AttrRow<string> {
  return {
    code,
    decode: (r) => decodeText(r, code, max, strict),
    encode(w, v) {
      const b = utf8(v);
      if (b.length > max) throw new UsageError('stun.attr.too-long', `attribute 0x${code.toString(16)} longer than ${max} bytes`);
      w.bytes(b);
    },
  };
}

function address(code: number, xor: boolean): AttrRow<AttrValues['xorMappedAddress']> {
  return {
    code,
    decode: (r, ctx) => decodeAddress(r, xor ? ctx.transactionId : undefined),
    encode: (w, v, ctx) => encodeAddress(w, v, xor ? ctx.transactionId : undefined),
  };
}

function fixedBytes(code: number, min: number, max = min, step = 1): AttrRow<Uint8Array> {
  return {
    code,
    decode(r) {
      if (r.remaining < min || r.remaining > max || r.remaining % step !== 0) r.fail('attr.length', `attribute 0x${code.toString(16)} has ${r.remaining} bytes`);
      return r.rest();
    },
    encode(w, v) {
      if (v.length < min || v.length > max || v.length % step !== 0) throw new UsageError('stun.attr.length', `attribute 0x${code.toString(16)} needs ${min}..${max} bytes`);
      w.bytes(v);
    },
  };
}

function u32(code: number): AttrRow<number> {
  return { code, decode: (r) => r.u32(), encode: (w, v) => void w.u32(v) };
}

function u64(code: number): AttrRow<bigint> {
  return { code, decode: (r) => r.u64(), encode: (w, v) => void w.u64(v) };
}

function flag(code: number): AttrRow<true> {
  return { code, decode: () => true, encode: () => undefined };
}

/** REQUESTED-ADDRESS-FAMILY / ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.8, §18.9): family byte + 3 RFFU. */
function family(code: number): AttrRow<'ipv4' | 'ipv6'> {
  return {
    code,
    decode(r) {
      const f = r.u8();
      r.skip(3);
      if (f === 0x01) return 'ipv4';
      if (f === 0x02) return 'ipv6';
      return r.fail('attr.family', `unknown address family ${f}`);
    },
    encode: (w, v) => void w.u8(v === 'ipv4' ? 0x01 : 0x02).zeros(3),
  };
}

/** ERROR-CODE (RFC 8489 §14.8): 21 reserved bits, Class (3 bits), Number (8 bits), reason (< 763 bytes). */
const errorCode: AttrRow<ErrorCodeValue> = {
  code: AttrCode.ErrorCode,
  decode(r) {
    const head = r.u32();
    const reason = decodeText(r, AttrCode.ErrorCode, 763, false);
    return { code: ((head >>> 8) & 0x7) * 100 + (head & 0xff), reason };
  },
  encode(w, v) {
    if (!Number.isInteger(v.code) || v.code < 300 || v.code > 699) throw new UsageError('stun.error-code', `bad error code ${v.code}`);
    w.u32((Math.floor(v.code / 100) << 8) | v.code % 100).bytes(utf8(v.reason));
  },
};

/** PASSWORD-ALGORITHM (RFC 8489 §14.12): Algorithm (16) | Parameters Length (16) | Parameters, padded. */
function decodePasswordAlgorithm(r: Reader): PasswordAlgorithmValue {
  const algorithm = r.u16();
  const n = r.u16();
  const parameters = r.bytes(n);
  r.skip((4 - (n % 4)) % 4);
  return { algorithm, parameters };
}

function encodePasswordAlgorithm(w: Writer, v: PasswordAlgorithmValue): void {
  w.u16(v.algorithm).u16(v.parameters.length).bytes(v.parameters).zeros((4 - (v.parameters.length % 4)) % 4);
}

/** Every known attribute, one row each. */
export const ATTRIBUTE_TABLE: { readonly [K in AttrName]: AttrRow<AttrValues[K]> } = {
  mappedAddress: address(AttrCode.MappedAddress, false),
  xorMappedAddress: address(AttrCode.XorMappedAddress, true),
  xorPeerAddress: address(AttrCode.XorPeerAddress, true),
  xorRelayedAddress: address(AttrCode.XorRelayedAddress, true),
  alternateServer: address(AttrCode.AlternateServer, false),
  username: text(AttrCode.Username, 512, true),
  userhash: fixedBytes(AttrCode.Userhash, 32),
  messageIntegrity: fixedBytes(AttrCode.MessageIntegrity, 20),
  // RFC 8489 §14.6: 16 to 32 bytes, a multiple of 4.
  messageIntegritySha256: fixedBytes(AttrCode.MessageIntegritySha256, 16, 32, 4),
  fingerprint: u32(AttrCode.Fingerprint),
  errorCode,
  unknownAttributes: {
    code: AttrCode.UnknownAttributes,
    decode(r) {
      const out: number[] = [];
      while (r.remaining >= 2) out.push(r.u16());
      return out;
    },
    encode: (w, v) => v.forEach((c) => w.u16(c)),
  },
  realm: text(AttrCode.Realm, 763, true),
  nonce: text(AttrCode.Nonce, 763, true),
  software: text(AttrCode.Software, 763, false),
  passwordAlgorithm: { code: AttrCode.PasswordAlgorithm, decode: decodePasswordAlgorithm, encode: encodePasswordAlgorithm },
  passwordAlgorithms: {
    code: AttrCode.PasswordAlgorithms,
    decode(r) {
      const out: PasswordAlgorithmValue[] = [];
      while (r.remaining > 0) out.push(decodePasswordAlgorithm(r));
      return out;
    },
    encode: (w, v) => v.forEach((a) => encodePasswordAlgorithm(w, a)),
  },
  priority: u32(AttrCode.Priority),
  useCandidate: flag(AttrCode.UseCandidate),
  iceControlled: u64(AttrCode.IceControlled),
  iceControlling: u64(AttrCode.IceControlling),
  // RFC 8656 §18.1: Channel Number (16) | RFFU (16).
  channelNumber: { code: AttrCode.ChannelNumber, decode: (r) => (r.u16() + (r.skip(2), 0)), encode: (w, v) => void w.u16(v).u16(0) },
  lifetime: u32(AttrCode.Lifetime),
  data: { code: AttrCode.Data, decode: (r) => r.rest(), encode: (w, v) => void w.bytes(v) },
  // RFC 8656 §18.7: Protocol (8) | RFFU (24); 17 = UDP.
  requestedTransport: { code: AttrCode.RequestedTransport, decode: (r) => (r.u8() + (r.skip(3), 0)), encode: (w, v) => void w.u8(v).zeros(3) },
  requestedAddressFamily: family(AttrCode.RequestedAddressFamily),
  additionalAddressFamily: family(AttrCode.AdditionalAddressFamily),
  // RFC 8656 §18.6: one byte, R bit first.
  evenPort: { code: AttrCode.EvenPort, decode: (r) => ({ reserveNext: (r.u8() & 0x80) !== 0 }), encode: (w, v) => void w.u8(v.reserveNext ? 0x80 : 0) },
  dontFragment: flag(AttrCode.DontFragment),
  reservationToken: fixedBytes(AttrCode.ReservationToken, 8),
  // SPED: comprehension-optional, so their values are kept raw and judged by src/ice/sped.ts (a
  // malformed one is discarded there, not the whole check).
  metaDtlsInStun: { code: AttrCode.MetaDtlsInStun, decode: (r) => r.rest(), encode: (w, v) => void w.bytes(v) },
  metaDtlsInStunAck: { code: AttrCode.MetaDtlsInStunAck, decode: (r) => r.rest(), encode: (w, v) => void w.bytes(v) },
};

/** Attribute name by code, derived from the table. */
export const ATTRIBUTE_BY_CODE: ReadonlyMap<number, AttrName> = new Map(
  (Object.keys(ATTRIBUTE_TABLE) as AttrName[]).map((name) => [ATTRIBUTE_TABLE[name].code, name]),
);
