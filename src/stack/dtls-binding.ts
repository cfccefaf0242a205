/**
 * The DTLS layer for PeerStack: one certificate per DtlsFactory (so offers can carry its fingerprint
 * before any handshake, RFC 8842 §5) and a `DtlsEndpoint` per association.
 *
 * `sharedCertificate(crypto, rng)` is one certificate per crypto provider for the whole process, as
 * a browser keeps one per origin: making a P-256 key and signing a certificate costs 0.3 to 1 ms on
 * the critical path of every connection (before the offer and before the answer), and sharing it
 * weakens nothing in the handshake (ECDHE keys are fresh per connection, the peer still checks the
 * fingerprint it got over signalling). What it gives away: every connection of the process shows
 * the same fingerprint, so peers can tell two connections come from the same process.
 */
import type { Rng } from '../core/rng.js';
import { DtlsEndpoint, generateCertificate } from '../dtls/index.js';
import type { DtlsCertificate, DtlsCryptoProvider, DtlsOptions } from '../dtls/index.js';
import type { DtlsFactory } from './ports.js';

export interface DtlsBindingOptions {
  readonly rng: Rng;
  readonly crypto: DtlsCryptoProvider;
  /** Our identity; generated (ECDSA P-256, self-signed) when absent. See `sharedCertificate`. */
  readonly certificate?: DtlsCertificate;
  /** Extra DtlsEndpoint options (mtu, timers, suites). `initialRetransmitMs` defaults to
   * WEBRTC_DTLS_INITIAL_RETRANSMIT_MS here. */
  readonly endpoint?: Partial<Omit<DtlsOptions, 'role' | 'rng' | 'crypto' | 'certificate' | 'remoteFingerprints' | 'logger'>>;
}

/**
 * First DTLS flight retransmission timeout for WebRTC: 100 ms instead of RFC 6347's 1 s, doubling
 * from there. Browsers do the same: NSS (Firefox) uses a fixed 50 ms ("The default value from RFC
 * 4347 is 1s, which is too slow", DTLS_RETRANSMIT_INITIAL_MS in lib/ssl/sslimpl.h), libwebrtc
 * (Chrome) 2 x the ICE RTT clamped to [50, 3000] ms (p2p/base/dtls_transport.cc,
 * ConfigureHandshakeTimeout). ICE has just proved the path, so a flight lost now is real loss and
 * a 1 s wait is a visible setup stall; on paths slower than 100 ms RTT the cost is one or two
 * spurious flights.
 */
export const WEBRTC_DTLS_INITIAL_RETRANSMIT_MS = 100;

const shared = new WeakMap<DtlsCryptoProvider, DtlsCertificate>();

/** The process-wide certificate of `crypto`, generated with `rng` on first use. */
export function sharedCertificate(crypto: DtlsCryptoProvider, rng: Rng): DtlsCertificate {
  let cert = shared.get(crypto);
  if (!cert) {
    cert = generateCertificate({ crypto, rng });
    shared.set(crypto, cert);
  }
  return cert;
}

export function dtlsFactory(o: DtlsBindingOptions): DtlsFactory {
  const certificate = o.certificate ?? generateCertificate({ crypto: o.crypto, rng: o.rng });
  return {
    fingerprint: { algorithm: 'sha-256', value: certificate.fingerprint('sha-256') },
    create: (role, remoteFingerprints, logger, peer = {}) =>
      new DtlsEndpoint({
        initialRetransmitMs: WEBRTC_DTLS_INITIAL_RETRANSMIT_MS,
        ...o.endpoint,
        role,
        rng: o.rng,
        crypto: o.crypto,
        certificate,
        remoteFingerprints,
        logger,
        falseStart: peer.falseStart === true,
        ...(peer.maxRecordPlaintext !== undefined ? { maxRecordPlaintext: peer.maxRecordPlaintext } : {}),
      }),
  };
}
