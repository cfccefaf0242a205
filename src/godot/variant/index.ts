/** Godot Variant binary encoding (var_to_bytes / bytes_to_var, PacketPeer put_var / get_var). */
export { decodeVariant, type DecodeOptions, type DecodeResult } from './decode.js';
export { encodeVariant, type EncodeOptions, type EncodeResult } from './encode.js';
export { GodotError, type GodotErrorCode } from '../../facade/godot-errors.js';
export {
  putVar, getVar, encodeBufferMaxSize, DEFAULT_ENCODE_BUFFER_MAX_SIZE, type PacketPeerLike,
} from './packet-peer.js';
export { VariantType, gdFloat, stringName, nodePath } from './types.js';
export type {
  Variant, GdFloat, GdStruct, GdStringName, GdNodePath, GdRid, GdObjectId, GdFullObject, GdCallable, GdSignal,
  GdTypedArray, GdTypedDictionary, GdPackedStringArray, GdPackedVectors, ContainerType, StructName,
} from './types.js';
