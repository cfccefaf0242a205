import { UsageError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Rng } from '../core/rng.js';
import { generateCertificate, type DtlsCertificate } from './certificate.js';
import { DEFAULT_CIPHER_SUITES, cipherSuite } from './cipher/suites.js';
import { MAX_PLAINTEXT, RECORD_PLAINTEXT_CEILING } from './constants.js';
import type { DtlsCryptoProvider } from './crypto.js';
import type { Extension } from './extensions.js';
import { validateFingerprints, type ExpectedFingerprint, type Fingerprint } from './fingerprint.js';
import { DEFAULT_REASSEMBLY_LIMITS, type ReassemblyLimits } from './handshake/reassembly.js';

export interface DtlsOptions {
  /** 'client' sends the ClientHello (a=setup:active); 'server' waits for it. */
  readonly role: 'client' | 'server';
  readonly rng: Rng;
  readonly crypto: DtlsCryptoProvider;
  readonly logger?: Logger;
  /** Our identity; a fresh self-signed ECDSA P-256 certificate when absent. */
  readonly certificate?: DtlsCertificate;
  /** The peer's a=fingerprint lines; any may match. Empty = check deferred until setRemoteFingerprints(). */
  readonly remoteFingerprints?: readonly Fingerprint[];
  /** Largest datagram we send (default 1200, min 128). */
  readonly mtu?: number;
  /** Server: HelloVerifyRequest cookie exchange (default off: ICE already proved the path). */
  readonly cookieExchange?: boolean;
  /** Cipher suites in preference order (default 0xC02B, 0xC02F, 0xC02C, 0xCCA9). */
  readonly cipherSuites?: readonly number[];
  /** First flight retransmission timeout (default 1000 ms, RFC 6347 §4.2.4.1). */
  readonly initialRetransmitMs?: number;
  /** Cap of the doubling timeout (default 60000 ms). */
  readonly maxRetransmitMs?: number;
  /** Give up a handshake not done after this long (default 60000 ms). */
  readonly handshakeTimeoutMs?: number;
  /** Bounds on buffered handshake fragments. */
  readonly reassembly?: Partial<ReassemblyLimits>;
  /** Records of the next epoch held until ChangeCipherSpec (default 32). */
  readonly maxEarlyRecords?: number;
  /** Client: extra extensions appended to our ClientHello (interop tests: mimic a browser's DTLS 1.3 hello). */
  readonly extraClientHelloExtensions?: readonly Extension[];
  /**
   * Client: application data may follow our Finished before the server's Finished has come (a false
   * start, RFC 7918), once the server's certificate matched its fingerprint; the endpoint then says
   * 'writable'. Only towards a server that reads every record of a datagram (default off).
   */
  readonly falseStart?: boolean;
  /**
   * Largest application_data plaintext send() takes (default 16384, RFC 6347). Larger only towards a
   * peer that said it reads such records (SDP `a=x-dtls-record-limit`, between rtcpeer peers); at most
   * RECORD_PLAINTEXT_CEILING.
   */
  readonly maxRecordPlaintext?: number;
}

export interface ResolvedDtlsOptions {
  readonly role: 'client' | 'server';
  readonly rng: Rng;
  readonly crypto: DtlsCryptoProvider;
  readonly logger: Logger;
  readonly certificate: DtlsCertificate;
  readonly remoteFingerprints: readonly Fingerprint[];
  /** remoteFingerprints as bytes (parsed once, not per handshake message). */
  readonly expectedFingerprints: readonly ExpectedFingerprint[];
  readonly mtu: number;
  readonly cookieExchange: boolean;
  readonly cipherSuites: readonly number[];
  readonly initialRetransmitMs: number;
  readonly maxRetransmitMs: number;
  readonly handshakeTimeoutMs: number;
  readonly reassembly: ReassemblyLimits;
  readonly maxEarlyRecords: number;
  readonly extraClientHelloExtensions: readonly Extension[];
  readonly falseStart: boolean;
  readonly maxRecordPlaintext: number;
}

function positive(name: string, v: number | undefined, dflt: number, min = 1): number {
  const x = v ?? dflt;
  if (!Number.isFinite(x) || x < min) throw new UsageError('dtls.options', `${name} must be a number >= ${min}, got ${String(v)}`);
  return x;
}

export function recordLimit(v: number | undefined): number {
  const x = v ?? MAX_PLAINTEXT;
  if (!Number.isInteger(x) || x < MAX_PLAINTEXT || x > RECORD_PLAINTEXT_CEILING) {
    throw new UsageError('dtls.options', `maxRecordPlaintext must be an integer in ${MAX_PLAINTEXT}..${RECORD_PLAINTEXT_CEILING}, got ${String(v)}`);
  }
  return x;
}

/** Applies the documented defaults; throws UsageError on bad values. */
export function resolveDtlsOptions(o: DtlsOptions): ResolvedDtlsOptions {
  if (o.role !== 'client' && o.role !== 'server') throw new UsageError('dtls.options', `role must be 'client' or 'server'`);
  const suites = o.cipherSuites ?? DEFAULT_CIPHER_SUITES;
  if (suites.length === 0 || suites.some((s) => cipherSuite(s) === undefined)) {
    throw new UsageError('dtls.options', `cipherSuites must be a non-empty subset of ${DEFAULT_CIPHER_SUITES.map((s) => `0x${s.toString(16)}`).join(', ')}`);
  }
  const fingerprints = o.remoteFingerprints ?? [];
  const expectedFingerprints = validateFingerprints(fingerprints);
  const certificate = o.certificate ?? generateCertificate({ crypto: o.crypto, rng: o.rng });
  return {
    role: o.role,
    rng: o.rng,
    crypto: o.crypto,
    logger: (o.logger ?? silentLogger).child({ layer: 'dtls' }),
    certificate,
    remoteFingerprints: fingerprints,
    expectedFingerprints,
    mtu: Math.min(positive('mtu', o.mtu, 1200, 128), 65507),
    cookieExchange: o.cookieExchange ?? false,
    cipherSuites: suites,
    initialRetransmitMs: positive('initialRetransmitMs', o.initialRetransmitMs, 1000),
    maxRetransmitMs: positive('maxRetransmitMs', o.maxRetransmitMs, 60000),
    handshakeTimeoutMs: positive('handshakeTimeoutMs', o.handshakeTimeoutMs, 60000),
    reassembly: Object.assign({}, DEFAULT_REASSEMBLY_LIMITS, o.reassembly),
    maxEarlyRecords: positive('maxEarlyRecords', o.maxEarlyRecords, 32, 0),
    extraClientHelloExtensions: o.extraClientHelloExtensions ?? [],
    falseStart: o.falseStart === true && o.role === 'client',
    maxRecordPlaintext: recordLimit(o.maxRecordPlaintext),
  };
}
