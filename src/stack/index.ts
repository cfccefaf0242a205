/**
 * PeerStack: ICE → demux → DTLS → SCTP → DCEP plus JSEP negotiation, as one sans-IO core
 * (`SansIo<StackEvent>`). Build it from `StackLayers` (ports.ts: the ICE agent, DTLS factory and
 * SCTP factory). The real ones: `realLayers({ rng, crypto, dtls: dtlsFactory({ rng, crypto:
 * nodeDtlsCrypto }), stunServers?, includeLoopback?, ice?, sctp? })`.
 *
 *   new PeerStack(layers, { rng, logger?, maxMessageSize?, sctpPort?, maxStreams? })
 *   addLocalAddress(now, addr) · createDataChannel(now, init) · createOffer(now) → sdp
 *   setRemoteDescription(now, type, sdp)   (offer → answer emitted as 'local-description')
 *   addIceCandidate(now, line | '') → boolean · send(now, ch, data, isString) · closeChannel · close
 *   handleDatagram / handleTimeout / pollTransmit / pollEvent / pollTimeout (driver rule)
 *   signalingState · gatheringState · connectionState · remoteMaxMessageSize · registry
 * Errors: ParseError (bad remote SDP) and UsageError (wrong state/options) are thrown by user calls
 * only; remote bad input never throws out of handleDatagram.
 */
export { PeerStack } from './peer-stack.js';
export type { StackEvent, PeerStackOptions, GatheringStateName } from './peer-stack.js';
export { derivePeerConnectionState } from './connection-state.js';
export { realLayers, IceAgentPort } from './layers.js';
export type { RealLayerOptions } from './layers.js';
export { dtlsFactory } from './dtls-binding.js';
export type { DtlsBindingOptions } from './dtls-binding.js';
export type { PeerConnectionState, DtlsTransportState } from './connection-state.js';
export type * from './ports.js';
