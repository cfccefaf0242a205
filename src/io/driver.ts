import { setImmediate } from 'node:timers';
import type { Datagram, SansIo } from '../core/types.js';
import { systemClock, type Clock } from './clock.js';
import { ShellTimer } from './timer.js';

const settled = Promise.resolve();

/** Where the driver puts datagrams and gets them from (UdpSocketSet, or anything with the same shape). */
export interface DatagramTransport {
  send(dg: Datagram): boolean;
  onMessage: ((dg: Datagram) => void) | undefined;
}

export interface DriverOptions<Ev> {
  readonly clock?: Clock;
  /** When given, the driver drains events itself and hands each here (for users without a poll loop). */
  readonly onEvent?: (ev: Ev) => void;
  /** Datagrams the transport could not send (no socket for `from`). */
  readonly onUnsent?: (dg: Datagram) => void;
  /**
   * Called after every pump the driver ran on its own: a received datagram, a timer expiry or a
   * `pumpSoon()` flush. Anything the core reports (events, buffered amounts) may have changed then;
   * a facade uses it to tell its user "poll now".
   */
  readonly onActivity?: () => void;
}

/**
 * Pumps one sans-IO core over a datagram transport with the system clock and ONE re-armed timer
 * (DEVELOPERS.md, driver rule): every received datagram goes to `core.handleDatagram(now, dg)`, every
 * timer expiry to `core.handleTimeout(now)`, and after them the driver drains `pollTransmit()` to the
 * transport and re-arms its timer at `pollTimeout()`. Call `pump()` after user calls on the core, or
 * `pumpSoon()` to drain once at the end of the current job instead (issue 6: many sends in one
 * event-loop turn leave as a few full packets, a lone send still leaves before the loop goes on).
 * Received datagrams are drained together once the event loop has read what the sockets had
 * (setImmediate, the check phase right after the poll phase that read them): a core that works
 * lazily (PeerStack) then answers a read batch with one SACK and one drain of its send queue.
 * Events stay in the core (the facade's poll() drains them) unless `onEvent` is given.
 */
export class Driver<Ev> {
  private readonly clock: Clock;
  private readonly timer: ShellTimer;
  private closed = false;
  private soon = false;
  private received = false;
  private readonly flushSoon = (): void => {
    this.soon = false;
    this.pumpAndReport();
  };
  private deferred = false;
  private readonly flushDeferred = (): void => {
    this.deferred = false;
    this.pumpAndReport();
  };
  private readonly flushReceived = (): void => {
    this.received = false;
    this.pumpAndReport();
  };

  constructor(
    readonly core: SansIo<Ev>,
    private readonly transport: DatagramTransport,
    private readonly opts: DriverOptions<Ev> = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.timer = new ShellTimer(this.clock, (now) => {
      if (this.closed) return;
      this.core.handleTimeout(now);
      this.pumpAndReport();
    });
    transport.onMessage = (dg) => this.receive(dg);
  }

  /** Feeds one received datagram; pumps once the event loop has read the rest of the batch. */
  receive(dg: Datagram): void {
    if (this.closed) return;
    this.core.handleDatagram(this.clock.now(), dg);
    if (this.received) return;
    this.received = true;
    setImmediate(this.flushReceived);
  }

  /** Drains transmits (and events when `onEvent` is set), then re-arms the timer. */
  pump(): void {
    if (this.closed) return;
    for (let dg = this.core.pollTransmit(); dg !== undefined; dg = this.core.pollTransmit()) {
      if (!this.transport.send(dg)) this.opts.onUnsent?.(dg);
    }
    if (this.opts.onEvent) for (let ev = this.core.pollEvent(); ev !== undefined; ev = this.core.pollEvent()) this.opts.onEvent(ev);
    this.core.prepare?.(this.clock.now());
    this.timer.set(this.core.pollTimeout());
  }

  /**
   * `pump()`, then report activity (onActivity): for work the shell finished asynchronously, outside
   * any user call (sockets bound, an mDNS answer, a TURN stream's bytes). Without the report, a user
   * waiting for a wake (setWakeCallback) would not poll for the candidates or data it produced.
   */
  wake(): void {
    this.pumpAndReport();
  }

  /**
   * What the core queued (a connectivity check, a description) now, the full `pump()` in the check
   * phase (setImmediate): after a user call that made a description, so the application gets it at
   * its next poll without waiting for the work the core deferred (issue 6 setup: the answerer's
   * DTLS endpoint, 0.2 to 0.3 ms of cold code in front of its answer). Cores without the queued
   * polls get `pump()`.
   */
  pumpQueuedFirst(): void {
    const core = this.core;
    if (this.closed) return;
    if (!core.pollQueuedTransmit || !core.pollQueuedEvent) return this.pump();
    for (let dg = core.pollQueuedTransmit(); dg !== undefined; dg = core.pollQueuedTransmit()) {
      if (!this.transport.send(dg)) this.opts.onUnsent?.(dg);
    }
    if (this.opts.onEvent) for (let ev = core.pollQueuedEvent(); ev !== undefined; ev = core.pollQueuedEvent()) this.opts.onEvent(ev);
    if (this.deferred) return;
    this.deferred = true;
    setImmediate(this.flushDeferred);
  }

  /** `pump()` once, at the end of the current job (a microtask); repeated calls before then are free. */
  pumpSoon(): void {
    if (this.soon || this.closed) return;
    this.soon = true;
    // a reaction on a settled promise runs in the same microtask queue as queueMicrotask, without
    // node's AsyncResource and bound function per call (issue 6: ~150 bytes less garbage per send;
    // an exception becomes an unhandled rejection, which node reports and exits on as before)
    void settled.then(this.flushSoon);
  }

  private pumpAndReport(): void {
    if (this.closed) return;
    this.pump();
    this.opts.onActivity?.();
  }

  /** Stops the timer and detaches from the transport (closing the sockets is the owner's job). */
  close(): void {
    this.closed = true;
    this.timer.cancel();
    this.transport.onMessage = undefined;
  }
}
