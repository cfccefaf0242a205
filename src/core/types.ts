/**
 * The core contract shared by every protocol layer and by their composition (sans-IO, after str0m and h11).
 *
 * A core never reads a clock, a socket, a timer or ambient randomness. The caller feeds it time,
 * datagrams and user calls, then drains what it produced:
 *
 *   after ANY mutating call (handleDatagram, handleTimeout, or a user call such as send()):
 *     drain pollTransmit() until undefined, drain pollEvent() until undefined, then read pollTimeout()
 *     and arrange to call handleTimeout(now) no later than that instant.
 */

/** Monotonic milliseconds supplied by the caller. Fractions are allowed. */
export type Millis = number;

/** A transport address. `address` is a literal IPv4/IPv6 address (or an mDNS name where stated). */
export interface Addr {
  readonly address: string;
  readonly port: number;
}

/** One UDP payload with its endpoints. For transmits `from` names the local socket to send from. */
export interface Datagram {
  readonly from: Addr;
  readonly to: Addr;
  readonly data: Uint8Array;
}

/** The five verbs every sans-IO core exposes. */
export interface SansIo<Ev> {
  /** Feed one received datagram. Never throws for bad remote input: it is dropped and counted. */
  handleDatagram(now: Millis, dg: Datagram): void;
  /** Fire every deadline that is due at `now`. */
  handleTimeout(now: Millis): void;
  /** Next datagram to put on the wire, or undefined when none is queued. */
  pollTransmit(): Datagram | undefined;
  /** Next event for the layer above, or undefined. */
  pollEvent(): Ev | undefined;
  /** Earliest instant at which handleTimeout must be called, or undefined when nothing is armed. */
  pollTimeout(): Millis | undefined;
  /**
   * Optional: work the core can do ahead, called by a shell once the datagrams it drained are on the
   * wire (while the peer answers them). Queues no datagram and no event.
   */
  prepare?(now: Millis): void;
  /**
   * Optional: the datagrams and events the core has queued already, without the work it deferred to
   * its next poll (PeerStack: the DTLS endpoint and state after `setRemoteDescription`). A shell that
   * drains these first and the rest a little later (Driver.pumpQueuedFirst) hands a description to the
   * application before that work.
   */
  pollQueuedTransmit?(): Datagram | undefined;
  pollQueuedEvent?(): Ev | undefined;
}

/** True for IPv6 literals (they contain a colon). */
export function isIPv6(address: string): boolean {
  return address.includes(':');
}

/** A stable map key for an address: `1.2.3.4:5` or `[::1]:5`. */
export function addrKey(a: Addr): string {
  return isIPv6(a.address) ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/** Structural equality of two addresses. */
export function sameAddr(a: Addr, b: Addr): boolean {
  return a.port === b.port && a.address === b.address;
}

/** Exhaustiveness guard for `switch` over discriminated unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${String(x)}`);
}

/**
 * The same contract for layers stacked over a single path (DTLS over ICE, SCTP over DTLS): they move
 * byte strings without addresses. `pollTransmit()` yields what goes DOWN to the layer below.
 */
export interface SansIoLayer<Ev> {
  handleInput(now: Millis, data: Uint8Array): void;
  handleTimeout(now: Millis): void;
  pollTransmit(): Uint8Array | undefined;
  pollEvent(): Ev | undefined;
  pollTimeout(): Millis | undefined;
}
