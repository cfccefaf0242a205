import { Reader } from '../../../core/bytes/reader.js';
import { Writer } from '../../../core/bytes/writer.js';

/**
 * Certificate body (RFC 5246 §7.4.2):  certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>
 * (sender's own certificate first).
 */
export interface CertificateMessage {
  readonly certificates: readonly Uint8Array[];
}

export function encodeCertificate(m: CertificateMessage): Uint8Array {
  const w = new Writer(1024);
  const at = w.reserve(3);
  const certs = m.certificates;
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i] as Uint8Array;
    w.u24(c.length).bytes(c);
  }
  w.setU24At(at, w.length - 3);
  return w.toBytes();
}

export function decodeCertificate(body: Uint8Array): CertificateMessage {
  const r = new Reader(body, 0, body.length, 'dtls.certificate');
  const list = r.sub(r.u24());
  if (r.remaining !== 0) r.fail('trailing', 'bytes after certificate_list');
  const certificates: Uint8Array[] = [];
  while (list.remaining > 0) {
    const n = list.u24();
    if (n === 0) list.fail('empty', 'empty ASN.1Cert');
    certificates.push(list.bytes(n));
  }
  return { certificates };
}
