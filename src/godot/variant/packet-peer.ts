import { decodeVariant } from './decode.js';
import { encodeVariant } from './encode.js';
import type { GodotErrorCode } from '../../facade/godot-errors.js';
import { GodotError } from '../../facade/godot-errors.js';
import type { Variant } from './types.js';

/**
 * PacketPeer `put_var` / `get_var` over anything with Godot's packet calls (core/io/packet_peer.cpp).
 * WebRTCDataChannel and WebRTCMultiplayerPeer both qualify.
 */
export interface PacketPeerLike {
  putPacket(data: Uint8Array): number;
  getPacket(): Uint8Array;
  getPacketError(): number;
}

/** PacketPeer.encode_buffer_max_size default: 8 MiB. */
export const DEFAULT_ENCODE_BUFFER_MAX_SIZE = 8 * 1024 * 1024;

/**
 * The value Godot's `set_encode_buffer_max_size` would store, or undefined when it refuses it
 * (below 1024 or above 256 MiB); accepted values are rounded up to a power of two.
 */
export function encodeBufferMaxSize(requested: number): number | undefined {
  if (!Number.isInteger(requested) || requested < 1024 || requested > 256 * 1024 * 1024) return undefined;
  let size = 1024;
  while (size < requested) size *= 2;
  return size;
}

/**
 * `put_var(var, full_objects)`: encodes and sends one packet. Larger than `maxSize` →
 * ERR_OUT_OF_MEMORY; an unencodable value → its encode error; otherwise the put_packet result.
 */
export function putVar(
  peer: PacketPeerLike,
  value: Variant,
  opts: { fullObjects?: boolean; maxSize?: number; doublePrecision?: boolean } = {},
): GodotErrorCode | number {
  const enc = encodeVariant(value, {
    fullObjects: opts.fullObjects ?? false,
    doublePrecision: opts.doublePrecision ?? false,
    maxSize: opts.maxSize ?? DEFAULT_ENCODE_BUFFER_MAX_SIZE,
  });
  if (!enc.ok) return enc.error;
  if (enc.bytes.length === 0) return GodotError.OK;
  return peer.putPacket(enc.bytes);
}

/**
 * `get_var(allow_objects)`: reads one packet and decodes it. `value` is null whenever `error` is not
 * OK (the packet error, or the decode error such as ERR_INVALID_DATA).
 */
export function getVar(
  peer: PacketPeerLike,
  opts: { allowObjects?: boolean } = {},
): { readonly error: GodotErrorCode | number; readonly value: Variant } {
  const packet = peer.getPacket();
  const err = peer.getPacketError();
  if (err !== GodotError.OK) return { error: err, value: null };
  const dec = decodeVariant(packet, { allowObjects: opts.allowObjects ?? false });
  return dec.ok ? { error: GodotError.OK, value: dec.value } : { error: dec.error, value: null };
}
