/** Parameter type codes used by this stack (RFC 9260 §3.3.2.1, RFC 3758, RFC 5061, RFC 6525, RFC 9653). */
export const PARAM = {
  heartbeatInfo: 0x0001,
  ipv4: 0x0005,
  ipv6: 0x0006,
  stateCookie: 0x0007,
  unrecognized: 0x0008,
  cookiePreservative: 0x0009,
  hostName: 0x000b,
  supportedAddressTypes: 0x000c,
  outgoingReset: 0x000d,
  incomingReset: 0x000e,
  ssnTsnReset: 0x000f,
  reconfigResponse: 0x0010,
  addOutgoingStreams: 0x0011,
  addIncomingStreams: 0x0012,
  ecnCapable: 0x8000,
  zeroChecksum: 0x8001,
  random: 0x8002,
  chunkList: 0x8003,
  hmacAlgo: 0x8004,
  padding: 0x8005,
  supportedExtensions: 0x8008,
  forwardTsnSupported: 0xc000,
  adaptationLayer: 0xc006,
} as const;

/**
 * What to do with an unrecognised parameter, from its two high bits (RFC 9260 §3.2.1):
 * 00 stop processing the chunk's parameters; 01 stop and report; 10 skip; 11 skip and report.
 */
export type UnknownAction = 'stop' | 'stop-report' | 'skip' | 'skip-report';

export function unknownAction(type: number): UnknownAction {
  return actionFromBits(type >>> 14);
}

/** Maps the two high bits of a type (chunk or parameter) to its action. */
export function actionFromBits(bits: number): UnknownAction {
  return (['stop', 'stop-report', 'skip', 'skip-report'] as const)[bits & 3] as UnknownAction;
}
