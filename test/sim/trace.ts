/**
 * The packet trace: one line per delivery, drop and NAT decision, e.g.
 * `t=1203.0ms 198.18.0.1:5000 -> 198.18.0.2:5000 len=120 STUN Binding request tid=...`.
 * It keeps the last `capacity` lines, a running FNV-1a digest over every line (so determinism
 * checks compare one number), and an optional listener for streaming.
 */
import type { Millis } from '../../src/core/types.js';

/** Formats virtual time as the trace does: `t=1203.0ms`. */
export function formatTime(t: Millis): string {
  return `t=${t.toFixed(1)}ms`;
}

export class Trace {
  private readonly ring: string[] = [];
  private start = 0;
  private hash = 0x811c9dc5;
  /** Number of lines ever recorded. */
  count = 0;
  /** Called with every line as it is recorded (e.g. `(l) => console.log(l)` while debugging). */
  listener: ((line: string) => void) | undefined;

  constructor(readonly capacity = 5000) {}

  /** Records one line at virtual time `t`. */
  add(t: Millis, text: string): void {
    const line = `${formatTime(t)} ${text}`;
    this.count++;
    for (let i = 0; i < line.length; i++) this.hash = Math.imul(this.hash ^ line.charCodeAt(i), 0x01000193) >>> 0;
    this.hash = Math.imul(this.hash ^ 10, 0x01000193) >>> 0;
    if (this.ring.length < this.capacity) this.ring.push(line);
    else {
      this.ring[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
    this.listener?.(line);
  }

  /** The last `n` kept lines, oldest first. */
  last(n = this.capacity): string[] {
    const all = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return all.slice(Math.max(0, all.length - n));
  }

  /** FNV-1a hash of every line ever recorded, as 8 hex digits. */
  get digest(): string {
    return this.hash.toString(16).padStart(8, '0');
  }
}
