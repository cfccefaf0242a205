/**
 * Congestion control (RFC 9260 §7.2): slow start, congestion avoidance, fast recovery, T3 reaction.
 * Byte counts are DATA payload bytes plus chunk headers as the sender accounts them.
 */
export class Congestion {
  cwnd: number;
  ssthresh: number;
  private partialBytesAcked = 0;
  /** RFC 9260 §7.2.4: fast recovery lasts until the cumulative ack passes this TSN. */
  fastRecoveryExit: number | undefined;

  /** The packet size (PLPMTU): slow-start steps and the floors below are in these units. */
  constructor(public mtu: number, initialMtus: number, peerRwnd: number) {
    this.cwnd = initialMtus * mtu; // protocol.md 2.3: 10 MTU like Chrome and libdatachannel
    this.ssthresh = Math.max(peerRwnd, 4 * mtu);
  }

  get inFastRecovery(): boolean {
    return this.fastRecoveryExit !== undefined;
  }

  /** RFC 9260 §7.2.1 / §7.2.2, on a SACK that advanced the cumulative ack. */
  onCumulativeAck(bytesAcked: number, flightBefore: number, cumAck: number, tsnLe: (a: number, b: number) => boolean): void {
    if (this.fastRecoveryExit !== undefined && tsnLe(this.fastRecoveryExit, cumAck)) this.fastRecoveryExit = undefined;
    if (this.fastRecoveryExit !== undefined) return; // no cwnd growth during fast recovery
    if (this.cwnd <= this.ssthresh) {
      // slow start: only when the window was in use
      if (flightBefore >= this.cwnd - this.mtu) this.cwnd += Math.min(bytesAcked, this.mtu);
      return;
    }
    this.partialBytesAcked += bytesAcked;
    if (this.partialBytesAcked >= this.cwnd && flightBefore >= this.cwnd - this.mtu) {
      this.partialBytesAcked -= this.cwnd;
      this.cwnd += this.mtu;
    }
  }

  /** RFC 9260 §7.2.4: entering fast recovery on 3 miss indications. */
  onFastRetransmit(highestOutstanding: number): void {
    if (this.fastRecoveryExit !== undefined) return;
    this.ssthresh = Math.max(Math.floor(this.cwnd / 2), 4 * this.mtu);
    this.cwnd = this.ssthresh;
    this.partialBytesAcked = 0;
    this.fastRecoveryExit = highestOutstanding;
  }

  /** RFC 9260 §7.2.3: T3-rtx expiry. */
  onT3(): void {
    this.ssthresh = Math.max(Math.floor(this.cwnd / 2), 4 * this.mtu);
    this.cwnd = this.mtu;
    this.partialBytesAcked = 0;
    this.fastRecoveryExit = undefined;
  }
}
