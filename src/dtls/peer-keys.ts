/**
 * Public keys of peer certificates, remembered by certificate (bounded, per crypto provider).
 * Parsing an X.509 certificate in node:crypto costs 0.2 to 0.4 ms, on the critical path of both
 * sides of every handshake; a process talking to the same peer process again (a game server and
 * its clients, every rtcpeer with its shared certificate) sees the same DER each time. The key is a
 * pure function of those bytes, so reusing it changes nothing in what is checked: the fingerprint
 * is still compared and the signatures still verified for every handshake.
 */
import type { DtlsCryptoProvider, VerifyKey } from './crypto.js';

/** Certificates remembered per provider; the least recently used one goes first. */
export const PEER_KEY_CACHE_SIZE = 64;

const caches = new WeakMap<DtlsCryptoProvider, Map<string, VerifyKey>>();

/**
 * The memo is keyed by the certificate's SHA-256 (collision resistant: equal digests are equal
 * certificates), which the handshake computes anyway for the fingerprint: a string of the whole
 * DER, or a byte compare against a kept copy, cost 10 to 50 µs per handshake in cold code.
 */
function idOf(sha256: Uint8Array): string {
  let s = '';
  for (let i = 0; i < sha256.length; i++) s += String.fromCharCode(sha256[i] as number);
  return s;
}

/**
 * `crypto.certificateKey(der)`, parsed once per distinct certificate (undefined is not kept).
 * `sha256`: the certificate's SHA-256 when the caller has it (computed here otherwise).
 */
export function peerCertificateKey(crypto: DtlsCryptoProvider, der: Uint8Array, sha256: Uint8Array = crypto.hash('sha256', der)): VerifyKey | undefined {
  let cache = caches.get(crypto);
  if (!cache) {
    cache = new Map();
    caches.set(crypto, cache);
  }
  const id = idOf(sha256);
  const known = cache.get(id);
  if (known) {
    cache.delete(id);
    cache.set(id, known);
    return known;
  }
  const key = crypto.certificateKey(der);
  if (key === undefined) return undefined;
  if (cache.size >= PEER_KEY_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(id, key);
  return key;
}
