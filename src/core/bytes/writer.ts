/**
 * Big-endian writer over one growable backing array. It never concatenates: it doubles its buffer
 * when full. `finish()` returns a view of what was written; `reset()` reuses the backing store for the
 * next message so hot paths allocate nothing once warm.
 */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** The view `finish()` returned last, and the array it is a view of. */
  private last: Uint8Array | undefined;
  private lastOf: Uint8Array | undefined;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  /** Grows the buffer for `n` more bytes and returns their offset. Callers take the offset BEFORE
   * touching `this.view`, because growing replaces the view. */
  private ensure(n: number): number {
    const need = this.pos + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const p = this.pos;
    this.pos = need;
    return p;
  }

  u8(v: number): this {
    const p = this.ensure(1);
    this.view.setUint8(p, v);
    return this;
  }

  u16(v: number): this {
    const p = this.ensure(2);
    this.view.setUint16(p, v);
    return this;
  }

  u24(v: number): this {
    const p = this.ensure(3);
    this.view.setUint8(p, (v >>> 16) & 0xff);
    this.view.setUint16(p + 1, v & 0xffff);
    return this;
  }

  u32(v: number): this {
    const p = this.ensure(4);
    this.view.setUint32(p, v >>> 0);
    return this;
  }

  u48(v: number): this {
    const p = this.ensure(6);
    this.view.setUint16(p, Math.floor(v / 0x1_0000_0000) & 0xffff);
    this.view.setUint32(p + 2, v >>> 0);
    return this;
  }

  u64(v: bigint): this {
    const p = this.ensure(8);
    this.view.setBigUint64(p, BigInt.asUintN(64, v));
    return this;
  }

  bytes(b: Uint8Array): this {
    const p = this.ensure(b.length);
    this.buf.set(b, p);
    return this;
  }

  /** `n` zero bytes (padding). */
  zeros(n: number): this {
    const p = this.ensure(n);
    this.buf.fill(0, p, p + n);
    return this;
  }

  /** Reserve `n` bytes now, to be patched later (lengths, checksums). Returns their offset. */
  reserve(n: number): number {
    return this.ensure(n);
  }

  setU8At(offset: number, v: number): void {
    this.view.setUint8(offset, v);
  }

  setU16At(offset: number, v: number): void {
    this.view.setUint16(offset, v);
  }

  setU24At(offset: number, v: number): void {
    this.view.setUint8(offset, (v >>> 16) & 0xff);
    this.view.setUint16(offset + 1, v & 0xffff);
  }

  setU32At(offset: number, v: number): void {
    this.view.setUint32(offset, v >>> 0);
  }

  /** View of bytes written so far in [start, end). */
  slice(start = 0, end = this.pos): Uint8Array {
    return this.buf.subarray(start, end);
  }

  /** View of everything written. Valid until the next write or reset(). */
  finish(): Uint8Array {
    // the same view again when the length repeats (full packets, equal messages): it shows the same
    // bytes a new view would, and saves an object per packet (issue 6)
    const last = this.last;
    if (last !== undefined && last.length === this.pos && this.lastOf === this.buf) return last;
    this.lastOf = this.buf;
    return (this.last = this.buf.subarray(0, this.pos));
  }

  /** A copy of everything written (safe to keep). */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }
}
