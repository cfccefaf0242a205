/**
 * The peer-connection state (W3C webrtc-pc §4.3.3 RTCPeerConnectionState, which Godot's
 * ConnectionState mirrors) derived from the transports, as one ordered rule table: the first rule
 * that matches wins.
 */
import type { IceConnectionState } from './ports.js';

export type PeerConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type DtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';

export interface TransportStates {
  readonly closed: boolean;
  readonly ice: IceConnectionState;
  readonly dtls: DtlsTransportState;
  /** A remote or local description was applied (negotiation started). */
  readonly negotiating: boolean;
}

type Rule = readonly [(s: TransportStates) => boolean, PeerConnectionState];

const RULES: readonly Rule[] = [
  [(s) => s.closed, 'closed'],
  [(s) => s.ice === 'failed' || s.dtls === 'failed', 'failed'],
  [(s) => s.ice === 'disconnected', 'disconnected'],
  [(s) => s.dtls === 'closed', 'closed'],
  [(s) => s.dtls === 'connected' && (s.ice === 'connected' || s.ice === 'completed'), 'connected'],
  [(s) => s.ice === 'new' && s.dtls === 'new' && !s.negotiating, 'new'],
];

export function derivePeerConnectionState(s: TransportStates): PeerConnectionState {
  for (let i = 0; i < RULES.length; i++) {
    const rule = RULES[i] as Rule;
    if (rule[0](s)) return rule[1];
  }
  return 'connecting';
}
