import { concatBytes, equalBytes } from '../../core/bytes/hex.js';
import { AlertDescription, HandshakeType, NamedGroup, SignatureScheme, type NamedGroupId, type SignatureSchemeId } from '../constants.js';
import { verifyData } from '../cipher/prf.js';
import type { KeyKind } from '../crypto.js';
import type { DtlsCertificate } from '../certificate.js';
import { HandshakeAbort, type FlightItem, type HandshakeContext, type HandshakeHost } from './context.js';
import { decodeCertificate, encodeCertificate } from './messages/certificate.js';
import { decodeCertificateVerify, decodeFinished, encodeCertificateVerify } from './messages/certificate-verify.js';
import { encodeEcdhParams } from './messages/server-key-exchange.js';
import { peerCertificateKey } from '../peer-keys.js';

/**
 * Groups we offer and accept, in preference order. P-256 first: node:crypto does it with an ECDH
 * object on raw points; X25519 needs KeyObjects crossing as JWK. Per side the shared secret costs
 * about 90 µs (P-256) against 45-75 µs (X25519), but an X25519 key pair costs more to make and its
 * KeyObject paths are where Node 20 has shown a deadlock (src/io/node-dtls-crypto.ts): not worth
 * 15-40 µs. The key pair is made ahead, off the path (prepareKeyShare). Both are what browsers and
 * OpenSSL 3 peers accept.
 */
export const OUR_GROUPS: readonly NamedGroupId[] = [NamedGroup.secp256r1, NamedGroup.x25519];
/** Signature schemes we offer and accept (no SHA-1: jitsi-videobridge#311). */
export const OUR_SCHEMES: readonly SignatureSchemeId[] = [SignatureScheme.ecdsaSecp256r1Sha256, SignatureScheme.rsaPssRsaeSha256, SignatureScheme.rsaPkcs1Sha256];

/** Appends an outgoing handshake message to the transcript and returns its flight item. */
export function outgoing(ctx: HandshakeContext, epoch: number, msgType: number, body: Uint8Array): FlightItem {
  const messageSeq = ctx.sendSeq++;
  ctx.transcript.add(msgType, messageSeq, body);
  return { kind: 'handshake', epoch, msgType, messageSeq, body };
}

/** The scheme to sign with for our key, given what the peer accepts (RFC 5246 §7.4.1.4.1). */
export function chooseScheme(kind: KeyKind, peerSchemes: readonly number[]): SignatureSchemeId {
  if (kind === 'ecdsa-p256') return SignatureScheme.ecdsaSecp256r1Sha256;
  if (peerSchemes.includes(SignatureScheme.rsaPkcs1Sha256) || !peerSchemes.includes(SignatureScheme.rsaPssRsaeSha256)) {
    return SignatureScheme.rsaPkcs1Sha256;
  }
  return SignatureScheme.rsaPssRsaeSha256;
}

/** Checks a received scheme is one we offered and fits the peer's key. */
export function acceptScheme(ctx: HandshakeContext, scheme: number): SignatureSchemeId {
  const kind = ctx.peerKey?.kind;
  const ok = (OUR_SCHEMES as readonly number[]).includes(scheme) && (kind === 'ecdsa-p256') === (scheme === SignatureScheme.ecdsaSecp256r1Sha256);
  if (!ok) throw new HandshakeAbort(AlertDescription.illegalParameter, 'dtls.signature.scheme', `signature scheme 0x${scheme.toString(16)} not acceptable`);
  return scheme as SignatureSchemeId;
}

/** Reads the peer's Certificate: key kind and fingerprint check (RFC 8122 §5, RFC 8827 §6.5). */
export function receiveCertificate(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, required: boolean): void {
  const { certificates } = decodeCertificate(body);
  const leaf = certificates[0];
  if (leaf === undefined) {
    if (required) throw new HandshakeAbort(AlertDescription.handshakeFailure, 'dtls.certificate.missing', 'the peer sent no certificate');
    return;
  }
  const sha256 = host.crypto.hash('sha256', leaf); // the memo's key and, usually, the fingerprint
  const key = peerCertificateKey(host.crypto, leaf, sha256);
  if (key === undefined) throw new HandshakeAbort(AlertDescription.unsupportedCertificate, 'dtls.certificate.unsupported', 'peer certificate is unparsable or not ECDSA P-256 / RSA');
  ctx.peerCertificate = leaf.slice();
  ctx.peerKey = key;
  host.checkPeerCertificate(ctx.peerCertificate, sha256);
}

