/**
 * Public keys of peer certificates, remembered by certificate DER (bounded, per crypto provider).
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

function idOf(der: Uint8Array): string {
  let s = '';
  for (let i = 0; i < der.length; i += 4096) s += String.fromCharCode(...der.subarray(i, i + 4096));
  return s;
}

/** `crypto.certificateKey(der)`, parsed once per distinct certificate (undefined is not kept). */
export function peerCertificateKey(crypto: DtlsCryptoProvider, der: Uint8Array): VerifyKey | undefined {
  let cache = caches.get(crypto);
  if (!cache) {
    cache = new Map();
    caches.set(crypto, cache);
  }
  const id = idOf(der);
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
