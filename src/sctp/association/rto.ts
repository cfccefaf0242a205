/**
 * Retransmission timeout per RFC 6298 (RFC 9260 §6.3.1), with bounded backoff.
 *
 * Chosen values (protocol.md 2.3): initial 500 ms as Chrome's dcSCTP (RFC 9260, usrsctp and pion use
 * 1 s; a lost INIT then costs half as much setup time); min 400 ms as Chrome (RFC 9260 says 1 s, which is slow on today's paths; usrsctp's 200 ms causes
 * spurious retransmits on jittery links); max 60 s. A backed-off timer never exceeds
 * max(rto, maxTimerBackoff = 3 s), as Chrome does, so recovery after a long outage is quick.
 */
export class Rto {
  private srtt: number | undefined;
  private rttvar = 0;
  private current: number;

  constructor(private readonly initial: number, private readonly min: number, private readonly max: number, private readonly maxBackoff: number) {
    this.current = initial;
  }

  /** The current RTO in ms. */
  get value(): number {
    return this.current;
  }

  /** Smoothed RTT, when measured. */
  get smoothedRtt(): number | undefined {
    return this.srtt;
  }

  /** Feeds one RTT sample (Karn: only from chunks sent once). RFC 6298 §2.2/2.3, alpha 1/8, beta 1/4. */
  measure(rtt: number): void {
    if (this.srtt === undefined) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    this.current = Math.min(this.max, Math.max(this.min, this.srtt + 4 * this.rttvar));
  }

  /** The duration of a timer after `backoffs` consecutive expiries (RFC 6298 §5.5, capped). */
  timer(backoffs: number): number {
    const cap = Math.max(this.current, this.maxBackoff);
    return Math.min(cap, this.current * 2 ** Math.min(backoffs, 16));
  }

  reset(): void {
    this.srtt = undefined;
    this.rttvar = 0;
    this.current = this.initial;
  }
}
