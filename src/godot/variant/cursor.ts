import { Writer } from '../../core/bytes/writer.js';
import { ParseError, UsageError } from '../../core/errors.js';
import type { GodotErrorCode } from '../../facade/godot-errors.js';
import { GodotError } from '../../facade/godot-errors.js';

/**
 * A decode failure carrying the Godot `Error` that `decode_variant` would return at the same place
 * (ERR_INVALID_DATA for bad or short data, ERR_FILE_EOF for an overrunning string, ERR_UNAUTHORIZED
 * for a full object when objects are not allowed, ERR_OUT_OF_MEMORY when nested too deep).
 */
export class VariantDecodeError extends ParseError {
  constructor(
    readonly godotError: GodotErrorCode,
    message: string,
    offset: number,
  ) {
    super(`godot.variant.${godotError}`, message, offset);
  }
}

/** An encode failure (unencodable value, too deep, too large) with the Godot `Error` to return. */
export class VariantEncodeError extends UsageError {
  constructor(
    readonly godotError: GodotErrorCode,
    message: string,
  ) {
    super(`godot.variant.encode.${godotError}`, message);
  }
}

/** Bounds-checked LITTLE-endian reader (Godot's marshalls are little-endian; core Reader is BE). */
export class LeReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Fails with `code` (ERR_INVALID_DATA by default) unless `n` bytes are left. */
  need(n: number, code: GodotErrorCode = GodotError.ERR_INVALID_DATA): number {
    if (n < 0 || n > this.remaining) this.fail(code, `need ${n} bytes, ${this.remaining} left`);
    const p = this.pos;
    this.pos += n;
    return p;
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  f32(): number {
    return this.view.getFloat32(this.need(4), true);
  }

  f64(): number {
    return this.view.getFloat64(this.need(8), true);
  }

  bytes(n: number, code?: GodotErrorCode): Uint8Array {
    const p = this.need(n, code);
    return this.buf.subarray(p, p + n);
  }

  fail(code: GodotErrorCode, message: string): never {
    throw new VariantDecodeError(code, message, this.pos);
  }
}

/**
 * Little-endian writer for the encoder, on top of the core (big-endian) Writer: each value is laid
 * out in a scratch view and appended, so growth and buffering stay the core Writer's.
 */
export class LeWriter {
  private readonly w = new Writer(64);
  private readonly scratch = new DataView(new ArrayBuffer(8));
  private readonly scratchBytes = new Uint8Array(this.scratch.buffer);

  /** @param limit bytes beyond which writing fails with ERR_OUT_OF_MEMORY (encode_buffer_max_size). */
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  get length(): number {
    return this.w.length;
  }

  private room(n: number): void {
    if (this.w.length + n > this.limit) {
      throw new VariantEncodeError(GodotError.ERR_OUT_OF_MEMORY, `encoded size exceeds ${this.limit} bytes`);
    }
  }

  private flush(n: number): void {
    this.room(n);
    this.w.bytes(this.scratchBytes.subarray(0, n));
  }

  u32(v: number): void {
    this.scratch.setUint32(0, v >>> 0, true);
    this.flush(4);
  }

  i64(v: bigint): void {
    this.scratch.setBigInt64(0, BigInt.asIntN(64, v), true);
    this.flush(8);
  }

  f32(v: number): void {
    this.scratch.setFloat32(0, v, true);
    this.flush(4);
  }

  f64(v: number): void {
    this.scratch.setFloat64(0, v, true);
    this.flush(8);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.w.bytes(b);
  }

  /** Zero bytes up to the next multiple of 4 (Godot pads strings and byte arrays). */
  pad4(): void {
    const n = (4 - (this.w.length % 4)) % 4;
    this.room(n);
    this.w.zeros(n);
  }

  toBytes(): Uint8Array {
    return this.w.toBytes();
  }
}
