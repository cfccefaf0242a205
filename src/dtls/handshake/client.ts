import { AlertDescription, DTLS12, ExtensionType, HandshakeType, SrtpProfile, type NamedGroupId } from '../constants.js';
import { cipherSuite } from '../cipher/suites.js';
import {
  EC_POINT_FORMATS_UNCOMPRESSED,
  EMPTY_RENEGOTIATION_INFO,
  decodeUseSrtp,
  encodeU16List,
  encodeUseSrtp,
  findExtension,
  type Extension,
} from '../extensions.js';
import { HandshakeAbort, type HandshakeContext, type HandshakeHost } from './context.js';
import {
  CCS,
  OUR_GROUPS,
  OUR_SCHEMES,
  acceptScheme,
  agree,
  certificateBody,
  certificateVerifyBody,
  finishedBody,
  outgoing,
  receiveCertificate,
  skeSignedData,
  verifyFinished,
} from './common.js';
import { encodeClientHello } from './messages/client-hello.js';
import { decodeHelloVerifyRequest } from './messages/hello-verify-request.js';
import { decodeServerHello } from './messages/server-hello.js';
import { decodeServerKeyExchange } from './messages/server-key-exchange.js';
import { decodeCertificateRequest } from './messages/certificate-request.js';
import { decodeServerHelloDone, encodeClientKeyExchange } from './messages/key-exchange.js';

/**
 * The client's side of the full handshake (RFC 6347 §4.2.4 flights 1, 3, 5; RFC 5246 §7.3):
 *   C1 ClientHello → (S2 HelloVerifyRequest → C3 ClientHello+cookie) → S4 ServerHello, Certificate,
 *   ServerKeyExchange, [CertificateRequest], ServerHelloDone → C5 [Certificate], ClientKeyExchange,
 *   [CertificateVerify], ChangeCipherSpec, Finished → S6 ChangeCipherSpec, Finished.
 */

/** Our ClientHello extensions: the same for every handshake, encoded once. */
const CLIENT_EXTENSIONS: readonly Extension[] = [
  { type: ExtensionType.supportedGroups, data: encodeU16List(OUR_GROUPS) },
  { type: ExtensionType.ecPointFormats, data: EC_POINT_FORMATS_UNCOMPRESSED },
  { type: ExtensionType.signatureAlgorithms, data: encodeU16List(OUR_SCHEMES) },
  { type: ExtensionType.useSrtp, data: encodeUseSrtp([SrtpProfile.aeadAes128Gcm, SrtpProfile.aes128CmHmacSha1_80]) },
  { type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) },
  { type: ExtensionType.renegotiationInfo, data: EMPTY_RENEGOTIATION_INFO },
];

function clientExtensions(host: HandshakeHost): readonly Extension[] {
  return host.extraClientHelloExtensions.length === 0 ? CLIENT_EXTENSIONS : [...host.extraClientHelloExtensions, ...CLIENT_EXTENSIONS];
}

/** Flight 1 (and 3 with the cookie): the ClientHello. */
export function sendClientHello(host: HandshakeHost, ctx: HandshakeContext): void {
  ctx.transcript.clear();
  const body = encodeClientHello({
    clientVersion: DTLS12,
    random: ctx.clientRandom,
    sessionId: new Uint8Array(0),
    cookie: ctx.cookie,
    cipherSuites: host.cipherSuites,
    compressionMethods: [0],
    extensions: clientExtensions(host),
  });
  host.sendFlight([outgoing(ctx, 0, HandshakeType.clientHello, body)], true);
}

/** RFC 6347 §4.2.1: answer a HelloVerifyRequest with the same ClientHello plus the cookie. */
export function onHelloVerifyRequest(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array): void {
  const hvr = decodeHelloVerifyRequest(body);
  if (hvr.cookie.length === 0) throw new HandshakeAbort(AlertDescription.illegalParameter, 'dtls.hvr.cookie', 'empty cookie in HelloVerifyRequest');
  ctx.cookie = hvr.cookie.slice();
  sendClientHello(host, ctx);
}

