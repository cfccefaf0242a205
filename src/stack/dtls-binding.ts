/**
 * The DTLS layer for PeerStack: one certificate per peer connection (so offers can carry its
 * fingerprint before any handshake, RFC 8842 §5) and a `DtlsEndpoint` per association.
 */
import type { Rng } from '../core/rng.js';
import { DtlsEndpoint, generateCertificate } from '../dtls/index.js';
import type { DtlsCertificate, DtlsCryptoProvider, DtlsOptions } from '../dtls/index.js';
import type { DtlsFactory } from './ports.js';

export interface DtlsBindingOptions {
  readonly rng: Rng;
  readonly crypto: DtlsCryptoProvider;
  /** Our identity; generated (ECDSA P-256, self-signed) when absent. */
  readonly certificate?: DtlsCertificate;
  /** Extra DtlsEndpoint options (mtu, timers, suites). */
  readonly endpoint?: Partial<Omit<DtlsOptions, 'role' | 'rng' | 'crypto' | 'certificate' | 'remoteFingerprints' | 'logger'>>;
}

export function dtlsFactory(o: DtlsBindingOptions): DtlsFactory {
  const certificate = o.certificate ?? generateCertificate({ crypto: o.crypto, rng: o.rng });
  return {
    fingerprint: { algorithm: 'sha-256', value: certificate.fingerprint('sha-256') },
    create: (role, remoteFingerprints, logger) =>
      new DtlsEndpoint({ ...o.endpoint, role, rng: o.rng, crypto: o.crypto, certificate, remoteFingerprints, logger }),
  };
}
