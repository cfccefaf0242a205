/**
 * STUN attribute values as plain data: one typed value per known attribute (RFC 8489 §14, TURN
 * RFC 8656 §18, ICE RFC 8445 §16.1), unknown ones kept raw with their code.
 *
 *   { type: 'xorMappedAddress', value: { address: '192.0.2.1', port: 32853 } }
 *   { type: 'iceControlling', value: 0x932ff9b151263b36n }
 *   { type: 'unknown', code: 0xc057, value: Uint8Array }
 */
import type { Addr } from '../core/types.js';

/** ERROR-CODE (RFC 8489 §14.8): code 300..699 and a UTF-8 reason phrase. */
export interface ErrorCodeValue {
  readonly code: number;
  readonly reason: string;
}

/** PASSWORD-ALGORITHM entry (RFC 8489 §14.12/§14.11): 0x0001 = MD5, 0x0002 = SHA-256. */
export interface PasswordAlgorithmValue {
  readonly algorithm: number;
  readonly parameters: Uint8Array;
}

/** EVEN-PORT (RFC 8656 §18.6): R bit = also reserve the next higher port. */
export interface EvenPortValue {
  readonly reserveNext: boolean;
}

/** The value type of each known attribute, keyed by its camelCase name. */
export interface AttrValues {
  mappedAddress: Addr;
  xorMappedAddress: Addr;
  xorPeerAddress: Addr;
  xorRelayedAddress: Addr;
  alternateServer: Addr;
  username: string;
  userhash: Uint8Array;
  messageIntegrity: Uint8Array;
  messageIntegritySha256: Uint8Array;
  fingerprint: number;
  errorCode: ErrorCodeValue;
  unknownAttributes: readonly number[];
  realm: string;
  nonce: string;
  software: string;
  passwordAlgorithm: PasswordAlgorithmValue;
  passwordAlgorithms: readonly PasswordAlgorithmValue[];
  priority: number;
  useCandidate: true;
  iceControlled: bigint;
  iceControlling: bigint;
  channelNumber: number;
  lifetime: number;
  data: Uint8Array;
  requestedTransport: number;
  requestedAddressFamily: 'ipv4' | 'ipv6';
  additionalAddressFamily: 'ipv4' | 'ipv6';
  evenPort: EvenPortValue;
  dontFragment: true;
  reservationToken: Uint8Array;
  /** META-DTLS-IN-STUN (SPED): one DTLS packet, raw (src/ice/sped.ts checks it). */
  metaDtlsInStun: Uint8Array;
  /** META-DTLS-IN-STUN-ACKNOWLEDGEMENT (SPED): CRC-32s, raw (src/ice/sped.ts reads them). */
  metaDtlsInStunAck: Uint8Array;
}

export type AttrName = keyof AttrValues;

/** A decoded known attribute. */
export type KnownAttribute = { [K in AttrName]: { readonly type: K; readonly value: AttrValues[K] } }[AttrName];

/** An attribute this codec does not know, kept raw (a view into the input). */
export interface UnknownAttribute {
  readonly type: 'unknown';
  readonly code: number;
  readonly value: Uint8Array;
}

export type StunAttribute = KnownAttribute | UnknownAttribute;

/** Builds a typed attribute: `attr('priority', 1845501695)`. */
export function attr<K extends AttrName>(type: K, value: AttrValues[K]): StunAttribute {
  return { type, value } as StunAttribute;
}
