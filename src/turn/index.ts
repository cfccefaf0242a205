/**
 * TURN client (RFC 8656), sans-IO; src/ice/relay.ts drives one per TURN server of an ICE agent.
 *
 * One `TurnClient` = one allocation on one TURN server from one local socket or stream. It is a
 * `SansIo<TurnEvent>`: feed it the datagrams that come FROM the server address (others are dropped
 * and counted), call handleTimeout at pollTimeout(), drain pollTransmit() (always from `local` to
 * `server`) and pollEvent().
 * ```ts
 * const turn = new TurnClient({ server, local, username, password, rng, crypto, transport: 'udp' });
 * turn.allocate(now);                    // 401 -> REALM/NONCE -> authenticated retry, 438 handled
 * // event {type:'allocated', relayed, mapped, lifetimeS}: `relayed` is the relay candidate
 * turn.createPermission(now, peer);      // per peer IP, refreshed every 240 s (before 300 s)
 * turn.bindChannel(now, peer);           // -> 0x4000.., refreshed every 540 s (before 600 s)
 * turn.send(now, peer, bytes);           // ChannelData once bound, else a Send indication
 * // event {type:'data', peer, data}     // from Data indications and ChannelData
 * turn.close(now);                       // Refresh LIFETIME=0, then state 'closed'
 * ```
 * Other events: `{type:'state', state}` (TURN_TRANSITIONS: idle, allocating, allocated, closing,
 * failed, closed), `{type:'failed', code, reason}` (the server's ERROR-CODE, e.g. 401 wrong
 * credentials, 437, 441, 442, 486, 508; code undefined = no response within 39.5 s),
 * `{type:'permission', peerIp, ok}` and `{type:'channel', peer, channel, ok}` (first success or a failure).
 * The allocation is refreshed `refreshMarginS` (60) before its lifetime ends; a failed refresh fails
 * the allocation. Requests are retransmitted over UDP (RFC 8489 §6.2.1) and sent once over TCP/TLS.
 *
 * Streams (TCP/TLS, turn:...?transport=tcp, turns:): the shell owns the connection; it feeds whole
 * messages cut by `StreamDeframer` ('turn' framing: STUN by its length, ChannelData padded to 4) and
 * writes each transmit as is (STUN is 4-aligned; ChannelData is padded when `transport` is not
 * 'udp'). `mode: 'rfc4571'` + `frameForStream(msg, 'rfc4571')` give the 2-byte length framing of
 * ICE-TCP (RFC 6544 §3).
 *
 * URLs: `parseTurnUrl('turn:h:3478?transport=tcp')` -> {host, port, transport, literal};
 * `parseIceServers([{ urls, username, credential }])` -> { urls: IceServerUrl[], problems: {url, reason}[] }
 * (stun: URLs through src/ice's parseStunUrl; never throws). The node:net/node:tls shell is src/io/turn-stream.ts;
 * src/io/ice-servers.ts resolves names and opens the streams per connection for the facade.
 */
export { TurnClient } from './client.js';
export { resolveTurnClientOptions, TURN_TRANSITIONS } from './options.js';
export type { ResolvedTurnClientOptions, TurnClientOptions, TurnEvent, TurnState, TurnStats } from './options.js';
export { decodeChannelData, encodeChannelData, isValidChannel, MAX_CHANNEL, MIN_CHANNEL } from './channel-data.js';
export type { ChannelData } from './channel-data.js';
export { StreamDeframer, frameForStream } from './stream-framing.js';
export type { StreamFraming } from './stream-framing.js';
export { parseTurnUrl, parseIceServers, MAX_ICE_SERVER_URLS } from './url.js';
export type { TurnUrl, TurnTransport, IceServerInput, IceServerUrl, IceServerProblem } from './url.js';
