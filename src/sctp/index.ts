/**
 * SCTP over DTLS for WebRTC data channels (RFC 9260, RFC 8261, RFC 3758, RFC 6525, RFC 9653), sans-IO.
 *
 * ## API (for the DCEP / data-channel layer)
 *
 * ```ts
 * const sctp = new SctpAssociation({ rng, crypto, localPort, remotePort, remoteMaxMessageSize, ... });
 * sctp.connect(now);                          // call on BOTH sides once DTLS is connected
 * SctpAssociation.snapInit(opts)              // SNAP: our INIT for a=sctp-init; with the peer's as
 *                                             // `snap: { local, remote }`, connect() establishes at once
 * dtls 'data' event     -> sctp.handleInput(now, bytes)     // one SCTP packet per DTLS record
 * sctp.pollTransmit()   -> dtls.send(now, packet)           // drain until undefined
 * sctp.pollEvent()      -> SctpEvent                        // drain until undefined
 * sctp.pollTimeout()    -> call sctp.handleTimeout(t) at t
 * sctp.send(now, streamId, ppid, data, { unordered?, maxRetransmits?, maxPacketLifeTime? })
 * sctp.resetStream(now, streamId)             // close a channel: outgoing reset; the peer's reset follows
 * sctp.bufferedAmount(streamId) / sctp.setBufferedAmountLowThreshold(streamId, bytes)
 * sctp.shutdown(now) / sctp.abort(now, reason?)
 * sctp.maxStreams, sctp.state, sctp.stats
 * ```
 *
 * Events (`SctpEvent`): `connected`; `message {streamId, ppid, data}` (whole messages only; `data`
 * belongs to the receiver, and may be a view of the DTLS record it arrived in); `stream-closing {streamIds}` (the peer reset its outgoing direction, our
 * reciprocal reset is already queued: the channel is closing); `stream-reset {streamIds}` (both
 * directions reset, the id is free again); `buffered-amount-low {streamId}`; `closed {reason, error}`.
 *
 * Contract details:
 * - `handleInput()` takes ownership of its buffer: messages delivered from it may be views into it
 *   (no copy for single-chunk messages), so the caller must not reuse it. DTLS plaintext is fresh.
 * - `send()` does not copy `data`: the caller must not modify it afterwards. It throws `UsageError`
 *   (`sctp.send.closed|stream|stream-closing|empty|too-large|options|buffer-full`). Empty messages do
 *   not exist in SCTP: the channel layer sends one byte with PPID 56/57 (RFC 8831 §6.6) and maps back;
 *   PPIDs are passed through untouched both ways (50 DCEP, 51/53, 52/54 partial, 56/57 empty).
 * - DCEP messages must be sent reliable and ordered even on PR channels (pion/sctp#138): pass no
 *   maxRetransmits/maxPacketLifeTime/unordered for them.
 * - `resetStream()` waits until the stream's queued messages have been given TSNs, then sends the
 *   request (retransmitted until answered). A stream id may be reused after 'stream-reset'.
 * - Limits (see `SctpOptions`): receive window 1 MiB (peer data beyond it is dropped, except the next
 *   in-sequence chunk); a peer that makes us hold twice the window (a message far beyond our
 *   `maxMessageSize`, 256 KiB) is aborted with "protocol violation"; send buffer 16 MiB
 *   (`sctp.send.buffer-full`); in flight at most min(cwnd, peer window).
 * - Packet size (RFC 8899 PLPMTUD, `plpmtud`, default on): packets start at `mtu` (1200) and DATA
 *   chunks are cut to fit that base size (a chunk cannot be re-fragmented after a black hole), except
 *   on a path the binding calls stable (`setPathMaxPacketSize(n, true)`: loopback), where they are cut
 *   to the packet size in use; a chunk too large for a cap that fell is sent again alone. Towards a peer that lists PAD (0x84) in its Supported
 *   Extensions (rtcpeer does) HEARTBEAT + PAD probes raise the packet size, doubling, up to
 *   min(`maxPacketSize` 16384, the path cap from `setPathMaxPacketSize`), so one packet bundles many
 *   chunks; a size that fails 3 probes is bisected; 2 T3 expiries in a row at a raised size fall back
 *   to `mtu` (black hole). Peers that do not list PAD (browsers, usrsctp, werift) get `mtu` packets.
 * - `pollTransmit()` packets are owned by the caller unless `ownedTransmits: false` (src/stack sets it:
 *   its DTLS seals each packet at once), where DATA/SACK packets are a view of a reused buffer valid
 *   until the next call into the association.
 * - New DATA with data in flight waits for the next SACK while the open window is smaller than the
 *   queue, the packet's room and half the window (silly window avoidance), unless loss is reported.
 *   `sctp.setPathMaxPacketSize(n, stable?)`, `sctp.packetSize`.
 * - Zero checksum: we announce acceptance (EDMID DTLS); we send checksum 0 only when the peer
 *   announced it (`zeroChecksumToPeer`); INIT and COOKIE-ECHO always carry the CRC.
 * - Chosen timers: RTO 500 ms initial, 400 ms min, 60 s max, backoff capped at 3 s; delayed SACK
 *   20 ms or every 2nd packet; heartbeat after 30 s idle; no abort on retransmission count.
 * - Not implemented: I-DATA / interleaving (RFC 8260, off in Chrome too), association restart (the
 *   §5.2.4 tie-tag cases A/B are discarded: tags are fixed per association), ASCONF/AUTH, Max.Burst
 *   pacing, SSN/TSN reset and add-streams requests (answered "denied").
 */
export { SctpAssociation, type SendOptions } from './association/index.js';
export type { SctpEvent } from './association/events.js';
export { resolveSctpOptions, type SctpOptions, type ResolvedSctpOptions } from './association/options.js';
export { PPID_EMPTY_BINARY, PPID_EMPTY_STRING } from './ppid.js';
export { decodeSnapInit, encodeSnapInit, isSnapInit, MAX_SNAP_INIT_BYTES } from './association/snap.js';
