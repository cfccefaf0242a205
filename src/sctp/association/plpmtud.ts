/**
 * Packetization Layer Path MTU Discovery for SCTP over DTLS (RFC 8899 §5, SCTP binding §6.2.1):
 * the packet size starts at BASE_PLPMTU (the `mtu` option, 1200) and is raised only when a probe of
 * the larger size was acknowledged. A probe is a packet of exactly the probed size holding a HEARTBEAT
 * (its info names the size) and a PAD chunk (RFC 4820); it is not DATA, so it counts neither in the
 * flight nor for congestion control, and losing it costs nothing but the probe.
 *
 * Search (bounded): double the confirmed size up to the cap; after the first size that fails
 * (MAX_PROBES probes without an answer) bisect between the largest confirmed and the smallest failed
 * size until the gap is under `minStep`. Then SEARCH_COMPLETE, and a new search after `raiseInterval`
 * (PMTU_RAISE_TIMER) or when the cap rises. Black hole (`onBlackHole`, from repeated T3-rtx expiries
 * at a size above the base): back to the base size at once, then a new search below the size that
 * failed. A peer that drops or ignores the probes keeps us at the base size.
 *
 * The cap is min(`maxPacketSize`, the path's cap from the binding, `setCap`): Node cannot set the IP
 * DF bit, so a large probe may be IP-fragmented and still "succeed"; the cap is what keeps
 * non-loopback paths at Ethernet size (see src/stack/layers.ts).
 *
 * Sizes above EAGER_MAX (one standard DTLS record; only rtcpeer peers on loopback go further) are
 * searched on demand: once a packet of the size in use left full with more data queued behind it
 * (`onDemand`). A connection that never moves bulk data then never sends 64 KB probes: with 1,000
 * idle connections they cost 20 KiB of RSS and 0.2 ms each (issue 6, `many`).
 */
export type PlpmtudState = 'disabled' | 'searching' | 'complete';

export interface PlpmtudConfig {
  readonly enabled: boolean;
  /** BASE_PLPMTU: the size used until a probe confirms more (and after a black hole). */
  readonly base: number;
  /** Upper bound of the search (maxPacketSize). */
  readonly max: number;
  /** Time to wait for a probe's HEARTBEAT-ACK before resending or giving up on the size. */
  readonly probeTimeout: number;
  /** MAX_PROBES: probes of one size before it counts as failed. */
  readonly maxProbes: number;
  /** PMTU_RAISE_TIMER: a new search this long after one completed. */
  readonly raiseInterval: number;
  /** The search ends when the untested range is narrower than this. */
  readonly minStep: number;
}

/** One probe to send: its total packet size and the sequence number its HEARTBEAT info carries. */
export interface Probe {
  readonly size: number;
  readonly seq: number;
}

const align4 = (n: number): number => n & ~3;

/** Largest size searched without demand (see above): the 2^14 plaintext of a standard DTLS record. */
export const EAGER_MAX = 16384;

export class Plpmtud {
  state: PlpmtudState;
  /** The packet size in use (PLPMTU). */
  size: number;
  /** When onTimeout wants to run (probe timeout or raise timer). */
  deadline: number | undefined;
  private cap: number;
  /** Searches go up to min(cap, ceiling): EAGER_MAX until onDemand lifts it to the cap. */
  private ceiling = EAGER_MAX;
  /** The path's MTU cannot shrink below what a probe confirmed (see fragmentSize). */
  private stable = false;
  /** Largest size confirmed; smallest size known to fail minus 4 (upper end of the search). */
  private lo: number;
  private hi: number;
  /** Bisecting (a size failed in this search) rather than doubling. */
  private bisect = false;
  private probing: number | undefined;
  private sent = 0;
  private seq = 0;
  /** A probe is due (as probeDue). Public for the poll of every packet (a read, not a call); never assign it outside. */
  due = false;
  /** Counters for observability. */
  probesSent = 0;
  blackHoles = 0;

  constructor(private readonly cfg: PlpmtudConfig) {
    this.state = 'disabled';
    this.size = cfg.base;
    this.cap = this.capped(cfg.max);
    this.lo = this.hi = cfg.base;
  }

  /**
   * The packet size new DATA fragments are cut for. SCTP cannot re-fragment a chunk once it has a TSN,
   * so where the MTU may shrink (a real network: a black hole sends us back to the base size)
   * fragments stay cut for the base size and still fit after that. Only on a path the binding calls
   * stable (`setCap(..., true)`: loopback) do they grow with the PLPMTU: a 16 KiB message then
   * travels as 2 chunks instead of 14 (issue 6, bulk: a chunk object, a TSN and a reassembly step each).
   */
  get fragmentSize(): number {
    return this.stable ? this.size : this.cfg.base;
  }

