/**
 * Cheap one-line packet describers for the trace (aiortc's `repr` idea): first-byte classification
 * after RFC 7983 §7, plus the STUN method/class and the DTLS record/handshake type when the header
 * is there. They never throw: unreadable input is described as such.
 */
import { classifyPacket } from '../../src/core/demux.js';

/** Turns a payload into a short label such as `STUN Binding request` or `DTLS Handshake(ClientHello)`. */
export type Describer = (data: Uint8Array) => string;

const STUN_METHODS: Readonly<Record<number, string>> = {
  0x001: 'Binding',
  0x003: 'Allocate',
  0x004: 'Refresh',
  0x006: 'Send',
  0x007: 'Data',
  0x008: 'CreatePermission',
  0x009: 'ChannelBind',
};
const STUN_CLASSES = ['request', 'indication', 'success', 'error'] as const;

const DTLS_CONTENT: Readonly<Record<number, string>> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'ApplicationData',
  24: 'Heartbeat',
  25: 'Ack',
};

const DTLS_HANDSHAKE: Readonly<Record<number, string>> = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  3: 'HelloVerifyRequest',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
};

const SCTP_CHUNKS: Readonly<Record<number, string>> = {
  0: 'DATA',
  1: 'INIT',
  2: 'INIT-ACK',
  3: 'SACK',
  4: 'HEARTBEAT',
  5: 'HEARTBEAT-ACK',
  6: 'ABORT',
  7: 'SHUTDOWN',
  8: 'SHUTDOWN-ACK',
  9: 'ERROR',
  10: 'COOKIE-ECHO',
  11: 'COOKIE-ACK',
  14: 'SHUTDOWN-COMPLETE',
  64: 'I-DATA',
  128: 'ASCONF-ACK',
  130: 'RE-CONFIG',
  192: 'FORWARD-TSN',
  193: 'ASCONF',
  194: 'I-FORWARD-TSN',
};

const hexId = (d: Uint8Array, from: number, n: number): string =>
  Array.from(d.subarray(from, from + n), (b) => b.toString(16).padStart(2, '0')).join('');

/** `STUN Binding request tid=...` from the 20-byte header (RFC 8489 §5). */
export function describeStun(d: Uint8Array): string {
  if (d.length < 20) return 'STUN(short)';
  const type = (((d[0] as number) << 8) | (d[1] as number)) & 0x3fff;
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const cls = STUN_CLASSES[((type >> 4) & 1) | ((type >> 7) & 2)] ?? 'request';
  const name = STUN_METHODS[method] ?? `method=0x${method.toString(16)}`;
  return `STUN ${name} ${cls} tid=${hexId(d, 8, 4)}`;
}

/** `DTLS Handshake(ClientHello) epoch=0 seq=0` from the first record header (RFC 6347 §4.1). */
export function describeDtls(d: Uint8Array): string {
  const ct = d[0] as number;
  const name = DTLS_CONTENT[ct] ?? `content=${ct}`;
  if (d.length < 13) return `DTLS ${name}(short)`;
  const epoch = ((d[3] as number) << 8) | (d[4] as number);
  const seq = ((d[9] as number) << 8) | (d[10] as number);
  let label = name;
  if (ct === 22 && epoch === 0 && d.length > 13) {
    const hs = d[13] as number;
    label = `Handshake(${DTLS_HANDSHAKE[hs] ?? hs})`;
  }
  return `DTLS ${label} epoch=${epoch} seq=${seq}`;
}

/** `SCTP[INIT,DATA]` from the chunk list after the 12-byte common header (RFC 9260 §3). */
export function describeSctp(d: Uint8Array): string {
  if (d.length < 12) return 'SCTP(short)';
  const names: string[] = [];
  for (let off = 12; off + 4 <= d.length && names.length < 8; ) {
    const type = d[off] as number;
    const len = ((d[off + 2] as number) << 8) | (d[off + 3] as number);
    names.push(SCTP_CHUNKS[type] ?? `0x${type.toString(16)}`);
    if (len < 4) break;
    off += (len + 3) & ~3;
  }
  return `SCTP[${names.join(',')}]`;
}

/** The default describer for datagrams on an ICE socket: RFC 7983 first-byte demux. */
export const describeDatagram: Describer = (d) => {
  if (d.length === 0) return 'empty';
  switch (classifyPacket(d[0] as number)) {
    case 'stun':
      return describeStun(d);
    case 'dtls':
      return describeDtls(d);
    case 'turn-channel':
      return `ChannelData ch=0x${hexId(d, 0, 2)}`;
    case 'rtp':
      return 'RTP/RTCP';
    default:
      return `data[0]=0x${(d[0] as number).toString(16).padStart(2, '0')}`;
  }
};
