import { Reader } from '../../../core/bytes/reader.js';

/**
 * ClientKeyExchange for ECDHE (RFC 8422 §5.7): ClientECDiffieHellmanPublic = point<1..2^8-1>.
 * ServerHelloDone (RFC 5246 §7.4.5) has an empty body and is checked here too.
 */
export function encodeClientKeyExchange(publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + publicKey.length);
  out[0] = publicKey.length;
  out.set(publicKey, 1);
  return out;
}

export function decodeClientKeyExchange(body: Uint8Array): Uint8Array {
  const r = new Reader(body, 0, body.length, 'dtls.client-key-exchange');
  const n = r.u8();
  if (n === 0) r.fail('point', 'empty ECPoint');
  const point = r.bytes(n);
  if (r.remaining !== 0) r.fail('trailing', 'bytes after point');
  return point;
}

export function decodeServerHelloDone(body: Uint8Array): void {
  const r = new Reader(body, 0, body.length, 'dtls.server-hello-done');
  if (r.remaining !== 0) r.fail('trailing', 'ServerHelloDone must be empty');
}
