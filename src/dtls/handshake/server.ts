import { equalBytes } from '../../core/bytes/hex.js';
import {
  AlertDescription,
  ClientCertificateType,
  DTLS10,
  DTLS12,
  EMPTY_RENEGOTIATION_INFO_SCSV,
  ExtensionType,
  HandshakeType,
  NamedGroup,
  SrtpProfile,
  type NamedGroupId,
} from '../constants.js';
import { cipherSuite, type CipherSuite } from '../cipher/suites.js';
import {
  EC_POINT_FORMATS_UNCOMPRESSED,
  EMPTY_RENEGOTIATION_INFO,
  decodeU16List,
  decodeUseSrtp,
  encodeUseSrtp,
  findExtension,
  type Extension,
} from '../extensions.js';
import { HandshakeAbort, type HandshakeContext, type HandshakeHost } from './context.js';
import {
  CCS,
  OUR_GROUPS,
  OUR_SCHEMES,
  certificateBody,
  chooseScheme,
  finishedBody,
  outgoing,
  receiveCertificate,
  skeSignedData,
  verifyCertificateVerify,
  verifyFinished,
} from './common.js';
import { decodeClientHello, type ClientHello } from './messages/client-hello.js';
import { encodeHelloVerifyRequest } from './messages/hello-verify-request.js';
import { encodeServerHello } from './messages/server-hello.js';
import { encodeServerKeyExchange } from './messages/server-key-exchange.js';
import { encodeCertificateRequest } from './messages/certificate-request.js';
import { decodeClientKeyExchange } from './messages/key-exchange.js';

/**
 * The server's side (RFC 6347 §4.2.4 flights 2, 4, 6): optional cookie exchange, then ServerHello,
 * Certificate, ServerKeyExchange, CertificateRequest (always: browsers authenticate both ends,
 * RFC 8827 §6.5), ServerHelloDone; after the client's flight, ChangeCipherSpec + Finished.
 * A DTLS 1.3-capable ClientHello (supported_versions, key_share, ...) is answered with 1.2 by
 * reading client_version and ignoring the extensions we do not know (protocol.md §1.5).
 */

/** Our CertificateRequest: the same for every handshake, encoded once. */
const CERTIFICATE_REQUEST = encodeCertificateRequest({ certificateTypes: [ClientCertificateType.ecdsaSign, ClientCertificateType.rsaSign], signatureSchemes: OUR_SCHEMES, authorities: [] });

function pickSuite(host: HandshakeHost, offered: readonly number[]): CipherSuite {
  const kind = host.certificate.privateKey.kind;
  const ours = host.cipherSuites;
  for (let i = 0; i < ours.length; i++) {
    const id = ours[i] as number;
    const s = cipherSuite(id);
    if (s !== undefined && s.auth === kind && offered.includes(id)) return s;
  }
  throw new HandshakeAbort(AlertDescription.handshakeFailure, 'dtls.cipher-suite.none', `no common cipher suite (client offered ${offered.map((x) => x.toString(16)).join(',')})`);
}

function listExt(ch: ClientHello, type: number, fallback: readonly number[]): readonly number[] {
  const e = findExtension(ch.extensions, type);
  return e === undefined ? fallback : decodeU16List(e.data);
}

function pickGroup(ch: ClientHello): NamedGroupId {
  // RFC 8422 §4: without supported_groups any curve may be used; P-256 is the safe one.
  const offered = listExt(ch, ExtensionType.supportedGroups, [NamedGroup.secp256r1]);
  const g = OUR_GROUPS.find((x) => offered.includes(x));
  if (g === undefined) throw new HandshakeAbort(AlertDescription.handshakeFailure, 'dtls.ecdhe.no-group', 'no common ECDHE group (we support x25519 and secp256r1)');
  return g;
}

function cookieFor(host: HandshakeHost, ch: ClientHello): Uint8Array {
  return host.crypto.hmac('sha256', host.cookieSecret, ch.random, ch.sessionId).subarray(0, 20);
}

function serverExtensions(ctx: HandshakeContext, ch: ClientHello): Extension[] {
  const exts: Extension[] = [];
  const renegotiation =
    findExtension(ch.extensions, ExtensionType.renegotiationInfo) !== undefined || ch.cipherSuites.includes(EMPTY_RENEGOTIATION_INFO_SCSV);
  if (renegotiation) exts.push({ type: ExtensionType.renegotiationInfo, data: EMPTY_RENEGOTIATION_INFO }); // RFC 5746 §3.6
  if (ctx.extendedMasterSecret) exts.push({ type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) }); // RFC 7627 §5.1
  if (findExtension(ch.extensions, ExtensionType.ecPointFormats) !== undefined) exts.push({ type: ExtensionType.ecPointFormats, data: EC_POINT_FORMATS_UNCOMPRESSED });
  if (ctx.srtpProfile !== undefined) exts.push({ type: ExtensionType.useSrtp, data: encodeUseSrtp([ctx.srtpProfile]) });
  return exts;
}

