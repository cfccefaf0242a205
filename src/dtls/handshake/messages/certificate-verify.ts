import { Reader } from '../../../core/bytes/reader.js';

/**
 * CertificateVerify body (RFC 5246 §7.4.8): DigitallySigned = SignatureAndHashAlgorithm(2) ‖
 * signature<0..2^16-1>, over all handshake messages before it.
 */
export interface CertificateVerify {
  readonly scheme: number;
  readonly signature: Uint8Array;
}

export function encodeCertificateVerify(m: CertificateVerify): Uint8Array {
  const out = new Uint8Array(4 + m.signature.length);
  out[0] = m.scheme >>> 8;
  out[1] = m.scheme & 0xff;
  out[2] = m.signature.length >>> 8;
  out[3] = m.signature.length & 0xff;
  out.set(m.signature, 4);
  return out;
}

export function decodeCertificateVerify(body: Uint8Array): CertificateVerify {
  const r = new Reader(body, 0, body.length, 'dtls.certificate-verify');
  const scheme = r.u16();
  const signature = r.bytes(r.u16());
  if (r.remaining !== 0) r.fail('trailing', 'bytes after signature');
  return { scheme, signature };
}

/** Finished (RFC 5246 §7.4.9): verify_data[12]. */
export function decodeFinished(body: Uint8Array): Uint8Array {
  const r = new Reader(body, 0, body.length, 'dtls.finished');
  const v = r.bytes(12);
  if (r.remaining !== 0) r.fail('trailing', 'verify_data must be 12 bytes');
  return v;
}
