/** Godot's WebRTCMultiplayerPeer and the MultiplayerPeer enums. */
export { WebRTCMultiplayerPeer } from './multiplayer-peer.js';
export type { MpChannel, MpConnection, MpPeerInfo, MultiplayerPeerSignals } from './multiplayer-peer.js';
export { TransferMode, ConnectionStatus, TARGET_PEER_BROADCAST, TARGET_PEER_SERVER } from './enums.js';
