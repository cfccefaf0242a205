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
  randomFillSync,
  sign as nodeSign,
  verify as nodeVerify,
  type ECDH,
  type KeyObject,
} from 'node:crypto';
import { setImmediate } from 'node:timers';
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
 *
 * No generateKeyPairSync before an export: in Node 20 the finished KeyGenJob keeps a reference to
 * the key and its mutex; when a GC triggered by the export's own allocation finalizes that job while
 * the export holds the key's lock, the main thread deadlocks (seen: 1 in 3 runs of 60,000 X25519
 * keygen + JWK export, hung in ~KeyGenJob under ExportJWKEdKey; DER export the same). So the private
 * key is imported from 32 random bytes (RFC 7748 §5: any 32 bytes, clamped by the primitive) and its
 * public half exported from that key, which no job refers to; P-256 shares come from an ECDH object
 * and our signing key from one too.
 */
function x25519Share(): KeyShare {
  const d = randomFillSync(Buffer.alloc(32)).toString('base64url');
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d, x: '' }, format: 'jwk' }); // x unused for a private import
  const raw = Buffer.from(privateKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { group: NamedGroup.x25519, publicKey: new Uint8Array(raw), secret: privateKey }; // a copy: raw is a view of Buffer's pool
}

function generateKeyShare(group: NamedGroupId): KeyShare {
  if (group === NamedGroup.secp256r1) {
    const ecdh = createECDH('prime256v1');
    return { group, publicKey: new Uint8Array(ecdh.generateKeys()), secret: ecdh };
  }
  return x25519Share();
}

/** SubjectPublicKeyInfo DER of a P-256 key up to its uncompressed point (RFC 5480 §2: id-ecPublicKey, prime256v1). */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/** A P-256 signing key and its SPKI DER, made without a key-generation job (see x25519Share). */
function generateSigningKey(): { readonly key: SigningKey; readonly spki: Uint8Array } {
  const ecdh = createECDH('prime256v1');
  const point = ecdh.generateKeys();
  const b64 = (b: Buffer): string => b.toString('base64url');
  const jwk = { kty: 'EC', crv: 'P-256', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)), d: b64(ecdh.getPrivateKey()) };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { key: { kind: 'ecdsa-p256', handle: privateKey }, spki: new Uint8Array(Buffer.concat([P256_SPKI_PREFIX, point])) };
}

/*
 * Key shares made ahead, in idle time: generating one (27 µs P-256, 36 µs X25519 warm; twice that in
 * the cold code of a process's first connections) sat between a flight's arrival and the next flight
 * on both sides. An endpoint says at construction which group it will likely need
 * (prepareKeyShare); the share is made in a setImmediate, after the job that created the endpoint
 * (long before the peer's hello), and taken by generateKeyShare. Each share is used once, for one
 * handshake, as before: only the moment it is generated moves. Bounded: a few per group; a burst of
 * handshakes larger than the pool generates the rest on the spot, as without it.
 */
const POOL_SIZE = 2;
const pools = new Map<NamedGroupId, KeyShare[]>();
const wanted = new Set<NamedGroupId>();
let filling = false;

function fillOne(): void {
  filling = false;
  // one share per turn of the event loop, for the first group wanted: never a long stall in front of a datagram
  const first = wanted.values().next();
  if (!first.done) {
    const group = first.value;
    const pool = pools.get(group) ?? [];
    pools.set(group, pool);
    if (pool.length < POOL_SIZE) pool.push(generateKeyShare(group));
    if (pool.length >= POOL_SIZE) wanted.delete(group);
  }
  scheduleFill();
}

function scheduleFill(): void {
  if (filling || wanted.size === 0) return;
  filling = true;
  setImmediate(fillOne).unref();
}

function prepareKeyShare(group: NamedGroupId): void {
  if ((pools.get(group)?.length ?? 0) >= POOL_SIZE) return;
  wanted.add(group);
  scheduleFill();
}

/** A share from the pool (made in idle time) or a fresh one; the pool is topped up later. */
function takeKeyShare(group: NamedGroupId): KeyShare {
  const share = pools.get(group)?.pop() ?? generateKeyShare(group);
  prepareKeyShare(group);
  return share;
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
  generateKeyShare: takeKeyShare,
  prepareKeyShare,
  deriveSharedSecret,
  generateSigningKey,
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
