/**
 * DCEP (RFC 8832) and the data-channel registry (RFC 8831) over an SCTP association.
 *
 * Codec: `encodeDcepOpen`, `encodeDcepAck`, `decodeDcep` (ParseError `dcep.*`), `channelTypeFor`,
 * `reliabilityOf`, `ChannelType`; PPIDs in `Ppid`, `encodeUserMessage`/`decodeUserMessage`
 * (empty messages as one byte with PPID 56/57).
 *
 * `ChannelRegistry` (sans-IO; drives the `SctpChannelTransport` it is handed):
 *   create(now, init) → DataChannelState (UsageError on bad options)
 *   setRole('client'|'server')        DTLS role known (from a=setup): ids assigned, client even
 *   transportStarting(now, sctp, maxStreams?)  SctpEvent 'cookie-echoed': OPENs queued (they ride
 *                                     with the COOKIE-ECHO), channels still connecting
 *   transportReady(now, sctp, maxStreams?)  SCTP connected: OPENs sent (unless queued), channels open
 *   handleMessage(now, streamId, ppid, data)  every SctpEvent 'message'
 *   handleStreamReset(ids)            every SctpEvent 'stream-reset'
 *   transportClosed()                 SCTP closed/failed
 *   send(now, ch, data, isString) / close(now, ch) / bufferedAmount(ch)
 *   pollEvent(): 'open' | 'incoming' | 'message' | 'closed'
 */
export * from './messages.js';
export * from './ppid.js';
export * from './channel.js';
export * from './registry.js';
