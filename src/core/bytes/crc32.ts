/**
 * Table-driven CRC-32 in two polynomials:
 * - IEEE 802.3 (reflected 0xEDB88320): STUN FINGERPRINT (RFC 8489 §14.7).
 * - Castagnoli (reflected 0x82F63B78): SCTP checksum (RFC 9260 Appendix A, RFC 3309).
 * Slicing-by-8 tables make CRC32c cheap enough for the SCTP hot path.
 */
function makeTables(poly: number): Uint32Array[] {
  const tables: Uint32Array[] = [];
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t0[i] = c >>> 0;
  }
  tables.push(t0);
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1] as Uint32Array;
    const cur = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      const p = prev[i] as number;
      cur[i] = ((p >>> 8) ^ (t0[p & 0xff] as number)) >>> 0;
    }
    tables.push(cur);
  }
  return tables;
}

function makeCrc(poly: number): (data: Uint8Array, start?: number, end?: number) => number {
  const t = makeTables(poly);
  const t0 = t[0] as Uint32Array, t1 = t[1] as Uint32Array, t2 = t[2] as Uint32Array, t3 = t[3] as Uint32Array;
  const t4 = t[4] as Uint32Array, t5 = t[5] as Uint32Array, t6 = t[6] as Uint32Array, t7 = t[7] as Uint32Array;
  return (data, start = 0, end = data.length) => {
    let crc = 0xffffffff;
    let i = start;
    for (; i + 8 <= end; i += 8) {
      const a = crc ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24));
      crc =
        (t7[a & 0xff] as number) ^ (t6[(a >>> 8) & 0xff] as number) ^ (t5[(a >>> 16) & 0xff] as number) ^ (t4[a >>> 24] as number) ^
        (t3[data[i + 4] as number] as number) ^ (t2[data[i + 5] as number] as number) ^
        (t1[data[i + 6] as number] as number) ^ (t0[data[i + 7] as number] as number);
    }
    for (; i < end; i++) crc = (crc >>> 8) ^ (t0[(crc ^ (data[i] as number)) & 0xff] as number);
    return (crc ^ 0xffffffff) >>> 0;
  };
}

/** CRC-32 (IEEE), as a number. */
export const crc32 = makeCrc(0xedb88320);

/** CRC-32c (Castagnoli), as a number. SCTP writes it little-endian. */
export const crc32c = makeCrc(0x82f63b78);
