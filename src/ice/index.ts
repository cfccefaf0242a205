/**
 * ICE (RFC 8445 full agent, trickle RFC 8838/8840, consent freshness RFC 7675, grammar RFC 8839).
 *
 * ## IceAgent (sans-IO: `SansIo<IceEvent>`, driver rule of src/core/types.ts)
 * ```ts
 * const ice = new IceAgent({ rng, crypto, controlling: true, stunServers: [{ address, port }], logger });
 * ice.addLocalAddress(now, { address: '192.0.2.5', port: 50000 }); // one per bound UDP socket (IPv4/IPv6)
 * ice.gather(now);                            // -> 'candidate' events (host now, srflx later), 'gathering-complete'
 * ice.setRemoteCredentials(now, ufrag, pwd);  // from the remote description
 * ice.addRemoteCandidate(now, 'candidate:…'); // or a Candidate -> 'added'|'known'|'tcp'|'unresolved'|'component'|'ufrag'|'full'|'closed'
 * ice.addRemoteCandidateLine(now, line);      // the same, never throws: false only when unparsable, full or closed
 * ice.endOfRemoteCandidates(now);
 * ice.send(now, dtlsRecord);                  // selected pair, else best valid pair, else waits (16) for one;
 *                                             // false when closed / failed / consent expired
 * ice.restart(now);                           // new ufrag/pwd (read ice.localUfrag / ice.localPwd), re-gathers;
 *                                             // a no-op while a restart already waits for the peer's credentials
 * ice.close(now);
 * ```
 * Options (`IceAgentOptions`, defaults in options.ts): `rng`, `crypto` (required), `controlling`
 * (default false), `localUfrag`/`localPwd` (generated), `tieBreaker` (random u64), `stunServers`
 * (resolved addresses: `parseStunUrl` gives host/port, the shell resolves names), `includeLoopback`
 * (false), `checkPacingMs` (Ta 50), `checkRetransmit`, `gatherRetransmit`, `consentIntervalMinMs`/
 * `MaxMs` (4000/6000), `disconnectedAfterMs` (8000), `consentExpiryMs` (30000), `nominationDelayMs`,
 * `failIdleMs` (5000), caps `maxRemoteCandidates` (64), `maxPairs` (100), `maxLocalAddresses` (16),
 * `maxEarlyChecks` (16).
 *
 * Events (`IceEvent`): `{type:'candidate', candidate}` (format with `formatCandidate`),
 * `{type:'gathering-complete'}` (again after each restart), `{type:'state', state}` (new, checking,
 * connected, completed, disconnected, failed, closed: ICE_TRANSITIONS), `{type:'selected-pair',
 * local, remote}`, `{type:'data', data, from}` (a DTLS datagram, first byte 20–63, from a remote
 * address that passed an authenticated check; every other non-STUN byte range is dropped and counted).
 *
 * Behaviour: host candidates from `addLocalAddress`, srflx from STUN servers; peer-reflexive in both
 * directions; early checks answered and replayed once credentials arrive (DTLS from their source is
 * surfaced at once); controlling = regular nomination (USE-CANDIDATE also in consent checks), a host
 * pair nominated with the success that validated it; controlled = selects its first succeeded pair
 * until the peer nominates (as libwebrtc), then follows the LATEST nomination (Chrome re-nomination,
 * aggressive nomination); 487 role conflicts both ways; every authenticated Binding
 * request answered until close(); consent every 4–6 s, disconnected after 8 s of silence, failed at
 * 30 s (RFC 7675), recovery when traffic returns; restart keeps the old selected pair (and its
 * credentials) until a new one is selected. A peer restart (setRemoteCredentials with new values)
 * restarts the agent itself when restart() was not called first.
 *
 * Timers: the first check on a new pair leaves at once (deadlines due at a call's instant run when
 * the shell drains pollTransmit), then one every Ta; checks RTO 500 ms doubling to 1600 ms, 7
 * requests (a pair fails 9.9 s after its first check); STUN servers RTO 500 ms, 6 requests, gathering done at 23.5 s at worst; with nothing left
 * to check, `failed` at once after the peer's end-of-candidates, else after failIdleMs.
 *
 * TURN (relay.ts, RFC 8656 through src/turn's TurnClient): `turnServers: [{ server, username,
 * credential, transport?, local?, url? }]` (resolved; `parseIceServers` in src/turn turns Godot's
 * `iceServers` into them; for tcp/tls the shell opens the stream and passes its local address as
 * `local`, and routes transmits `from` that address into the stream). One allocation per server from
 * the first bound socket of its family; the relayed address becomes a `relay` candidate (base = the
 * relayed address), checks and data from it go through the server (CreatePermission + ChannelBind per
 * remote address, Send indications until bound, ChannelData after), Binding-indication keepalives
 * every 15 s, refreshes by the TurnClient, Refresh 0 on close(). `iceTransportPolicy: 'relay'` = no
 * host/srflx candidates, no STUN-server requests, and any non-TURN transmit or datagram is dropped
 * (`policyStats`). `gathering-complete` waits for allocations up to `relayGatherTimeoutMs` (10000).
 * `relayStatus`: per server `{ url, transport, state, relayed?, error?: { code, reason } }` (the
 * reason says what to fix: wrong credentials, unreachable, unsupported transport...), also logged.
 *
 * mDNS (mdns-remote.ts): with `resolveMdns: (name, deliver) => ...` (the shell: src/io/mdns.ts
 * `NodeMdns.resolve`), a remote `.local` candidate returns 'unresolved' at once and is added, once per
 * resolved address, when `deliver(now, addresses)` is called (then pump); `deliver(now, undefined)`
 * drops it (prflx still rescues). `mdnsStats` = { resolved, unresolved, dropped }.
 *
 * Read-only: `state`, `gatheringState`, `role`, `selectedPair`, `localUfrag`, `localPwd`,
 * `remoteCredentials`, `localCandidates`, `remoteCandidates`, `stats` (drop counters), `tieBreaker`.
 */
export { IceAgent } from './ice-agent.js';
export type { IceEvent, IceStats, Credentials } from './context.js';
export type { IceAgentOptions, ResolvedIceAgentOptions } from './options.js';
export { resolveIceAgentOptions } from './options.js';
export type { Candidate, CandidateType, CandidateTransport, TcpType } from './candidate.js';
export { candidatePriority, pairPriority, computeFoundation, candidateExtension, isMdnsName, TYPE_PREFERENCE } from './candidate.js';
export { parseCandidate, tryParseCandidate, formatCandidate, CANDIDATE_LIMITS } from './candidate-grammar.js';
export { ICE_TRANSITIONS } from './state.js';
export type { IceConnectionState } from './state.js';
export type { RemoteCandidateResult } from './remote.js';
export { parseStunUrl } from './stun-url.js';
export type { RelayStatus, TurnServerConfig, TurnTuning } from './relay.js';
export type { MdnsLookup } from './mdns-remote.js';
export type { StunUrl } from './stun-url.js';