const certificateBodies = new WeakMap<DtlsCertificate, Uint8Array>();

/** Our Certificate message body, encoded once per certificate (one is shared by every connection of a process). */
export function certificateBody(host: HandshakeHost): Uint8Array {
  let body = certificateBodies.get(host.certificate);
  if (body === undefined) {
    body = encodeCertificate({ certificates: [host.certificate.der] });
    certificateBodies.set(host.certificate, body);
  }
  return body;
}

/** Our CertificateVerify over the transcript so far (RFC 5246 §7.4.8). */
export function certificateVerifyBody(host: HandshakeHost, ctx: HandshakeContext): Uint8Array {
  const scheme = chooseScheme(host.certificate.privateKey.kind, ctx.peerSchemes);
  const signature = host.crypto.sign(host.certificate.privateKey, scheme, ctx.transcript.bytes());
  return encodeCertificateVerify({ scheme, signature });
}

/** Verifies the peer's CertificateVerify over the transcript so far. */
export function verifyCertificateVerify(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array): void {
  const cv = decodeCertificateVerify(body);
  const scheme = acceptScheme(ctx, cv.scheme);
  if (ctx.peerKey === undefined || !host.crypto.verify(ctx.peerKey, scheme, ctx.transcript.bytes(), cv.signature)) {
    throw new HandshakeAbort(AlertDescription.decryptError, 'dtls.certificate-verify.signature', 'CertificateVerify signature does not verify');
  }
}

/** verify_data of `role` over the transcript so far. */
export function finishedBody(host: HandshakeHost, ctx: HandshakeContext, role: 'client' | 'server'): Uint8Array {
  const suite = ctx.requireSuite();
  return verifyData(host.crypto, suite.prfHash, ctx.requireMaster(), role, ctx.transcript.hash(host.crypto, suite.prfHash));
}

/** Checks the peer's Finished (RFC 5246 §7.4.9); it must arrive under the new epoch (RFC 6347 §4.1). */
export function verifyFinished(host: HandshakeHost, ctx: HandshakeContext, body: Uint8Array, role: 'client' | 'server'): void {
  if (host.readEpoch === 0) throw new HandshakeAbort(AlertDescription.unexpectedMessage, 'dtls.finished.epoch', 'Finished before ChangeCipherSpec');
  const got = decodeFinished(body);
  if (!equalBytes(got, finishedBody(host, ctx, role))) {
    throw new HandshakeAbort(AlertDescription.decryptError, 'dtls.finished.verify-data', `${role} Finished verify_data mismatch`);
  }
}

/** The bytes a ServerKeyExchange signature covers (RFC 8422 §5.4). */
export function skeSignedData(ctx: HandshakeContext, group: number, publicKey: Uint8Array): Uint8Array {
  return concatBytes(ctx.clientRandom, ctx.serverRandom, encodeEcdhParams(group, publicKey));
}

/** ECDHE: fresh key share and the premaster secret from the peer's point. */
export function agree(host: HandshakeHost, ctx: HandshakeContext, group: NamedGroupId, peerPublic: Uint8Array): void {
  const share = ctx.keyShare ?? host.crypto.generateKeyShare(group);
  ctx.keyShare = share;
  const secret = host.crypto.deriveSharedSecret(share, peerPublic);
  if (secret === undefined) throw new HandshakeAbort(AlertDescription.illegalParameter, 'dtls.ecdhe.point', 'invalid ECDHE public key');
  ctx.preMaster = secret;
}

export const CCS: (epoch: number) => FlightItem = (epoch) => ({ kind: 'ccs', epoch });
export { HandshakeType };