export function onServerHello(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  const sh = decodeServerHello(body);
  if (sh.serverVersion !== DTLS12) throw new HandshakeAbort(AlertDescription.protocolVersion, 'dtls.version', `server chose version 0x${sh.serverVersion.toString(16)}, only DTLS 1.2 is supported`);
  const suite = cipherSuite(sh.cipherSuite);
  if (suite === undefined || !host.cipherSuites.includes(sh.cipherSuite) || sh.compressionMethod !== 0) {
    throw new HandshakeAbort(AlertDescription.illegalParameter, 'dtls.server-hello.params', `server chose suite 0x${sh.cipherSuite.toString(16)} / compression ${sh.compressionMethod} we did not offer`);
  }
  const reneg = findExtension(sh.extensions, ExtensionType.renegotiationInfo);
  if (reneg !== undefined && (reneg.data.length !== 1 || reneg.data[0] !== 0)) {
    throw new HandshakeAbort(AlertDescription.handshakeFailure, 'dtls.renegotiation-info', 'non-empty renegotiation_info in the initial handshake');
  }
  const srtp = findExtension(sh.extensions, ExtensionType.useSrtp);
  if (srtp !== undefined) ctx.srtpProfile = decodeUseSrtp(srtp.data)[0];
  ctx.suite = suite;
  ctx.serverRandom = sh.random.slice();
  ctx.extendedMasterSecret = findExtension(sh.extensions, ExtensionType.extendedMasterSecret) !== undefined;
  ctx.peerSchemes = OUR_SCHEMES;
  ctx.transcript.add(HandshakeType.serverHello, seq, body);
}

export function onServerCertificate(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  receiveCertificate(host, ctx, body, true);
  if (ctx.peerKey?.kind !== ctx.requireSuite().auth) {
    throw new HandshakeAbort(AlertDescription.unsupportedCertificate, 'dtls.certificate.kind', 'server certificate key does not match the cipher suite');
  }
  ctx.transcript.add(HandshakeType.certificate, seq, body);
}

export function onServerKeyExchange(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  const ske = decodeServerKeyExchange(body);
  if (!(OUR_GROUPS as readonly number[]).includes(ske.namedGroup)) {
    throw new HandshakeAbort(AlertDescription.illegalParameter, 'dtls.ecdhe.group', `server chose group ${ske.namedGroup} we did not offer`);
  }
  const scheme = acceptScheme(ctx, ske.scheme);
  const signed = skeSignedData(ctx, ske.namedGroup, ske.publicKey);
  if (ctx.peerKey === undefined || !host.crypto.verify(ctx.peerKey, scheme, signed, ske.signature)) {
    throw new HandshakeAbort(AlertDescription.decryptError, 'dtls.server-key-exchange.signature', 'ServerKeyExchange signature does not verify');
  }
  ctx.group = ske.namedGroup as NamedGroupId;
  agree(host, ctx, ctx.group, ske.publicKey);
  ctx.transcript.add(HandshakeType.serverKeyExchange, seq, body);
}

export function onCertificateRequest(_host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  const cr = decodeCertificateRequest(body);
  ctx.certificateRequested = true;
  ctx.peerSchemes = cr.signatureSchemes;
  ctx.transcript.add(HandshakeType.certificateRequest, seq, body);
}

/** ServerHelloDone: flight 5. */
export function onServerHelloDone(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  decodeServerHelloDone(body);
  ctx.transcript.add(HandshakeType.serverHelloDone, seq, body);
  const items = [];
  if (ctx.certificateRequested) items.push(outgoing(ctx, 0, HandshakeType.certificate, certificateBody(host)));
  if (ctx.keyShare === undefined) throw new HandshakeAbort(AlertDescription.unexpectedMessage, 'dtls.order', 'ServerHelloDone before ServerKeyExchange');
  items.push(outgoing(ctx, 0, HandshakeType.clientKeyExchange, encodeClientKeyExchange(ctx.keyShare.publicKey)));
  ctx.deriveMaster(host.crypto);
  if (ctx.certificateRequested) items.push(outgoing(ctx, 0, HandshakeType.certificateVerify, certificateVerifyBody(host, ctx)));
  host.installKeys(ctx);
  items.push(CCS(0));
  items.push(outgoing(ctx, 1, HandshakeType.finished, finishedBody(host, ctx, 'client')));
  host.sendFlight(items, true);
}

export function onServerFinished(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, seq: number): void {
  verifyFinished(host, ctx, body, 'server');
  ctx.transcript.add(HandshakeType.finished, seq, body);
  host.completed(ctx);
}
