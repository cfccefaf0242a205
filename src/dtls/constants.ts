/**
 * DTLS 1.2 registry values used by rtcpeer (RFC 5246 §A, RFC 6347 §4.2.2/§4.3, RFC 8422, RFC 8446 §4.2.3
 * for the signature scheme numbers shared with TLS 1.2, RFC 5764, RFC 7627, RFC 5746).
 */

/** Record-layer version of DTLS 1.2 (RFC 6347 §4.1: one's complement of 1.2 = 254.253). */
export const DTLS12 = 0xfefd;
/** DTLS 1.0, accepted on the record carrying a ClientHello (RFC 6347 §4.1). */
export const DTLS10 = 0xfeff;

/** RFC 5246 §6.2.1 ContentType. */
export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
} as const;

/** RFC 5246 §7.4 / RFC 6347 §4.3.2 HandshakeType. */
export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  helloVerifyRequest: 3,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
} as const;

/** RFC 5246 §7.2 AlertDescription (the ones we send or name). */
export const AlertDescription = {
  closeNotify: 0,
  unexpectedMessage: 10,
  badRecordMac: 20,
  handshakeFailure: 40,
  badCertificate: 42,
  unsupportedCertificate: 43,
  illegalParameter: 47,
  decodeError: 50,
  decryptError: 51,
  protocolVersion: 70,
  insufficientSecurity: 71,
  internalError: 80,
  noRenegotiation: 100,
} as const;

/** RFC 5246 §7.2 AlertLevel. */
export const AlertLevel = { warning: 1, fatal: 2 } as const;

/** Extension numbers (IANA TLS ExtensionType registry). */
export const ExtensionType = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  useSrtp: 14,
  extendedMasterSecret: 23,
  renegotiationInfo: 0xff01,
} as const;

/** Named groups we implement (RFC 8422 §5.1.1, RFC 7748). */
export const NamedGroup = { secp256r1: 23, x25519: 29 } as const;
export type NamedGroupId = (typeof NamedGroup)[keyof typeof NamedGroup];

/** Signature schemes we implement (RFC 8446 §4.2.3 numbering, valid in TLS 1.2 per RFC 8422 / RFC 8446 §1.3). */
export const SignatureScheme = {
  ecdsaSecp256r1Sha256: 0x0403,
  rsaPkcs1Sha256: 0x0401,
  rsaPssRsaeSha256: 0x0804,
} as const;
export type SignatureSchemeId = (typeof SignatureScheme)[keyof typeof SignatureScheme];

/** RFC 5246 §7.4.4 ClientCertificateType. */
export const ClientCertificateType = { rsaSign: 1, ecdsaSign: 64 } as const;

/** RFC 5764 §4.1.2 SRTP protection profiles we offer (no keys are ever exported). */
export const SrtpProfile = { aeadAes128Gcm: 0x0007, aes128CmHmacSha1_80: 0x0001 } as const;

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3). */
export const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;

/** Largest record plaintext (RFC 5246 §6.2.1: 2^14). */
export const MAX_PLAINTEXT = 16384;

/**
 * Largest application_data plaintext rtcpeer declares in SDP (`a=x-dtls-record-limit`,
 * src/sdp/types.ts) and sends to a peer that declares at least as much: what one datagram on the
 * loopback interface (MTU 65536) carries with IPv6 too (65,451 after the headers), rounded down.
 * SCTP packets grow to it only on a loopback path (src/stack/layers.ts), where a 64 MiB transfer then
 * takes a quarter of the seals, opens and socket calls, and a 16 KiB message mostly travels whole (one
 * DATA chunk, delivered as a view of its record: no join, no 16 KiB allocation per message). Our record
 * layer reads any record that fits a datagram; other stacks get at most MAX_PLAINTEXT (issue 6).
 */
export const EXTENDED_MAX_PLAINTEXT = 65000;

/** Largest plaintext a record can carry at all: a UDP datagram (65507) less the header (13) and AEAD (24). */
export const RECORD_PLAINTEXT_CEILING = 65507 - 13 - 24;
