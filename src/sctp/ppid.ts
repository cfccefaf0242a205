/** Payload protocol identifiers of WebRTC data channels (RFC 8831 §8, IANA). Passed through untouched. */
export const PPID_DCEP = 50;
export const PPID_STRING = 51;
export const PPID_STRING_PARTIAL = 52;
export const PPID_BINARY = 53;
export const PPID_BINARY_PARTIAL = 54;
export const PPID_EMPTY_STRING = 56;
export const PPID_EMPTY_BINARY = 57;
