/**
 * Big-endian writer over one growable backing array. It never concatenates: it doubles its buffer
 * when full. `finish()` returns a view of what was written; `reset()` reuses the backing store for the
 * next message so hot paths allocate nothing once warm.
 */
export class Writer {
  // Each write checks its room inline and stores the bytes itself (no DataView, no helper call on the
  // common path): encoders run a few times per connection in V8's interpreter, where every call and
  // DataView method costs (issue 6: about 450 `ensure` calls per connection setup, 80 per round trip).
  private buf: Uint8Array;
  /**
   * Bytes written so far. A field, not a getter: encoders read it for every chunk and length patch
   * (80 times per round trip), and a getter is a call each time in the interpreter. Never assign it.
   */
  length = 0;
  /** The view `finish()` returned last, and the array it is a view of. */
  private last: Uint8Array | undefined;
  private lastOf: Uint8Array | undefined;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Replaces the buffer with one that has room for `n` more bytes (the caller checked it has not). */
  private grow(n: number): Uint8Array {
    const need = this.length + n;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    return next;
  }

  u8(v: number): this {
    const p = this.length;
    const b = p + 1 > this.buf.length ? this.grow(1) : this.buf;
    b[p] = v;
    this.length = p + 1;
    return this;
  }

  u16(v: number): this {
    const p = this.length;
    const b = p + 2 > this.buf.length ? this.grow(2) : this.buf;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.length = p + 2;
    return this;
  }

  u24(v: number): this {
    const p = this.length;
    const b = p + 3 > this.buf.length ? this.grow(3) : this.buf;
    b[p] = v >>> 16;
    b[p + 1] = v >>> 8;
    b[p + 2] = v;
    this.length = p + 3;
    return this;
  }

  u32(v: number): this {
    const p = this.length;
    const b = p + 4 > this.buf.length ? this.grow(4) : this.buf;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.length = p + 4;
    return this;
  }

  u48(v: number): this {
    this.u16(Math.floor(v / 0x1_0000_0000));
    return this.u32(v >>> 0);
  }

  u64(v: bigint): this {
    const u = BigInt.asUintN(64, v);
    this.u32(Number(u >> 32n));
    return this.u32(Number(u & 0xffff_ffffn));
  }

  bytes(b: Uint8Array): this {
    const p = this.length;
    const n = b.length;
    (p + n > this.buf.length ? this.grow(n) : this.buf).set(b, p);
    this.length = p + n;
    return this;
  }

  /** `n` zero bytes (padding). */
  zeros(n: number): this {
    const p = this.length;
    (p + n > this.buf.length ? this.grow(n) : this.buf).fill(0, p, p + n);
    this.length = p + n;
    return this;
  }

  /** Reserve `n` bytes now, to be patched later (lengths, checksums). Returns their offset. */
  reserve(n: number): number {
    const p = this.length;
    if (p + n > this.buf.length) this.grow(n);
    this.length = p + n;
    return p;
  }

  setU8At(offset: number, v: number): void {
    this.buf[offset] = v;
  }

  setU16At(offset: number, v: number): void {
    const b = this.buf;
    b[offset] = v >>> 8;
    b[offset + 1] = v;
  }

  setU24At(offset: number, v: number): void {
    const b = this.buf;
    b[offset] = v >>> 16;
    b[offset + 1] = v >>> 8;
    b[offset + 2] = v;
  }

  setU32At(offset: number, v: number): void {
    const b = this.buf;
    b[offset] = v >>> 24;
    b[offset + 1] = v >>> 16;
    b[offset + 2] = v >>> 8;
    b[offset + 3] = v;
  }

  /** View of bytes written so far in [start, end). */
  slice(start = 0, end = this.length): Uint8Array {
    return this.buf.subarray(start, end);
  }

  /** View of everything written. Valid until the next write or reset(). */
  finish(): Uint8Array {
    // the same view again when the length repeats (full packets, equal messages): it shows the same
    // bytes a new view would, and saves an object per packet (issue 6)
    const last = this.last;
    if (last !== undefined && last.length === this.length && this.lastOf === this.buf) return last;
    this.lastOf = this.buf;
    return (this.last = this.buf.subarray(0, this.length));
  }

  /** A copy of everything written (safe to keep). */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}