  private capped(pathCap: number): number {
    return Math.max(this.cfg.base, align4(Math.min(this.cfg.max, pathCap)));
  }

  /**
   * The association is established: start searching (RFC 8899 §5.2: BASE is confirmed by the
   * handshake), after `delay` ms when given: the first probes then do not queue in front of what the
   * application sends first (a data channel's OPEN and ACK), which delayed "open" by 3-5 ms on loopback.
   * Until then the search counts as complete at BASE (the raise timer starts it).
   */
  start(now: number, delay = 0): void {
    if (!this.cfg.enabled || this.state !== 'disabled') return;
    if (delay <= 0) return this.search(now, this.top, false);
    this.state = 'complete';
    this.deadline = now + delay;
  }

  /**
   * The path's cap changed (new selected pair). A lower cap applies at once; a higher one starts a
   * search. `stable`: the path's MTU cannot shrink (loopback), so fragments may be cut to the PLPMTU.
   */
  setCap(now: number, pathCap: number, stable = false): void {
    this.stable = stable;
    const cap = this.capped(pathCap);
    if (cap === this.cap) return;
    const rising = cap > this.cap;
    this.cap = cap;
    if (this.state === 'disabled') return;
    if (this.size > cap) this.size = this.lo = cap;
    if (rising || (this.probing !== undefined && this.probing > cap)) this.search(now, this.top, false);
    else this.hi = Math.min(this.hi, cap);
  }

  /** Upper end of a search: the cap, or less until there is demand for more. */
  private get top(): number {
    return Math.min(this.cap, this.ceiling);
  }

  /**
   * A packet of the current size left full and more data waits: if the cap allows sizes not yet
   * searched for want of demand, search up to the cap now (at most once; cheap to call per packet).
   */
  onDemand(now: number): void {
    if (this.ceiling >= this.cap || this.state !== 'complete' || this.size < this.top) return;
    this.ceiling = this.cap;
    this.search(now, this.cap, false);
  }

  private search(now: number, hi: number, bisect: boolean): void {
    this.lo = this.size;
    this.hi = hi;
    this.bisect = bisect;
    this.next(now);
  }

  /** Picks the next size to probe, or completes the search. */
  private next(now: number): void {
    this.sent = 0;
    if (this.hi - this.lo < Math.max(4, this.bisect ? this.cfg.minStep : 4)) {
      this.state = 'complete';
      this.probing = undefined;
      this.due = false;
      this.deadline = now + this.cfg.raiseInterval;
      return;
    }
    this.state = 'searching';
    this.probing = this.bisect ? align4((this.lo + this.hi) / 2) : Math.min(this.hi, align4(this.lo * 2));
    this.due = true;
    this.deadline = undefined;
  }

  /** A probe packet to send now, if one is due (the caller builds it at exactly `size` bytes). */
  takeProbe(now: number): Probe | undefined {
    if (!this.due || this.probing === undefined) return undefined;
    this.due = false;
    this.sent++;
    this.probesSent++;
    this.deadline = now + this.cfg.probeTimeout;
    return { size: this.probing, seq: ++this.seq };
  }

  get probeDue(): boolean {
    return this.due;
  }

  /** A HEARTBEAT-ACK for a probe: that size crossed the path (any probe of it proves it). */
  onProbeAck(now: number, size: number): void {
    if (this.state !== 'searching' || this.probing === undefined || size < this.probing || size > this.cap) return;
    this.size = this.lo = this.probing;
    this.next(now);
  }

  onTimeout(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    this.deadline = undefined;
    if (this.state === 'complete') {
      this.search(now, this.top, false); // PMTU_RAISE_TIMER (or the delayed start): look for more again
      return;
    }
    if (this.probing === undefined) return;
    if (this.sent < this.cfg.maxProbes) {
      this.due = true;
      return;
    }
    // MAX_PROBES without an answer: this size does not pass; look below it
    this.hi = this.probing - 4;
    this.bisect = true;
    this.next(now);
  }

  /**
   * Packets of the current size are not getting through (RFC 8899 §4.3 black hole): back to the base
   * size, then search again below the size that failed.
   */
  onBlackHole(now: number): void {
    if (this.state === 'disabled' || this.size <= this.cfg.base) return;
    this.blackHoles++;
    const failed = this.size;
    this.size = this.cfg.base;
    this.search(now, failed - 4, true);
  }
}
