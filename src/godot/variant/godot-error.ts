/**
 * The Godot `Error` values the Variant codec and PacketPeer helpers return (core/error/error_list.h).
 * Godot never throws: it returns one of these and prints a message.
 */
export const GodotError = {
  OK: 0,
  FAILED: 1,
  ERR_UNAVAILABLE: 2,
  ERR_UNCONFIGURED: 3,
  ERR_UNAUTHORIZED: 4,
  ERR_OUT_OF_MEMORY: 6,
  ERR_FILE_EOF: 18,
  ERR_INVALID_DATA: 30,
  ERR_INVALID_PARAMETER: 31,
  ERR_BUG: 47,
} as const;

export type GodotErrorCode = (typeof GodotError)[keyof typeof GodotError];
