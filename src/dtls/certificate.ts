import { concatBytes, fromHex, utf8 } from '../core/bytes/hex.js';
import { UsageError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { SignatureScheme } from './constants.js';
import type { DtlsCryptoProvider, SigningKey } from './crypto.js';
import { certificateFingerprint, type FingerprintAlgorithm } from './fingerprint.js';

/**
 * Our DTLS identity: a self-signed X.509 v3 certificate (RFC 5280 §4.1) with an ECDSA P-256 key,
 * signed ecdsa-with-SHA256, as browsers make them (RFC 8827 §6.5). node:crypto makes the key and the
 * signature; the DER of the TBSCertificate is built here:
 *
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { [0] version v3, serialNumber, signature AlgorithmIdentifier,
 *                                 issuer Name, validity, subject Name, subjectPublicKeyInfo }
 */
export interface DtlsCertificate {
  /** The certificate, DER. */
  readonly der: Uint8Array;
  readonly privateKey: SigningKey;
  /** `certificateFingerprint(der, alg)`: `AB:CD:...` for SDP. */
  fingerprint(alg?: FingerprintAlgorithm): string;
}

export interface GenerateCertificateOptions {
  readonly crypto: DtlsCryptoProvider;
  readonly rng: Rng;
  /** Subject/issuer common name (default: "rtcpeer-" + random hex). */
  readonly commonName?: string;
  /** notBefore as Unix milliseconds (default 2024-01-01; browsers ignore validity, only the fingerprint counts). */
  readonly notBefore?: number;
  /** notAfter as Unix milliseconds (default 2049-12-31, the UTCTime limit). */
  readonly notAfter?: number;
}

const OID_ECDSA_SHA256 = fromHex('06082a8648ce3d040302'); // 1.2.840.10045.4.3.2
const OID_COMMON_NAME = fromHex('0603550403'); // 2.5.4.3

function der(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  let len: number[];
  if (n < 0x80) len = [n];
  else if (n < 0x100) len = [0x81, n];
  else if (n < 0x10000) len = [0x82, n >>> 8, n & 0xff];
  else len = [0x83, n >>> 16, (n >>> 8) & 0xff, n & 0xff];
  return concatBytes(Uint8Array.of(tag, ...len), content);
}

const seq = (...parts: Uint8Array[]): Uint8Array => der(0x30, concatBytes(...parts));

function name(cn: string): Uint8Array {
  return seq(der(0x31, seq(OID_COMMON_NAME, der(0x0c, utf8(cn)))));
}

/** UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), years 1950..2049. */
function utcTime(unixMs: number): Uint8Array {
  const iso = new Date(unixMs).toISOString(); // 2024-01-01T00:00:00.000Z
  const year = Number(iso.slice(0, 4));
  if (year < 1950 || year > 2049) throw new UsageError('dtls.certificate.validity', `UTCTime cannot hold year ${year}`);
  const s = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return der(0x17, utf8(s));
}

/** A positive DER INTEGER from random bytes (top bit cleared, not zero). */
function serial(rng: Rng): Uint8Array {
  const b = rng.bytes(16);
  b[0] = ((b[0] as number) & 0x7f) | 0x01;
  return der(0x02, b);
}

/** Builds the TBSCertificate DER (exported for tests). */
export function buildTbsCertificate(spki: Uint8Array, cn: string, serialDer: Uint8Array, notBefore: number, notAfter: number): Uint8Array {
  const version = der(0xa0, der(0x02, Uint8Array.of(2)));
  const alg = seq(OID_ECDSA_SHA256);
  return seq(version, serialDer, alg, name(cn), seq(utcTime(notBefore), utcTime(notAfter)), name(cn), spki);
}

/** A fresh self-signed ECDSA P-256 certificate. Costs one key generation and one signature. */
export function generateCertificate(opts: GenerateCertificateOptions): DtlsCertificate {
  const { crypto, rng } = opts;
  const { key, spki } = crypto.generateSigningKey();
  const cn = opts.commonName ?? `rtcpeer-${Array.from(rng.bytes(4), (x) => x.toString(16).padStart(2, '0')).join('')}`;
  const tbs = buildTbsCertificate(spki, cn, serial(rng), opts.notBefore ?? Date.UTC(2024, 0, 1), opts.notAfter ?? Date.UTC(2049, 11, 31, 23, 59, 59));
  const signature = crypto.sign(key, SignatureScheme.ecdsaSecp256r1Sha256, tbs);
  const certDer = seq(tbs, seq(OID_ECDSA_SHA256), der(0x03, concatBytes(Uint8Array.of(0), signature)));
  return certificateFromDer(crypto, certDer, key);
}

/** Wraps a supplied certificate and its private key (ECDSA P-256 or RSA) as our identity. */
export function certificateFromDer(crypto: DtlsCryptoProvider, certDer: Uint8Array, privateKey: SigningKey): DtlsCertificate {
  const memo = new Map<FingerprintAlgorithm, string>(); // asked per connection (offer, answer), computed once
  return {
    der: certDer,
    privateKey,
    fingerprint: (alg: FingerprintAlgorithm = 'sha-256') => {
      let fp = memo.get(alg);
      if (fp === undefined) {
        fp = certificateFingerprint(crypto, certDer, alg);
        memo.set(alg, fp);
      }
      return fp;
    },
  };
}
