import { ParseError } from '../errors.js';

/**
 * Bounds-checked big-endian reader over a Uint8Array. Every read past the end throws a `ParseError`
 * with the offset, so decoders never index raw arrays themselves.
 *
 * Aliasing rule: `bytes()` and `rest()` return VIEWS into the input. A layer that keeps bytes past
 * the call (reassembly, retransmit queues) copies them (`.slice()`).
 */
export class Reader {
  private pos: number;
  private readonly end: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
    /** Prefix for error codes, e.g. `'stun'` gives `'stun.truncated'`. */
    readonly codePrefix = 'bytes',
  ) {
    this.pos = start;
    this.end = end;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.end) {
      throw new ParseError(`${this.codePrefix}.truncated`, `need ${n} bytes, ${this.end - this.pos} left`, this.pos);
    }
    const p = this.pos;
    this.pos += n;
    return p;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }

  u16(): number {
    return this.view.getUint16(this.need(2));
  }

  u24(): number {
    const p = this.need(3);
    return (this.view.getUint8(p) << 16) | this.view.getUint16(p + 1);
  }

  u32(): number {
    return this.view.getUint32(this.need(4));
  }

  /** 48-bit unsigned as a number (exact: below 2^53). */
  u48(): number {
    const p = this.need(6);
    return this.view.getUint16(p) * 0x1_0000_0000 + this.view.getUint32(p + 2);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.need(8));
  }

  /** A view of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }

  /** A view of everything left. */
  rest(): Uint8Array {
    return this.bytes(this.end - this.pos);
  }

  skip(n: number): void {
    this.need(n);
  }

  /** A reader over the next `n` bytes; this reader moves past them. */
  sub(n: number): Reader {
    const p = this.need(n);
    return new Reader(this.buf, p, p + n, this.codePrefix);
  }

  /** Throw a ParseError at the current offset. */
  fail(code: string, message: string): never {
    throw new ParseError(`${this.codePrefix}.${code}`, message, this.pos);
  }
}
