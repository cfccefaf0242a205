/** Events of an SCTP association, drained with `pollEvent()`. */
export type SctpEvent =
  /** The association is up; `send()` data now flows. */
  | { readonly type: 'connected' }
  /** The peer answered our INIT: messages sent now ride with our COOKIE-ECHO (RFC 9260 §5.1 C) and
   * reach the peer one round trip before 'connected' lets anything else go. 'connected' follows. */
  | { readonly type: 'cookie-echoed' }
  /** One whole message (never a part). `data` is owned by the receiver. */
  | { readonly type: 'message'; readonly streamId: number; readonly ppid: number; readonly data: Uint8Array }
  /** The peer reset its outgoing direction of these streams (a data channel closing from the far end);
   * our reciprocal reset is already under way. */
  | { readonly type: 'stream-closing'; readonly streamIds: readonly number[] }
  /** Both directions of these streams are reset: the ids may be reused. */
  | { readonly type: 'stream-reset'; readonly streamIds: readonly number[] }
  /** bufferedAmount(streamId) fell to (or below) its threshold. */
  | { readonly type: 'buffered-amount-low'; readonly streamId: number }
  /** The association ended: graceful SHUTDOWN, ABORT from either side, or a setup failure. */
  | { readonly type: 'closed'; readonly reason: string; readonly error: boolean };
