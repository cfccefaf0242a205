// A GHASH (NIST SP 800-38D §6.4) in JavaScript with Shoup's 4-bit tables, and AES-128-GCM built from
// one long-lived node:crypto AES-128-ECB context (the CTR keystream: counter blocks through one
// ECB update() per record) plus this GHASH. Benchmark-only: it exists to measure whether reusing a
// native context and doing GHASH in JS beats a new createCipheriv per record. Checked against
// node:crypto's aes-128-gcm in aead.mjs before it is timed.
import { createCipheriv } from 'node:crypto';

// Products of H with every 4-bit value, as four 32-bit words (big-endian bit order of GCM).
function tables(h) {
  const hw = [h.readUInt32BE(0), h.readUInt32BE(4), h.readUInt32BE(8), h.readUInt32BE(12)];
  const t = new Uint32Array(16 * 4);
  // t[8] = H; t[4] = H·x; t[2] = H·x²; t[1] = H·x³ (shift right with reduction by 0xe1).
  let v = hw.slice();
  for (let i = 8; i >= 1; i >>= 1) {
    t.set(v, i * 4);
    const lsb = v[3] & 1;
    v = [(v[0] >>> 1) ^ (lsb ? 0xe1000000 : 0), ((v[1] >>> 1) | (v[0] << 31)) >>> 0, ((v[2] >>> 1) | (v[1] << 31)) >>> 0, ((v[3] >>> 1) | (v[2] << 31)) >>> 0];
    v[0] >>>= 0;
  }
  for (let i = 2; i < 16; i <<= 1) for (let j = 1; j < i; j++) for (let k = 0; k < 4; k++) t[(i + j) * 4 + k] = t[i * 4 + k] ^ t[j * 4 + k];
  return t;
}

// Reduction constants for shifting 4 bits out of the low end (Shoup's R table).
const R = new Uint32Array(16);
for (let i = 0; i < 16; i++) {
  let r = 0;
  for (let b = 0; b < 4; b++) if (i & (1 << b)) r ^= 0xe1000000 >>> (3 - b);
  R[i] = r >>> 0;
}

export class Ghash {
  constructor(h) {
    this.t = tables(h);
    this.y = new Uint32Array(4);
  }
  reset() {
    this.y.fill(0);
  }
  /** Absorbs `data[start, end)` zero-padded to 16-byte blocks. */
  update(data, start = 0, end = data.length) {
    const y = this.y;
    const t = this.t;
    for (let off = start; off < end; off += 16) {
      for (let w = 0; w < 4; w++) {
        let x = 0;
        for (let b = 0; b < 4; b++) {
          const i = off + w * 4 + b;
          x = (x << 8) | (i < end ? data[i] : 0);
        }
        y[w] ^= x >>> 0;
      }
      let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
      for (let i = 15; i >= 0; i--) {
        const byte = (y[i >> 2] >>> ((3 - (i & 3)) * 8)) & 0xff;
        for (let half = 0; half < 2; half++) {
          const nib = half === 0 ? byte & 0xf : byte >>> 4;
          const rem = z3 & 0xf;
          z3 = ((z3 >>> 4) | (z2 << 28)) >>> 0;
          z2 = ((z2 >>> 4) | (z1 << 28)) >>> 0;
          z1 = ((z1 >>> 4) | (z0 << 28)) >>> 0;
          z0 = ((z0 >>> 4) ^ R[rem]) >>> 0;
          z0 ^= t[nib * 4];
          z1 ^= t[nib * 4 + 1];
          z2 ^= t[nib * 4 + 2];
          z3 ^= t[nib * 4 + 3];
        }
      }
      y[0] = z0 >>> 0;
      y[1] = z1 >>> 0;
      y[2] = z2 >>> 0;
      y[3] = z3 >>> 0;
    }
  }
}

/** AES-128-GCM seal with a 12-byte nonce from one reused ECB context; returns ciphertext || tag. */
export class EcbGcm {
  constructor(key) {
    this.ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    this.gh = new Ghash(this.ecb.update(Buffer.alloc(16)));
  }
  seal(nonce, aad, pt) {
    const blocks = Math.ceil(pt.length / 16) + 1;
    const ctr = Buffer.allocUnsafe(blocks * 16);
    for (let b = 0; b < blocks; b++) {
      nonce.copy(ctr, b * 16);
      ctr.writeUInt32BE(b + 1, b * 16 + 12);
    }
    const ks = this.ecb.update(ctr); // E(J0), E(J0+1), ...
    const out = Buffer.allocUnsafe(pt.length + 16);
    for (let i = 0; i < pt.length; i++) out[i] = pt[i] ^ ks[16 + i];
    const gh = this.gh;
    gh.reset();
    gh.update(aad);
    gh.update(out, 0, pt.length);
    const len = Buffer.alloc(16);
    len.writeUInt32BE(aad.length * 8, 4);
    len.writeUInt32BE(pt.length * 8, 12);
    gh.update(len);
    for (let w = 0; w < 4; w++) out.writeUInt32BE((gh.y[w] ^ ks.readUInt32BE(w * 4)) >>> 0, pt.length + w * 4);
    return out;
  }
}
