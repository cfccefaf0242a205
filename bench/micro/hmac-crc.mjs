// Per-packet integrity costs, one core:   node bench/micro/hmac-crc.mjs [--json]
//  - HMAC-SHA1 of a STUN binding request (~100 B, RFC 8489 MESSAGE-INTEGRITY): createHmac per
//    message with a Buffer key vs a KeyObject made once.
//  - CRC32c of a 1200-byte SCTP packet with rtcpeer's src/core/bytes/crc32.ts (the built
//    dist/core/bytes/crc32.js: run `npm run build` first), next to zlib's native CRC-32 (IEEE,
//    a different polynomial: shown only as the native speed reference).
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { json, measure, printRows } from './timing.mjs';

const { crc32c } = await import(new URL('../../dist/core/bytes/crc32.js', import.meta.url).href);
const key = randomBytes(22); // an ICE password is 22+ characters
const ko = createSecretKey(key);
const stun = randomBytes(100);
const rows = [
  measure('HMAC-SHA1 100 B: createHmac, Buffer key', () => createHmac('sha1', key).update(stun).digest()),
  measure('HMAC-SHA1 100 B: createHmac, KeyObject', () => createHmac('sha1', ko).update(stun).digest()),
];
for (const size of [1200, 16384]) {
  const pkt = randomBytes(size);
  const u8 = new Uint8Array(pkt.buffer, pkt.byteOffset, pkt.length);
  rows.push(measure(`CRC32c ${size} B: rtcpeer crc32.ts (slicing-by-8)`, () => crc32c(u8), { bytes: size }));
  if (typeof zlib.crc32 === 'function') rows.push(measure(`CRC-32/IEEE ${size} B: zlib.crc32 (native reference)`, () => zlib.crc32(pkt), { bytes: size }));
}
if (json) console.log(JSON.stringify(rows));
else printRows(`Integrity per packet, one core (Node ${process.version})`, rows);
