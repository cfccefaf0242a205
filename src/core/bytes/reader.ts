import { ParseError } from '../errors.js';

/**
 * Bounds-checked big-endian reader over a Uint8Array. Every read past the end throws a `ParseError`
 * with the offset, so decoders never index raw arrays themselves.
 *
 * Aliasing rule: `bytes()` and `rest()` return VIEWS into the input. A layer that keeps bytes past
 * the call (reassembly, retransmit queues) copies them (`.slice()`).
 */
export class Reader {
  // Each read checks its bounds inline and indexes the bytes itself (no DataView, no helper call):
  // decoders run a few times per connection, in V8's interpreter, where every call and every
  // DataView method costs (issue 6: about 1,000 such calls per connection setup).
  /** The next byte to read. A field, not a getter (a read is no call in the interpreter); never assign it. */
  offset: number;
  /** One past the last byte this reader may read. */
  readonly end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
    /** Prefix for error codes, e.g. `'stun'` gives `'stun.truncated'`. */
    readonly codePrefix = 'bytes',
  ) {
    this.offset = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private truncated(n: number): never {
    throw new ParseError(`${this.codePrefix}.truncated`, `need ${n} bytes, ${this.end - this.offset} left`, this.offset);
  }

  u8(): number {
    const p = this.offset;
    if (p + 1 > this.end) this.truncated(1);
    this.offset = p + 1;
    return this.buf[p] as number;
  }

  u16(): number {
    const p = this.offset;
    if (p + 2 > this.end) this.truncated(2);
    this.offset = p + 2;
    const b = this.buf;
    return ((b[p] as number) << 8) | (b[p + 1] as number);
  }

  u24(): number {
    const p = this.offset;
    if (p + 3 > this.end) this.truncated(3);
    this.offset = p + 3;
    const b = this.buf;
    return ((b[p] as number) << 16) | ((b[p + 1] as number) << 8) | (b[p + 2] as number);
  }

  u32(): number {
    const p = this.offset;
    if (p + 4 > this.end) this.truncated(4);
    this.offset = p + 4;
    const b = this.buf;
    return (((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number)) >>> 0;
  }

  /** 48-bit unsigned as a number (exact: below 2^53). */
  u48(): number {
    if (this.offset + 6 > this.end) this.truncated(6);
    const hi = this.u16();
    return hi * 0x1_0000_0000 + this.u32();
  }

  u64(): bigint {
    if (this.offset + 8 > this.end) this.truncated(8);
    const hi = this.u32();
    return (BigInt(hi) << 32n) | BigInt(this.u32());
  }

  /** A view of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    const p = this.offset;
    if (n < 0 || p + n > this.end) this.truncated(n);
    this.offset = p + n;
    return this.buf.subarray(p, p + n);
  }

  /** A view of everything left. */
  rest(): Uint8Array {
    return this.bytes(this.end - this.offset);
  }

  skip(n: number): void {
    if (n < 0 || this.offset + n > this.end) this.truncated(n);
    this.offset += n;
  }

  /** A reader over the next `n` bytes; this reader moves past them. */
  sub(n: number): Reader {
    const p = this.offset;
    if (n < 0 || p + n > this.end) this.truncated(n);
    this.offset = p + n;
    return new Reader(this.buf, p, p + n, this.codePrefix);
  }

  /** Throw a ParseError at the current offset. */
  fail(code: string, message: string): never {
    throw new ParseError(`${this.codePrefix}.${code}`, message, this.offset);
  }
}
