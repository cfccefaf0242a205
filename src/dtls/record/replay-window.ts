/**
 * Anti-replay sliding window (RFC 6347 §4.1.2.6, RFC 4303 §3.4.3), 64 entries. Each slot of a ring
 * remembers the sequence number that last marked it: a number inside the window was seen iff its slot
 * holds exactly that number, so moving the window needs no shifting or clearing.
 */
export const REPLAY_WINDOW = 64;

export class ReplayWindow {
  private readonly ring = new Float64Array(REPLAY_WINDOW).fill(-1);
  private max = -1;

  /** True when `seq` is new and inside (or ahead of) the window. Check before decrypting. */
  check(seq: number): boolean {
    if (seq > this.max) return true;
    if (seq + REPLAY_WINDOW <= this.max) return false;
    return this.ring[seq % REPLAY_WINDOW] !== seq;
  }

  /** True only when `seq` is inside the window and was already marked (no "too old" verdict). */
  isRecentDuplicate(seq: number): boolean {
    return seq <= this.max && seq + REPLAY_WINDOW > this.max && this.ring[seq % REPLAY_WINDOW] === seq;
  }

  /** Records `seq` as received. Call only after the record authenticated. */
  mark(seq: number): void {
    this.ring[seq % REPLAY_WINDOW] = seq;
    if (seq > this.max) this.max = seq;
  }

  /** Highest sequence number marked so far (-1 before any). */
  get highest(): number {
    return this.max;
  }
}
