/**
 * MultiplayerPeer enums and constants with Godot's numeric values (godot-api.md §1.2; Godot 4
 * core/io/multiplayer_peer.h) and WebRTCMultiplayerPeer's reserved channels.
 */
export const TransferMode = {
  TRANSFER_MODE_UNRELIABLE: 0,
  TRANSFER_MODE_UNRELIABLE_ORDERED: 1,
  TRANSFER_MODE_RELIABLE: 2,
} as const;
export type TransferMode = (typeof TransferMode)[keyof typeof TransferMode];

export const ConnectionStatus = {
  CONNECTION_DISCONNECTED: 0,
  CONNECTION_CONNECTING: 1,
  CONNECTION_CONNECTED: 2,
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

export const TARGET_PEER_BROADCAST = 0;
export const TARGET_PEER_SERVER = 1;

/** Reserved channel indices (webrtc_multiplayer_peer.h CH_RELIABLE, CH_ORDERED, CH_UNRELIABLE). */
export const CH_RELIABLE = 0;
export const CH_ORDERED = 1;
export const CH_UNRELIABLE = 2;
export const CH_RESERVED_MAX = 3;

/** Highest peer id: `~(1 << 31)` as Godot writes it. */
export const MAX_PEER_ID = 0x7fff_ffff;

export function isTransferMode(v: unknown): v is TransferMode {
  return v === 0 || v === 1 || v === 2;
}