function negotiate(host: HandshakeHost, ctx: HandshakeContext, ch: ClientHello): void {
  // RFC 6347 §4.1: DTLS versions count down; 0xFEFF (1.0) alone is too old, 0xFEFD or "newer" gets 1.2.
  if (ch.clientVersion > DTLS12 || ch.clientVersion < 0xfe00) {
    throw new HandshakeAbort(AlertDescription.protocolVersion, 'dtls.version', `client offers version 0x${ch.clientVersion.toString(16)} (DTLS 1.0 is not supported)`);
  }
  if (!ch.compressionMethods.includes(0)) throw new HandshakeAbort(AlertDescription.illegalParameter, 'dtls.compression', 'null compression not offered');
  ctx.suite = pickSuite(host, ch.cipherSuites);
  ctx.group = pickGroup(ch);
  ctx.peerSchemes = listExt(ch, ExtensionType.signatureAlgorithms, OUR_SCHEMES);
  ctx.extendedMasterSecret = findExtension(ch.extensions, ExtensionType.extendedMasterSecret) !== undefined;
  const srtp = findExtension(ch.extensions, ExtensionType.useSrtp);
  if (srtp !== undefined) {
    const offered = decodeUseSrtp(srtp.data);
    ctx.srtpProfile = [SrtpProfile.aeadAes128Gcm, SrtpProfile.aes128CmHmacSha1_80].find((p) => offered.includes(p));
  }
}

/**
 * Flight 2 or 4. Returns 'cookie' when a HelloVerifyRequest was sent instead (stateless, RFC 6347
 * §4.2.1: the HVR carries the ClientHello's message_seq and is not part of the transcript).
 */
export function onClientHello(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): 'cookie' | 'flight' {
  const ch = decodeClientHello(body);
  if (host.cookieExchange && !equalBytes(ch.cookie, cookieFor(host, ch))) {
    const hvr = encodeHelloVerifyRequest({ serverVersion: DTLS10, cookie: cookieFor(host, ch) });
    host.sendFlight([{ kind: 'handshake', epoch: 0, msgType: HandshakeType.helloVerifyRequest, messageSeq: seq, body: hvr }], false);
    return 'cookie';
  }
  negotiate(host, ctx, ch);
  ctx.clientRandom = ch.random.slice();
  ctx.serverRandom = host.rng.bytes(32);
  ctx.sendSeq = seq; // RFC 6347 §4.2.2: the server's first message_seq follows the ClientHello's.
  ctx.transcript.add(HandshakeType.clientHello, seq, body);
  const share = host.crypto.generateKeyShare(ctx.group as NamedGroupId);
  ctx.keyShare = share;
  const suite = ctx.requireSuite();
  const sh = encodeServerHello({ serverVersion: DTLS12, random: ctx.serverRandom, sessionId: new Uint8Array(0), cipherSuite: suite.id, compressionMethod: 0, extensions: serverExtensions(ctx, ch) });
  const scheme = chooseScheme(host.certificate.privateKey.kind, ctx.peerSchemes);
  const signature = host.crypto.sign(host.certificate.privateKey, scheme, skeSignedData(ctx, share.group, share.publicKey));
  host.sendFlight(
    [
      outgoing(ctx, 0, HandshakeType.serverHello, sh),
      outgoing(ctx, 0, HandshakeType.certificate, certificateBody(host)),
      outgoing(ctx, 0, HandshakeType.serverKeyExchange, encodeServerKeyExchange({ namedGroup: share.group, publicKey: share.publicKey, scheme, signature })),
      outgoing(ctx, 0, HandshakeType.certificateRequest, CERTIFICATE_REQUEST),
      outgoing(ctx, 0, HandshakeType.serverHelloDone, new Uint8Array(0)),
    ],
    true,
  );
  return 'flight';
}

export function onClientCertificate(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  receiveCertificate(host, ctx, body, true);
  ctx.transcript.add(HandshakeType.certificate, seq, body);
}

export function onClientKeyExchange(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  const point = decodeClientKeyExchange(body);
  const share = ctx.keyShare;
  if (share === undefined) throw new HandshakeAbort(AlertDescription.internalError, 'dtls.internal', 'no key share');
  const secret = host.crypto.deriveSharedSecret(share, point);
  if (secret === undefined) throw new HandshakeAbort(AlertDescription.illegalParameter, 'dtls.ecdhe.point', 'invalid ECDHE public key');
  ctx.preMaster = secret;
  ctx.transcript.add(HandshakeType.clientKeyExchange, seq, body);
  ctx.deriveMaster(host.crypto);
  host.installKeys(ctx);
}

export function onClientCertificateVerify(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  verifyCertificateVerify(host, ctx, body);
  ctx.transcript.add(HandshakeType.certificateVerify, seq, body);
}

/** Client Finished: flight 6 (our last; kept to answer retransmissions, RFC 6347 §4.2.4). */
export function onClientFinished(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  verifyFinished(host, ctx, body, 'client');
  ctx.transcript.add(HandshakeType.finished, seq, body);
  host.sendFlight([CCS(0), outgoing(ctx, 1, HandshakeType.finished, finishedBody(host, ctx, 'server'))], false);
  host.completed(ctx);
}
