import { ProtocolError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Rng } from '../../core/rng.js';
import type { DtlsCertificate } from '../certificate.js';
import type { CipherSuite } from '../cipher/suites.js';
import { extendedMasterSecret, masterSecret } from '../cipher/prf.js';
import type { DtlsCryptoProvider, KeyShare, VerifyKey } from '../crypto.js';
import type { NamedGroupId, SignatureSchemeId } from '../constants.js';
import { Transcript } from './transcript.js';
import type { Extension } from '../extensions.js';

/** One item of a flight: a handshake message at an epoch, or ChangeCipherSpec. */
export type FlightItem =
  | { readonly kind: 'handshake'; readonly epoch: number; readonly msgType: number; readonly messageSeq: number; readonly body: Uint8Array }
  | { readonly kind: 'ccs'; readonly epoch: number };

/** A handshake failure: the alert to send and a readable error. */
export class HandshakeAbort extends ProtocolError {
  constructor(
    readonly alert: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** What the handshake flows need from the endpoint that runs them. */
export interface HandshakeHost {
  readonly crypto: DtlsCryptoProvider;
  readonly rng: Rng;
  readonly logger: Logger;
  readonly certificate: DtlsCertificate;
  readonly cipherSuites: readonly number[];
  readonly cookieExchange: boolean;
  readonly cookieSecret: Uint8Array;
  readonly extraClientHelloExtensions: readonly Extension[];
  /** Sends a flight and keeps it for retransmission; `awaitReply` arms the retransmission timer. */
  sendFlight(items: FlightItem[], awaitReply: boolean): void;
  /** Derives the key block and installs epoch-1 keys (write now, read at the peer's CCS). */
  installKeys(ctx: HandshakeContext): void;
  /** Checks the peer certificate (`sha256`: its SHA-256 if known) against the remote fingerprints (throws HandshakeAbort on mismatch). */
  checkPeerCertificate(der: Uint8Array, sha256?: Uint8Array): void;
  /** The handshake completed (both Finished verified). */
  completed(ctx: HandshakeContext): void;
  /** Epoch of the records being read now (Finished must arrive protected). */
  readonly readEpoch: number;
}

/** Everything one handshake learns; flows fill it in as messages pass. */
export class HandshakeContext {
  readonly transcript = new Transcript();
  clientRandom: Uint8Array = new Uint8Array(32);
  serverRandom: Uint8Array = new Uint8Array(32);
  suite: CipherSuite | undefined;
  extendedMasterSecret = false;
  group: NamedGroupId | undefined;
  keyShare: KeyShare | undefined;
  preMaster: Uint8Array | undefined;
  master: Uint8Array | undefined;
  peerCertificate: Uint8Array | undefined;
  peerKey: VerifyKey | undefined;
  /** Scheme we sign CertificateVerify / ServerKeyExchange with. */
  ourScheme: SignatureSchemeId | undefined;
  /** Schemes the peer accepts (from signature_algorithms or CertificateRequest). */
  peerSchemes: readonly number[] = [];
  /** Client: the server asked for our certificate. */
  certificateRequested = false;
  /** Selected SRTP profile (negotiated, never used: data channels only). */
  srtpProfile: number | undefined;
  /** Next message_seq we send. */
  sendSeq = 0;
  /** Cookie from a HelloVerifyRequest (client). */
  cookie: Uint8Array = new Uint8Array(0);

  /** RFC 5246 §8.1 / RFC 7627 §4: the master secret once the premaster and transcript through ClientKeyExchange are known. */
  deriveMaster(crypto: DtlsCryptoProvider): Uint8Array {
    const suite = this.requireSuite();
    if (this.preMaster === undefined) throw new HandshakeAbort(80, 'dtls.internal', 'no premaster secret');
    this.master = this.extendedMasterSecret
      ? extendedMasterSecret(crypto, suite.prfHash, this.preMaster, this.transcript.hash(crypto, suite.prfHash))
      : masterSecret(crypto, suite.prfHash, this.preMaster, this.clientRandom, this.serverRandom);
    this.preMaster.fill(0);
    return this.master;
  }

  requireSuite(): CipherSuite {
    if (this.suite === undefined) throw new HandshakeAbort(80, 'dtls.internal', 'no cipher suite yet');
    return this.suite;
  }

  requireMaster(): Uint8Array {
    if (this.master === undefined) throw new HandshakeAbort(80, 'dtls.internal', 'no master secret yet');
    return this.master;
  }
}
