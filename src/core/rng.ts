/**
 * Randomness as an injected capability. Tests use `SeededRng` (deterministic); production uses a
 * crypto-grade source from src/io/ that implements the same interface.
 */
export interface Rng {
  /** Uniform unsigned 32-bit integer. */
  u32(): number;
  /** Fills a new array of `n` random bytes. */
  bytes(n: number): Uint8Array;
}

/** Uniform float in [0, 1). */
export function randomFloat(rng: Rng): number {
  return rng.u32() / 0x1_0000_0000;
}

/** Uniform integer in [lo, hi] (inclusive), hi - lo < 2^32. */
export function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(randomFloat(rng) * (hi - lo + 1));
}

/** Uniform unsigned 64-bit integer as a bigint. */
export function randomU64(rng: Rng): bigint {
  return (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
}

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A string of ice-chars (RFC 8839 ice-char), as used for ufrag/pwd. */
export function randomIceString(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ICE_CHARS[rng.u32() & 63];
  return s;
}

/** Deterministic xoshiro128** seeded through splitmix32. Not for keys in production. */
export class SeededRng implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(readonly seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.u32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }

  /** An independent generator derived from this one (for sub-components). */
  fork(): SeededRng {
    return new SeededRng(this.u32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
