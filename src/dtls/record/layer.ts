import { DTLS12 } from '../constants.js';
import type { RecordProtection } from './protect.js';
import { ReplayWindow } from './replay-window.js';
import { encodeRecord, writeHeaderFields, type RawRecord } from './header.js';

/** Drop counters (remote bad input is counted, never thrown). */
export interface RecordStats {
  malformed: number;
  undecryptable: number;
  replayed: number;
  earlyDropped: number;
  handshakeDropped: number;
  retransmittedFlights: number;
}

/**
 * Epoch state of the record layer (RFC 6347 §4.1): per-epoch write sequence numbers, protections for
 * epoch 1 once keys exist, the read epoch that ChangeCipherSpec advances, one anti-replay window per
 * epoch. Only epochs 0 and 1 exist: no renegotiation.
 */
export class RecordLayer {
  private readonly writeSeq = [0, 0];
  private writeProtection: RecordProtection | undefined;
  private pendingRead: RecordProtection | undefined;
  private readProtection: RecordProtection | undefined;
  private readonly windows = [new ReplayWindow(), new ReplayWindow()];
  readEpoch = 0;
  readonly stats: RecordStats = { malformed: 0, undecryptable: 0, replayed: 0, earlyDropped: 0, handshakeDropped: 0, retransmittedFlights: 0 };

  /** Installs epoch-1 keys: write at once (the flight tags which records use it), read at the peer's CCS. */
  installKeys(write: RecordProtection, read: RecordProtection): void {
    this.writeProtection = write;
    this.pendingRead = read;
  }

  get hasWriteKeys(): boolean {
    return this.writeProtection !== undefined;
  }

  /** One record at `epoch`, with the next sequence number of that epoch. */
  seal(type: number, epoch: number, plaintext: Uint8Array): Uint8Array {
    const e = epoch > 0 ? 1 : 0;
    const sequence = this.writeSeq[e] as number;
    this.writeSeq[e] = sequence + 1;
    if (e === 0) return encodeRecord({ contentType: type, version: DTLS12, epoch: 0, sequence }, plaintext);
    if (this.writeProtection === undefined) throw new Error('no epoch-1 write keys');
    return this.writeProtection.seal(type, DTLS12, 1, sequence, plaintext);
  }

  /** Writes the header of an epoch-0 record of `length` plaintext bytes at `offset`, with the next sequence number. */
  writePlainHeader(out: Uint8Array, offset: number, type: number, length: number): void {
    const sequence = this.writeSeq[0] as number;
    this.writeSeq[0] = sequence + 1;
    writeHeaderFields(out, offset, type, DTLS12, 0, sequence, length);
  }

  /** The ChangeCipherSpec switch of the read side (RFC 5246 §7.1). False when no keys are pending. */
  advanceReadEpoch(): boolean {
    if (this.readEpoch !== 0 || this.pendingRead === undefined) return false;
    this.readProtection = this.pendingRead;
    this.pendingRead = undefined;
    this.readEpoch = 1;
    return true;
  }

  /** The plaintext of a record at epoch ≤ readEpoch, or undefined (counted) when replayed or forged. */
  open(rec: RawRecord): Uint8Array | undefined {
    const { epoch, sequence } = rec.header;
    const window = this.windows[epoch];
    if (window === undefined || epoch > this.readEpoch) return undefined;
    // Epoch 0 is unauthenticated: a forged record with a huge sequence number must not push the real
    // handshake out of the window, so there only exact recent duplicates are dropped.
    if (epoch === 0 ? window.isRecentDuplicate(sequence) : !window.check(sequence)) {
      this.stats.replayed++;
      return undefined;
    }
    let plain: Uint8Array | undefined = rec.fragment;
    if (epoch > 0) {
      plain = this.readProtection?.open(rec);
      if (plain === undefined) {
        this.stats.undecryptable++; // RFC 6347 §4.1.2.7: invalid records are silently discarded
        return undefined;
      }
    }
    window.mark(sequence);
    return plain;
  }
}
