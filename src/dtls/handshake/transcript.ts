import type { CryptoProvider } from '../../core/crypto.js';
import { concatBytes } from '../../core/bytes/hex.js';
import { encodeHandshakeMessage } from './header.js';
import type { PrfHash } from '../cipher/prf.js';

/**
 * The handshake transcript (RFC 5246 §7.4.9, RFC 6347 §4.2.6): every message as if unfragmented
 * (12-byte DTLS header with fragment_offset 0 and fragment_length = length), in order. A
 * HelloVerifyRequest and the ClientHello it answered are not part of it.
 */
export class Transcript {
  private readonly parts: Uint8Array[] = [];

  add(msgType: number, messageSeq: number, body: Uint8Array): void {
    this.parts.push(encodeHandshakeMessage(msgType, messageSeq, body));
  }

  hash(crypto: CryptoProvider, alg: PrfHash): Uint8Array {
    return crypto.hash(alg, ...this.parts);
  }

  /** All messages so far, concatenated (what CertificateVerify signs, RFC 5246 §7.4.8). */
  bytes(): Uint8Array {
    return concatBytes(...this.parts);
  }

  clear(): void {
    this.parts.length = 0;
  }
}
