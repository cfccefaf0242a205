import type { CryptoProvider } from '../core/crypto.js';
import type { NamedGroupId, SignatureSchemeId } from './constants.js';

/**
 * What DTLS needs from crypto beyond hashes and HMAC, synchronous so the core stays sans-IO.
 * src/io/node-dtls-crypto.ts implements it with node:crypto. Key handles are opaque to the core:
 * only the provider that made them looks inside.
 */

/** An ephemeral ECDHE key pair. `publicKey` is the wire form (X25519 raw 32 bytes, P-256 uncompressed 65). */
export interface KeyShare {
  readonly group: NamedGroupId;
  readonly publicKey: Uint8Array;
  /** Opaque to the core. */
  readonly secret: unknown;
}

/** The kind of key a certificate carries, which decides the suites and schemes it can use. */
export type KeyKind = 'ecdsa-p256' | 'rsa';

/** A private signing key (opaque handle) with its kind. */
export interface SigningKey {
  readonly kind: KeyKind;
  /** Opaque to the core. */
  readonly handle: unknown;
}

/** A public key taken from a peer certificate (opaque handle) with its kind. */
export interface VerifyKey {
  readonly kind: KeyKind;
  /** Opaque to the core. */
  readonly handle: unknown;
}

/** AEAD algorithms of our cipher suites. */
export type AeadAlgorithm = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

/** One direction's AEAD key, made once per epoch so per-record work is only seal/open. Tag = 16 bytes. */
export interface AeadKey {
  /** Writes ciphertext ‖ tag of `plaintext` into `out` at `outOffset` (room for length + 16 required). */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array, outOffset: number): void;
  /** Plaintext of ciphertext ‖ tag, or undefined when authentication fails. */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined;
}

export interface DtlsCryptoProvider extends CryptoProvider {
  /** A fresh ephemeral key pair on `group` (never handed out twice). */
  generateKeyShare(group: NamedGroupId): KeyShare;
  /**
   * Optional hint: a handshake will soon ask for a share on `group`. A provider may make it ahead,
   * outside the current job (src/io/node-dtls-crypto.ts does, in a setImmediate), so that
   * generateKeyShare costs nothing between the peer's flight and ours.
   */
  prepareKeyShare?(group: NamedGroupId): void;
  /** The ECDHE shared secret, or undefined when the peer's point is invalid. */
  deriveSharedSecret(share: KeyShare, peerPublic: Uint8Array): Uint8Array | undefined;
  /** A new ECDSA P-256 key with its SubjectPublicKeyInfo DER. */
  generateSigningKey(): { readonly key: SigningKey; readonly spki: Uint8Array };
  /** Signs `data` (hashed inside as the scheme says). ECDSA signatures are DER (RFC 8422 §5.4). */
  sign(key: SigningKey, scheme: SignatureSchemeId, data: Uint8Array): Uint8Array;
  /** Verifies `signature` over `data`; false on any failure. */
  verify(key: VerifyKey, scheme: SignatureSchemeId, data: Uint8Array, signature: Uint8Array): boolean;
  /** The public key of an X.509 DER certificate, or undefined when unparsable or of a kind we do not use. */
  certificateKey(der: Uint8Array): VerifyKey | undefined;
  /** An AEAD key for one direction of one epoch. */
  aeadKey(alg: AeadAlgorithm, key: Uint8Array): AeadKey;
}
