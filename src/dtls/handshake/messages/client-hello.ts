import { Reader } from '../../../core/bytes/reader.js';
import { Writer } from '../../../core/bytes/writer.js';
import { readExtensions, writeExtensions, type Extension } from '../../extensions.js';

/**
 * DTLS ClientHello body (RFC 6347 §4.2.1, RFC 5246 §7.4.1.2):
 *
 *   client_version(2) ‖ random(32) ‖ session_id<0..32> ‖ cookie<0..2^8-1> ‖
 *   cipher_suites<2..2^16-2> ‖ compression_methods<1..2^8-1> ‖ extensions<0..2^16-1> (optional)
 */
export interface ClientHello {
  readonly clientVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cookie: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: readonly number[];
  readonly extensions: readonly Extension[];
}

export function encodeClientHello(m: ClientHello): Uint8Array {
  const w = new Writer(256);
  w.u16(m.clientVersion).bytes(m.random);
  w.u8(m.sessionId.length).bytes(m.sessionId);
  w.u8(m.cookie.length).bytes(m.cookie);
  w.u16(m.cipherSuites.length * 2);
  for (let i = 0; i < m.cipherSuites.length; i++) w.u16(m.cipherSuites[i] as number);
  w.u8(m.compressionMethods.length);
  for (let i = 0; i < m.compressionMethods.length; i++) w.u8(m.compressionMethods[i] as number);
  writeExtensions(w, m.extensions);
  return w.toBytes();
}

export function decodeClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body, 0, body.length, 'dtls.client-hello');
  const clientVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.bytes(r.u8());
  if (sessionId.length > 32) r.fail('session-id', 'session_id longer than 32');
  const cookie = r.bytes(r.u8());
  const suitesLength = r.u16();
  if (suitesLength < 2 || suitesLength % 2 !== 0) r.fail('cipher-suites', 'bad cipher_suites length');
  const cipherSuites: number[] = [];
  const sr = r.sub(suitesLength);
  while (sr.remaining > 0) cipherSuites.push(sr.u16());
  const nComp = r.u8();
  if (nComp < 1) r.fail('compression', 'no compression methods');
  const compressionMethods = Array.from(r.bytes(nComp));
  const extensions = readExtensions(r);
  if (r.remaining !== 0) r.fail('trailing', 'bytes after extensions');
  return { clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods, extensions };
}
