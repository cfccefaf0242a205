/**
 * The state of one data channel as the registry keeps it (RFC 8831 §6, RFC 8832 §6). Plain data the
 * registry mutates; the facade reads it.
 */
import type { Reliability } from './messages.js';

export type ChannelReadyState = 'connecting' | 'open' | 'closing' | 'closed';

/** What the user asks for (W3C RTCDataChannelInit shape). */
export interface ChannelInit extends Reliability {
  readonly label: string;
  readonly protocol?: string;
  /** RFC 8832 §5.1 priority; 256 ("normal/low", what Chrome sends) by default. */
  readonly priority?: number;
  /** True: no DCEP; both ends create the channel with the same `id` (RFC 8831 §6.5). */
  readonly negotiated?: boolean;
  /** Required when negotiated; otherwise chosen from the DTLS role's parity. */
  readonly id?: number;
}

export interface DataChannelState {
  /** Registry-local handle, stable for the channel's life (ids can be undefined, then reused). */
  readonly handle: number;
  /** SCTP stream id; undefined until the DTLS role is known for in-band channels. */
  id: number | undefined;
  readonly label: string;
  readonly protocol: string;
  readonly priority: number;
  readonly reliability: Reliability;
  readonly negotiated: boolean;
  /** True when the channel came from the peer's DATA_CHANNEL_OPEN. */
  readonly remote: boolean;
  state: ChannelReadyState;
  /** Until the peer's ACK (or any message from it) arrives, our data goes ordered (RFC 8832 §6). */
  acked: boolean;
}

/** Default RFC 8832 priority (dcSCTP and Chrome use 256). */
export const DEFAULT_PRIORITY = 256;
/** Stream 65535 is reserved (RFC 8831 §6.5). */
export const MAX_STREAM_ID = 65534;
