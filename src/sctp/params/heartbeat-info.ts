import type { Writer } from '../../core/bytes/writer.js';
import { PARAM } from './types.js';
import { writeTlv } from './tlv.js';

/**
 * Heartbeat Info (RFC 9260 §3.3.5): opaque sender-specific bytes, echoed back in HEARTBEAT-ACK.
 *
 * | Type = 1 | Length | Heartbeat Information (variable) |
 */
export interface HeartbeatInfoParam {
  readonly kind: 'heartbeat-info';
  readonly info: Uint8Array;
}

export function decodeHeartbeatInfo(value: Uint8Array): HeartbeatInfoParam {
  return { kind: 'heartbeat-info', info: value };
}

export function encodeHeartbeatInfo(w: Writer, p: HeartbeatInfoParam): void {
  writeTlv(w, PARAM.heartbeatInfo, p.info);
}
