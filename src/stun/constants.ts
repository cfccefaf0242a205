/**
 * STUN numbers (RFC 8489 §5, §18; TURN RFC 8656 §18; ICE RFC 8445 §16.1, §20.1).
 */

/** RFC 8489 §5: fixed value in bytes 4..7 of every STUN message. */
export const MAGIC_COOKIE = 0x2112a442;
/** RFC 8489 §14.7: FINGERPRINT = CRC-32 of the message XOR this constant ("STUN"). */
export const FINGERPRINT_XOR = 0x5354554e;
/** RFC 8489 §5: header size in bytes. */
export const HEADER_SIZE = 20;
/** RFC 8489 §5: transaction id size in bytes. */
export const TRANSACTION_ID_SIZE = 12;

/** Methods (RFC 8489 §18.2, RFC 8656 §17). */
export const StunMethod = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;

/** Message classes (RFC 8489 §5: the C1 C0 bits). */
export type StunClass = 'request' | 'indication' | 'success' | 'error';

/** Attribute type codes (RFC 8489 §18.3, RFC 8656 §18, RFC 8445 §16.1). */
export const AttrCode = {
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  Realm: 0x0014,
  Nonce: 0x0015,
  XorRelayedAddress: 0x0016,
  RequestedAddressFamily: 0x0017,
  EvenPort: 0x0018,
  RequestedTransport: 0x0019,
  DontFragment: 0x001a,
  MessageIntegritySha256: 0x001c,
  PasswordAlgorithm: 0x001d,
  Userhash: 0x001e,
  XorMappedAddress: 0x0020,
  ReservationToken: 0x0022,
  Priority: 0x0024,
  UseCandidate: 0x0025,
  AdditionalAddressFamily: 0x8000,
  PasswordAlgorithms: 0x8002,
  Software: 0x8022,
  AlternateServer: 0x8023,
  Fingerprint: 0x8028,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
  // draft-hancke-webrtc-sped (provisional codes, as libwebrtc): DTLS embedded in ICE checks.
  MetaDtlsInStun: 0xc070,
  MetaDtlsInStunAck: 0xc071,
} as const;

/** RFC 8489 §15: attribute types below 0x8000 are comprehension-required. */
export function isComprehensionRequired(code: number): boolean {
  return code < 0x8000;
}

/** Reason phrases for the error codes ICE and TURN use (RFC 8489 §14.8, RFC 8656 §19, RFC 8445 §7.3.1.1). */
export const ERROR_REASONS: Readonly<Record<number, string>> = {
  300: 'Try Alternate',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  405: 'Mobility Forbidden',
  420: 'Unknown Attribute',
  437: 'Allocation Mismatch',
  438: 'Stale Nonce',
  440: 'Address Family not Supported',
  441: 'Wrong Credentials',
  442: 'Unsupported Transport Protocol',
  443: 'Peer Address Family Mismatch',
  486: 'Allocation Quota Reached',
  487: 'Role Conflict',
  500: 'Server Error',
  508: 'Insufficient Capacity',
};
