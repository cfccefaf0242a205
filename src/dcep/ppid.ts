/**
 * SCTP payload protocol identifiers for WebRTC (RFC 8831 §8, IANA "SCTP Payload Protocol
 * Identifiers"). An empty message is sent as one 0x00 byte with the "empty" PPID (RFC 8831 §6.6)
 * because SCTP cannot carry a zero-length user message.
 */
export const Ppid = {
  Dcep: 50,
  String: 51,
  /** Deprecated "WebRTC String Partial" (draft-era usrsctp peers); read as a string. */
  StringPartial: 52,
  Binary: 53,
  /** Deprecated "WebRTC Binary Partial"; read as binary. */
  BinaryPartial: 54,
  StringEmpty: 56,
  BinaryEmpty: 57,
} as const;

const EMPTY_PLACEHOLDER = Uint8Array.of(0);

/** PPID and wire payload for one user message. */
export function encodeUserMessage(data: Uint8Array, isString: boolean): { ppid: number; payload: Uint8Array } {
  if (data.length === 0) return { ppid: isString ? Ppid.StringEmpty : Ppid.BinaryEmpty, payload: EMPTY_PLACEHOLDER };
  return { ppid: isString ? Ppid.String : Ppid.Binary, payload: data };
}

/** The user message a PPID + payload carries, or undefined for a PPID that is not user data. */
export function decodeUserMessage(ppid: number, payload: Uint8Array): { data: Uint8Array; isString: boolean } | undefined {
  switch (ppid) {
    case Ppid.String:
    case Ppid.StringPartial:
      return { data: payload, isString: true };
    case Ppid.Binary:
    case Ppid.BinaryPartial:
      return { data: payload, isString: false };
    case Ppid.StringEmpty:
      return { data: new Uint8Array(0), isString: true };
    case Ppid.BinaryEmpty:
      return { data: new Uint8Array(0), isString: false };
    default:
      return undefined;
  }
}
