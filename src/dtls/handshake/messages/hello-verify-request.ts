import { Reader } from '../../../core/bytes/reader.js';

/**
 * HelloVerifyRequest body (RFC 6347 §4.2.1):  server_version(2) ‖ cookie<0..2^8-1>
 * (RFC 6347 §4.2.1: servers SHOULD send 0xFEFF here whatever version they will pick; any DTLS version accepted.)
 */
export interface HelloVerifyRequest {
  readonly serverVersion: number;
  readonly cookie: Uint8Array;
}

export function encodeHelloVerifyRequest(m: HelloVerifyRequest): Uint8Array {
  const out = new Uint8Array(3 + m.cookie.length);
  out[0] = m.serverVersion >>> 8;
  out[1] = m.serverVersion & 0xff;
  out[2] = m.cookie.length;
  out.set(m.cookie, 3);
  return out;
}

export function decodeHelloVerifyRequest(body: Uint8Array): HelloVerifyRequest {
  const r = new Reader(body, 0, body.length, 'dtls.hello-verify-request');
  const serverVersion = r.u16();
  const cookie = r.bytes(r.u8());
  if (r.remaining !== 0) r.fail('trailing', 'bytes after cookie');
  return { serverVersion, cookie };
}
