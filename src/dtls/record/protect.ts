import { ByteSlab, packetSlab } from '../../core/bytes/slab.js';
import type { AeadKey, DtlsCryptoProvider } from '../crypto.js';
import type { CipherSuite } from '../cipher/suites.js';
import { RECORD_HEADER_LENGTH, writeHeaderFields, type RawRecord } from './header.js';

/**
 * Sealed records above the packet slab's piece size (SCTP packets of up to 16 KiB between rtcpeer
 * peers): 256 KiB slabs hold 15 of them, so a bulk transfer allocates one ArrayBuffer per 15 records
 * instead of one each. A record lives only until the socket sent it.
 */
const largeRecords = new ByteSlab(256 * 1024, 17 * 1024);

/**
 * AEAD record protection for one direction of one epoch (RFC 5246 §6.2.3.3, RFC 6347 §4.1.2.1,
 * RFC 5288 §3 for GCM, RFC 7905 §2 for ChaCha20-Poly1305).
 *
 *   additional_data = seq_num(epoch ‖ sequence, 8) ‖ type ‖ version ‖ plaintext length
 *   GCM:      nonce = fixed_iv(4) ‖ explicit(8), explicit = epoch ‖ sequence, sent before the ciphertext
 *   ChaCha20: nonce = fixed_iv(12) XOR (0000 ‖ epoch ‖ sequence), nothing explicit
 *
 * Hot path: the nonce and AAD buffers are reused; each sealed record is one piece of the shared
 * packet slab (a view, not an ArrayBuffer of its own: it lives only until the socket sends it).
 */
export class RecordProtection {
  private readonly aead: AeadKey;
  private readonly nonce = new Uint8Array(12);
  private readonly aad = new Uint8Array(13);

  constructor(
    crypto: DtlsCryptoProvider,
    readonly suite: CipherSuite,
    key: Uint8Array,
    private readonly fixedIv: Uint8Array,
  ) {
    this.aead = crypto.aeadKey(suite.aead, key);
    if (suite.explicitNonceLength > 0) this.nonce.set(fixedIv.subarray(0, 4), 0);
  }

  /** Writes epoch ‖ sequence (8 bytes) into `out` at `offset`. */
  private static seqNum(out: Uint8Array, offset: number, epoch: number, sequence: number): void {
    const hi = Math.floor(sequence / 0x1_0000_0000);
    out[offset] = epoch >>> 8;
    out[offset + 1] = epoch & 0xff;
    out[offset + 2] = (hi >>> 8) & 0xff;
    out[offset + 3] = hi & 0xff;
    out[offset + 4] = (sequence >>> 24) & 0xff;
    out[offset + 5] = (sequence >>> 16) & 0xff;
    out[offset + 6] = (sequence >>> 8) & 0xff;
    out[offset + 7] = sequence & 0xff;
  }

  /** Fills this.nonce for (epoch, sequence); for GCM its bytes 4..11 are the explicit part. */
  private setNonce(epoch: number, sequence: number): void {
    const n = this.nonce;
    RecordProtection.seqNum(n, 4, epoch, sequence);
    if (this.suite.explicitNonceLength > 0) return;
    const iv = this.fixedIv;
    for (let i = 0; i < 4; i++) n[i] = iv[i] as number;
    for (let i = 4; i < 12; i++) n[i] = (iv[i] as number) ^ (n[i] as number);
  }

  private setAad(type: number, version: number, epoch: number, sequence: number, length: number): void {
    const a = this.aad;
    RecordProtection.seqNum(a, 0, epoch, sequence);
    a[8] = type;
    a[9] = version >>> 8;
    a[10] = version & 0xff;
    a[11] = length >>> 8;
    a[12] = length & 0xff;
  }

  /** A complete protected record (header included). */
  seal(type: number, version: number, epoch: number, sequence: number, plaintext: Uint8Array): Uint8Array {
    const explicit = this.suite.explicitNonceLength;
    const bodyLength = explicit + plaintext.length + 16;
    const n = RECORD_HEADER_LENGTH + bodyLength;
    const out = n > packetSlab.maxPiece ? largeRecords.alloc(n) : packetSlab.alloc(n);
    writeHeaderFields(out, 0, type, version, epoch, sequence, bodyLength);
    this.setNonce(epoch, sequence);
    for (let i = 0; i < explicit; i++) out[RECORD_HEADER_LENGTH + i] = this.nonce[4 + i] as number;
    this.setAad(type, version, epoch, sequence, plaintext.length);
    this.aead.seal(this.nonce, this.aad, plaintext, out, RECORD_HEADER_LENGTH + explicit);
    return out;
  }

  /** The plaintext of a protected record, or undefined when it is too short or fails authentication. */
  open(rec: RawRecord): Uint8Array | undefined {
    const explicit = this.suite.explicitNonceLength;
    const f = rec.fragment;
    if (f.length < explicit + 16) return undefined;
    const h = rec.header;
    if (explicit > 0) {
      for (let i = 0; i < explicit; i++) this.nonce[4 + i] = f[i] as number;
    } else {
      this.setNonce(h.epoch, h.sequence);
    }
    this.setAad(h.contentType, h.version, h.epoch, h.sequence, f.length - explicit - 16);
    return this.aead.open(this.nonce, this.aad, f.subarray(explicit));
  }
}
