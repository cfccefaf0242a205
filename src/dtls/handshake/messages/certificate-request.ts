import { Reader } from '../../../core/bytes/reader.js';
import { Writer } from '../../../core/bytes/writer.js';

/**
 * CertificateRequest body (RFC 5246 §7.4.4):
 *
 *   certificate_types<1..2^8-1> ‖ supported_signature_algorithms<2..2^16-2> ‖
 *   certificate_authorities<0..2^16-1> (DistinguishedName<1..2^16-1> each)
 */
export interface CertificateRequest {
  readonly certificateTypes: readonly number[];
  readonly signatureSchemes: readonly number[];
  readonly authorities: readonly Uint8Array[];
}

export function encodeCertificateRequest(m: CertificateRequest): Uint8Array {
  const w = new Writer(64);
  w.u8(m.certificateTypes.length);
  for (let i = 0; i < m.certificateTypes.length; i++) w.u8(m.certificateTypes[i] as number);
  w.u16(m.signatureSchemes.length * 2);
  for (let i = 0; i < m.signatureSchemes.length; i++) w.u16(m.signatureSchemes[i] as number);
  const at = w.reserve(2);
  for (let i = 0; i < m.authorities.length; i++) {
    const a = m.authorities[i] as Uint8Array;
    w.u16(a.length).bytes(a);
  }
  w.setU16At(at, w.length - at - 2);
  return w.toBytes();
}

export function decodeCertificateRequest(body: Uint8Array): CertificateRequest {
  const r = new Reader(body, 0, body.length, 'dtls.certificate-request');
  const certificateTypes = Array.from(r.bytes(r.u8()));
  const sn = r.u16();
  if (sn % 2 !== 0) r.fail('schemes', 'odd signature algorithms length');
  const sr = r.sub(sn);
  const signatureSchemes: number[] = [];
  while (sr.remaining > 0) signatureSchemes.push(sr.u16());
  const ar = r.sub(r.u16());
  const authorities: Uint8Array[] = [];
  while (ar.remaining > 0) authorities.push(ar.bytes(ar.u16()));
  if (r.remaining !== 0) r.fail('trailing', 'bytes after certificate_authorities');
  return { certificateTypes, signatureSchemes, authorities };
}
