import { Reader } from '../core/bytes/reader.js';
import { Writer } from '../core/bytes/writer.js';
import { ExtensionType } from './constants.js';

/**
 * Hello extensions (RFC 5246 §7.4.1.4): a list of { type(2), data<0..2^16-1> } in a <0..2^16-1>
 * vector. Kept raw in wire order; typed readers below pick what we use, so unknown extensions (DTLS
 * 1.3 supported_versions, key_share, padding, ...) are ignored wherever they stand.
 *
 *   +----------------+----------------+-----------------+
 *   | extension_type | data length(2) | extension_data  |  ... repeated
 *   +----------------+----------------+-----------------+
 */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/** Reads the optional extensions block that ends a hello (absent = empty list). */
export function readExtensions(r: Reader): Extension[] {
  if (r.remaining === 0) return [];
  const sub = r.sub(r.u16());
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (sub.remaining > 0) {
    const type = sub.u16();
    const data = sub.bytes(sub.u16());
    // RFC 5246 §7.4.1.4: no two extensions of the same type.
    if (seen.has(type)) sub.fail('extension.duplicate', `extension ${type} appears twice`);
    seen.add(type);
    out.push({ type, data });
  }
  return out;
}

export function writeExtensions(w: Writer, exts: readonly Extension[]): void {
  if (exts.length === 0) return;
  const at = w.reserve(2);
  const start = w.length;
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i] as Extension;
    w.u16(e.type).u16(e.data.length).bytes(e.data);
  }
  w.setU16At(at, w.length - start);
}

export function findExtension(exts: readonly Extension[], type: number): Extension | undefined {
  return exts.find((e) => e.type === type);
}

/** A u16 list in a <2..2^16-2> vector (supported_groups RFC 8422 §5.1.1, signature_algorithms RFC 5246 §7.4.1.4.1). */
export function encodeU16List(values: readonly number[]): Uint8Array {
  const w = new Writer(2 + values.length * 2);
  w.u16(values.length * 2);
  for (let i = 0; i < values.length; i++) w.u16(values[i] as number);
  return w.toBytes();
}

export function decodeU16List(data: Uint8Array): number[] {
  const r = new Reader(data, 0, data.length, 'dtls.extension');
  const n = r.u16();
  if (n % 2 !== 0 || n !== r.remaining) r.fail('list', 'bad u16 list length');
  const out: number[] = [];
  while (r.remaining > 0) out.push(r.u16());
  return out;
}

/** ec_point_formats (RFC 8422 §5.1.2): [uncompressed]. */
export const EC_POINT_FORMATS_UNCOMPRESSED = Uint8Array.of(1, 0);
/** renegotiation_info with an empty renegotiated_connection (RFC 5746 §3.2). */
export const EMPTY_RENEGOTIATION_INFO = Uint8Array.of(0);

/** use_srtp (RFC 5764 §4.1.1): profiles<2..2^16-1> ‖ srtp_mki<0..255> (empty MKI). */
export function encodeUseSrtp(profiles: readonly number[]): Uint8Array {
  const list = encodeU16List(profiles);
  const out = new Uint8Array(list.length + 1);
  out.set(list);
  return out;
}

/** The profile list of a use_srtp extension (MKI ignored). */
export function decodeUseSrtp(data: Uint8Array): number[] {
  const r = new Reader(data, 0, data.length, 'dtls.extension');
  const n = r.u16();
  const list = r.bytes(n);
  r.bytes(r.u8());
  if (r.remaining !== 0 || n % 2 !== 0) r.fail('use-srtp', 'bad use_srtp');
  const out: number[] = [];
  for (let i = 0; i < n; i += 2) out.push(((list[i] as number) << 8) | (list[i + 1] as number));
  return out;
}

/** True when the renegotiation_info extension carries an empty renegotiated_connection. */
export function isEmptyRenegotiationInfo(e: Extension | undefined): boolean {
  return e !== undefined && e.data.length === 1 && e.data[0] === 0;
}

export { ExtensionType };
