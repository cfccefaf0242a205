import { Reader } from '../../../core/bytes/reader.js';
import { Writer } from '../../../core/bytes/writer.js';
import { readExtensions, writeExtensions, type Extension } from '../../extensions.js';

/**
 * ServerHello body (RFC 5246 §7.4.1.3):
 *
 *   server_version(2) ‖ random(32) ‖ session_id<0..32> ‖ cipher_suite(2) ‖ compression_method(1) ‖
 *   extensions<0..2^16-1> (optional)
 */
export interface ServerHello {
  readonly serverVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly extensions: readonly Extension[];
}

export function encodeServerHello(m: ServerHello): Uint8Array {
  const w = new Writer(128);
  w.u16(m.serverVersion).bytes(m.random);
  w.u8(m.sessionId.length).bytes(m.sessionId);
  w.u16(m.cipherSuite).u8(m.compressionMethod);
  writeExtensions(w, m.extensions);
  return w.toBytes();
}

export function decodeServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body, 0, body.length, 'dtls.server-hello');
  const serverVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.bytes(r.u8());
  if (sessionId.length > 32) r.fail('session-id', 'session_id longer than 32');
  const cipherSuite = r.u16();
  const compressionMethod = r.u8();
  const extensions = readExtensions(r);
  if (r.remaining !== 0) r.fail('trailing', 'bytes after extensions');
  return { serverVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}
