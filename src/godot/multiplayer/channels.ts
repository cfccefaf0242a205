import {
  CH_ORDERED, CH_RELIABLE, CH_RESERVED_MAX, CH_UNRELIABLE, TransferMode, isTransferMode,
} from './enums.js';

/**
 * Data channel layout of WebRTCMultiplayerPeer (modules/webrtc/webrtc_multiplayer_peer.cpp): three
 * pre-negotiated channels per peer, then one per `channels_config` entry.
 *
 *   index  id  label         options
 *   0      1   "reliable"    negotiated, ordered
 *   1      2   "ordered"     negotiated, ordered,   max packet lifetime = unreliable_lifetime
 *   2      3   "unreliable"  negotiated, unordered, max packet lifetime = unreliable_lifetime
 *   3+i    4+i "<id>"        per channels_config[i]: RELIABLE / UNRELIABLE_ORDERED / UNRELIABLE
 *
 * Godot writes the lifetime under `maxPacketLifetime` (lower-case t) which neither back end reads, so
 * its "ordered" and "unreliable" channels are in fact reliable. We write `maxPacketLifeTime`, the key
 * the back ends read: these channels really are partially reliable (godot-api.md §0.4).
 */
export type ChannelOptions = Readonly<Record<string, unknown>>;

export interface ChannelPlan {
  /** Options of the extra channels, in order (label = String(id)). */
  readonly extra: readonly ChannelOptions[];
  /** Transfer mode of every channel index (3 reserved + extras), for get_packet_mode(). */
  readonly modes: readonly TransferMode[];
}

const LIFETIME_KEY = 'maxPacketLifeTime';

function optionsFor(id: number, mode: TransferMode, lifetime: number): ChannelOptions {
  const base = { id, negotiated: true, ordered: true };
  if (mode === TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED) return { ...base, [LIFETIME_KEY]: lifetime };
  if (mode === TransferMode.TRANSFER_MODE_UNRELIABLE) return { ...base, ordered: false, [LIFETIME_KEY]: lifetime };
  return base;
}

/** Checks `channels_config` (Godot: only TransferMode ints) and plans the extra channels. */
export function planChannels(channelsConfig: readonly unknown[]): ChannelPlan | string {
  const modes: TransferMode[] = [
    TransferMode.TRANSFER_MODE_RELIABLE, TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED, TransferMode.TRANSFER_MODE_UNRELIABLE,
  ];
  const extra: ChannelOptions[] = [];
  for (const [i, mode] of channelsConfig.entries()) {
    if (!isTransferMode(mode)) {
      return `The 'channels_config' array must contain only enum values from 'MultiplayerPeer.TransferMode'. Got: ${String(mode)}`;
    }
    extra.push(optionsFor(CH_RESERVED_MAX + i + 1, mode, 1));
    modes.push(mode);
  }
  return { extra, modes };
}

/** The three reserved channels, with their labels, for `add_peer(…, unreliable_lifetime)`. */
export function reservedChannels(unreliableLifetime: number): readonly (readonly [string, ChannelOptions])[] {
  return [
    ['reliable', optionsFor(1, TransferMode.TRANSFER_MODE_RELIABLE, unreliableLifetime)],
    ['ordered', optionsFor(2, TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED, unreliableLifetime)],
    ['unreliable', optionsFor(3, TransferMode.TRANSFER_MODE_UNRELIABLE, unreliableLifetime)],
  ];
}

/** Channel index for put_packet: transfer_channel 0 picks by mode, n > 0 is index n + 2. */
export function sendChannelIndex(transferChannel: number, mode: TransferMode): number {
  if (transferChannel !== 0) return transferChannel + CH_RESERVED_MAX - 1;
  if (mode === TransferMode.TRANSFER_MODE_UNRELIABLE_ORDERED) return CH_ORDERED;
  if (mode === TransferMode.TRANSFER_MODE_UNRELIABLE) return CH_UNRELIABLE;
  return CH_RELIABLE;
}

/** get_packet_channel(): 0 for the reserved channels, else `index - 3 + 1`. */
export function packetChannelOf(index: number): number {
  return index < CH_RESERVED_MAX ? 0 : index - CH_RESERVED_MAX + 1;
}
