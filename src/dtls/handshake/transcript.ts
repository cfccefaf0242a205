import type { CryptoProvider } from '../../core/crypto.js';
import { HANDSHAKE_HEADER_LENGTH, writeMessageHeader } from './header.js';
import type { PrfHash } from '../cipher/prf.js';

/**
 * The handshake transcript (RFC 5246 §7.4.9, RFC 6347 §4.2.6): every message as if unfragmented
 * (12-byte DTLS header with fragment_offset 0 and fragment_length = length), in order. A
 * HelloVerifyRequest and the ClientHello it answered are not part of it.
 *
 * One growing buffer: each message is written into it once, so CertificateVerify signs a view of it
 * and each hash is one update (no array per message, no concatenation per use).
 */
export class Transcript {
  /** Grows to the first size that fits; a whole handshake with P-256 certificates is about 1.6 KB. */
  private buf = new Uint8Array(0);
  private length = 0;

  add(msgType: number, messageSeq: number, body: Uint8Array): void {
    const need = this.length + HANDSHAKE_HEADER_LENGTH + body.length;
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, 2 * this.buf.length, 2048));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    writeMessageHeader(this.buf, this.length, msgType, messageSeq, body.length);
    this.buf.set(body, this.length + HANDSHAKE_HEADER_LENGTH);
    this.length = need;
  }

  hash(crypto: CryptoProvider, alg: PrfHash): Uint8Array {
    return crypto.hash(alg, this.bytes());
  }

  /** All messages so far, concatenated (what CertificateVerify signs, RFC 5246 §7.4.8). A view: valid until the next add(). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  /** Frees the buffer once the handshake is over (a connection keeps its context for its lifetime). */
  release(): void {
    this.buf = new Uint8Array(0);
    this.length = 0;
  }
}
