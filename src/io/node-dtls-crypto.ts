import {
  X509Certificate,
  constants,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  diffieHellman,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type ECDH,
  type KeyObject,
} from 'node:crypto';
import { NamedGroup, SignatureScheme, type NamedGroupId, type SignatureSchemeId } from '../dtls/constants.js';
import type { AeadAlgorithm, AeadKey, DtlsCryptoProvider, KeyShare, SigningKey, VerifyKey } from '../dtls/crypto.js';
import { nodeCrypto } from './node-crypto.js';

/**
 * The DTLS crypto provider on node:crypto: ECDHE (X25519 through KeyObjects, P-256 through ECDH),
 * ECDSA P-256 / RSA PKCS#1 v1.5 / RSA-PSS signatures with SHA-256, AES-GCM and ChaCha20-Poly1305.
 */

/*
 * X25519 keys cross node:crypto as JWK (`x` = the raw 32-byte key, base64url): measured per
 * handshake side, keygen + DER SPKI export cost 115 µs and DER import + derive 128 µs, against 37 and
 * 43 µs through JWK (OpenSSL 3's DER encoder/decoder path is slow). Same keys, same secret.
 */
function generateKeyShare(group: NamedGroupId): KeyShare {
  if (group === NamedGroup.secp256r1) {
    const ecdh = createECDH('prime256v1');
    return { group, publicKey: new Uint8Array(ecdh.generateKeys()), secret: ecdh };
  }
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { group, publicKey: new Uint8Array(raw), secret: privateKey }; // a copy: raw is a view of Buffer's pool
}

function deriveSharedSecret(share: KeyShare, peer: Uint8Array): Uint8Array | undefined {
  try {
    if (share.group === NamedGroup.secp256r1) {
      // RFC 8422 §5.4.1: uncompressed points only.
      if (peer.length !== 65 || peer[0] !== 4) return undefined;
      return new Uint8Array((share.secret as ECDH).computeSecret(peer));
    }
    if (peer.length !== 32) return undefined;
    const x = Buffer.from(peer.buffer, peer.byteOffset, peer.byteLength).toString('base64url');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x }, format: 'jwk' });
    const shared = new Uint8Array(diffieHellman({ privateKey: share.secret as KeyObject, publicKey }));
    // RFC 7748 §6.1 / RFC 8422 §5.11: an all-zero result means a small-order point.
    return shared.some((b) => b !== 0) ? shared : undefined;
  } catch {
    return undefined;
  }
}

function signOptions(key: KeyObject, scheme: SignatureSchemeId): { key: KeyObject; padding?: number; saltLength?: number } {
  if (scheme === SignatureScheme.rsaPssRsaeSha256) {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  }
  if (scheme === SignatureScheme.rsaPkcs1Sha256) return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key };
}

function keyKind(k: KeyObject): 'ecdsa-p256' | 'rsa' | undefined {
  if (k.asymmetricKeyType === 'rsa') return 'rsa';
  if (k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  return undefined;
}

function schemeFits(kind: 'ecdsa-p256' | 'rsa', scheme: SignatureSchemeId): boolean {
  return kind === 'ecdsa-p256' ? scheme === SignatureScheme.ecdsaSecp256r1Sha256 : scheme !== SignatureScheme.ecdsaSecp256r1Sha256;
}

const AUTH_TAG = 16;
/** Shared (de)cipher options: no object per record. */
const AEAD_OPTIONS = { authTagLength: AUTH_TAG } as const;

/**
 * One AEAD key (a KeyObject made once). Per record this is the floor node:crypto allows: a (de)cipher
 * is spent after final(), so each record costs createCipheriv + setAAD + update + final + getAuthTag
 * (about 4 µs of CPU at 1200 bytes, 8 µs at 16 KiB: `node bench/micro/record.mjs`). A Buffer key,
 * a KeyObject or no options measured the same within noise; WebCrypto and a reused ECB context with a
 * JS GHASH measured far slower (docs/performance.md).
 */
function aeadKey(alg: AeadAlgorithm, raw: Uint8Array): AeadKey {
  const key = createSecretKey(raw);
  return {
    seal(nonce, aad, plaintext, out, outOffset) {
      const c = createCipheriv(alg as 'aes-128-gcm', key, nonce, AEAD_OPTIONS);
      c.setAAD(aad);
      const body = c.update(plaintext);
      out.set(body, outOffset);
      c.final();
      out.set(c.getAuthTag(), outOffset + body.length);
    },
    open(nonce, aad, sealed) {
      if (sealed.length < AUTH_TAG) return undefined;
      const n = sealed.length - AUTH_TAG;
      const d = createDecipheriv(alg as 'aes-128-gcm', key, nonce, AEAD_OPTIONS);
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(n));
      const plain = d.update(sealed.subarray(0, n));
      try {
        d.final();
      } catch {
        return undefined;
      }
      return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
    },
  };
}

/** The public key of a DER certificate (src/dtls/peer-keys.ts remembers it per distinct DER). */
function certificateKey(der: Uint8Array): VerifyKey | undefined {
  try {
    const k = new X509Certificate(der).publicKey;
    const kind = keyKind(k);
    return kind === undefined ? undefined : { kind, handle: k };
  } catch {
    return undefined;
  }
}

export const nodeDtlsCrypto: DtlsCryptoProvider = {
  ...nodeCrypto,
  generateKeyShare,
  deriveSharedSecret,
  generateSigningKey() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
    return { key: { kind: 'ecdsa-p256', handle: privateKey }, spki };
  },
  sign(key: SigningKey, scheme: SignatureSchemeId, data: Uint8Array): Uint8Array {
    return new Uint8Array(nodeSign('sha256', data, signOptions(key.handle as KeyObject, scheme)));
  },
  verify(key: VerifyKey, scheme: SignatureSchemeId, data: Uint8Array, signature: Uint8Array): boolean {
    if (!schemeFits(key.kind, scheme)) return false;
    try {
      return nodeVerify('sha256', data, signOptions(key.handle as KeyObject, scheme), signature);
    } catch {
      return false;
    }
  },
  certificateKey,
  aeadKey,
};

/** Our identity from PEM or DER private keys (ECDSA P-256 or RSA), for supplied certificates. */
export function signingKeyFromPem(pem: string | Uint8Array): SigningKey {
  const k = typeof pem === 'string' ? createPrivateKey(pem) : createPrivateKey({ key: Buffer.from(pem), format: 'der', type: 'pkcs8' });
  const kind = keyKind(k);
  if (kind === undefined) throw new TypeError('only ECDSA P-256 and RSA private keys are supported');
  return { kind, handle: k };
}
