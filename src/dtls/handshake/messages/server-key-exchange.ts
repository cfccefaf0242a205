import { Reader } from '../../../core/bytes/reader.js';

/**
 * ServerKeyExchange for ECDHE (RFC 8422 §5.4) with a TLS 1.2 DigitallySigned (RFC 5246 §4.7):
 *
 *   ECParameters: curve_type(1) = 3 named_curve ‖ namedcurve(2)
 *   ECPoint:      point<1..2^8-1>
 *   signed:       SignatureAndHashAlgorithm(2) ‖ signature<0..2^16-1>
 *     over client_random ‖ server_random ‖ ECParameters ‖ ECPoint
 */
export interface ServerKeyExchange {
  readonly namedGroup: number;
  readonly publicKey: Uint8Array;
  readonly scheme: number;
  readonly signature: Uint8Array;
}

const NAMED_CURVE = 3;

/** The ServerECDHParams bytes that the signature covers. */
export function encodeEcdhParams(namedGroup: number, publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + publicKey.length);
  out[0] = NAMED_CURVE;
  out[1] = namedGroup >>> 8;
  out[2] = namedGroup & 0xff;
  out[3] = publicKey.length;
  out.set(publicKey, 4);
  return out;
}

export function encodeServerKeyExchange(m: ServerKeyExchange): Uint8Array {
  const params = encodeEcdhParams(m.namedGroup, m.publicKey);
  const out = new Uint8Array(params.length + 4 + m.signature.length);
  out.set(params);
  let o = params.length;
  out[o++] = m.scheme >>> 8;
  out[o++] = m.scheme & 0xff;
  out[o++] = m.signature.length >>> 8;
  out[o++] = m.signature.length & 0xff;
  out.set(m.signature, o);
  return out;
}

export function decodeServerKeyExchange(body: Uint8Array): ServerKeyExchange {
  const r = new Reader(body, 0, body.length, 'dtls.server-key-exchange');
  if (r.u8() !== NAMED_CURVE) r.fail('curve-type', 'only named_curve ECDHE parameters are supported');
  const namedGroup = r.u16();
  const n = r.u8();
  if (n === 0) r.fail('point', 'empty ECPoint');
  const publicKey = r.bytes(n);
  const scheme = r.u16();
  const signature = r.bytes(r.u16());
  if (r.remaining !== 0) r.fail('trailing', 'bytes after signature');
  return { namedGroup, publicKey, scheme, signature };
}
