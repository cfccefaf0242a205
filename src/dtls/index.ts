/**
 * DTLS 1.2 (RFC 6347) for WebRTC data channels (RFC 8827 §6.5, RFC 8842), as a sans-IO stacked layer.
 *
 * ## API (what the stack composes over ICE and under SCTP)
 *
 * ```ts
 * const dtls = new DtlsEndpoint({
 *   role: 'client' | 'server',            // a=setup:active = client, passive = server
 *   rng, crypto: nodeDtlsCrypto,          // DtlsCryptoProvider (src/io/node-dtls-crypto.ts)
 *   certificate?,                         // DtlsCertificate; default: generateCertificate({ crypto, rng })
 *   remoteFingerprints?: [{ algorithm: 'sha-256', value: 'AB:CD:..' }],  // any may match
 *   mtu?: 1200, cookieExchange?: false, cipherSuites?: [0xc02b, 0xc02f, 0xc02c, 0xcca9],
 *   initialRetransmitMs?: 1000, maxRetransmitMs?: 60000, handshakeTimeoutMs?: 60000,
 *   reassembly?: { maxMessageLength, maxAhead, maxBufferedBytes }, maxEarlyRecords?: 32, logger?,
 *   extraClientHelloExtensions?,         // tests/interop only: e.g. a DTLS 1.3-shaped hello
 * });
 * dtls.start(now);                        // client sends ClientHello; server just waits (idempotent)
 * dtls.handleInput(now, datagram);        // every DTLS datagram from ICE (first byte 20..63)
 * dtls.handleTimeout(now);                // at pollTimeout()
 * dtls.pollTransmit();                    // datagrams to send DOWN through ICE
 * dtls.pollEvent();                       // DtlsEvent, below
 * dtls.pollTimeout();
 * dtls.send(now, bytes);                  // one application_data record (UsageError unless connected, or > maxRecordPlaintext, 16384 by default)
 * dtls.setRemoteFingerprints(now, list);  // may come after the handshake: 'connected' waits for it
 * dtls.close(now);                        // close_notify
 * dtls.maxPayload;                        // largest send() that fits one datagram (mtu - 13 - AEAD overhead)
 * dtls.state;                             // 'new' | 'handshaking' | 'verifying' | 'connected' | 'closed' | 'failed'
 * dtls.stats;                             // counters: malformed, undecryptable, replayed, earlyDropped,
 *                                         //   handshakeDropped, retransmittedFlights
 * ```
 *
 * Events: `{ type: 'connected', cipherSuite, cipherSuiteId, remoteCertificate, srtpProfile }`,
 * `{ type: 'data', data }`, `{ type: 'closed' }` (close_notify either way),
 * `{ type: 'failed', error }` (ProtocolError; codes such as `dtls.certificate.fingerprint`,
 * `dtls.handshake.timeout`, `dtls.alert.bad-certificate`).
 *
 * Certificates: `generateCertificate({ crypto, rng })` → `{ der, privateKey, fingerprint('sha-256') }`
 * (self-signed ECDSA P-256, a few ms); `certificateFingerprint(crypto, der, 'sha-256')` → `AB:CD:...`
 * for `a=fingerprint:sha-256 ...`; `certificateFromDer(crypto, der, signingKeyFromPem(pem))` for a
 * supplied ECDSA P-256 or RSA identity (`signingKeyFromPem` lives in src/io/node-dtls-crypto.ts).
 *
 * Driver rule (src/core/types.ts): after every call drain pollTransmit() and pollEvent(), then
 * re-read pollTimeout(). 'connected' is emitted only once the peer certificate matched a remote
 * fingerprint; application data that arrives before is held (bounded) and delivered after it.
 *
 * Behaviour: mutual authentication (server always sends CertificateRequest), HelloVerifyRequest as
 * client, optional cookies as server, suites 0xC02B 0xC02F 0xC02C 0xCCA9, groups P-256 then X25519
 * (handshake/common.ts says why), our key share made ahead of the peer's hello when the provider can
 * (prepareKeyShare), peer certificate keys parsed once per certificate (peer-keys.ts), fingerprints
 * parsed once and checked once per certificate,
 * schemes ecdsa_secp256r1_sha256 / rsa_pss_rsae_sha256 / rsa_pkcs1_sha256, extended master secret,
 * empty renegotiation_info, use_srtp offered; unknown extensions ignored; DTLS 1.3 ClientHellos get
 * 1.2. Flights retransmit at 1 s (initialRetransmitMs; the WebRTC binding, src/stack/dtls-binding.ts,
 * uses 100 ms) doubling to 60 s and answer a retransmitted peer flight at once (25 ms gap); handshake
 * messages are fragmented to the MTU and reassembled from any fragment pattern. Undecryptable or
 * replayed records are dropped and counted (`stats`), never fatal.
 */
export { DtlsEndpoint } from './endpoint.js';
export type { DtlsEvent, DtlsState } from './events.js';
export { resolveDtlsOptions, type DtlsOptions, type ResolvedDtlsOptions } from './options.js';
export { generateCertificate, certificateFromDer, type DtlsCertificate, type GenerateCertificateOptions } from './certificate.js';
export { certificateFingerprint, fingerprintMatches, type Fingerprint, type FingerprintAlgorithm } from './fingerprint.js';
export type { DtlsCryptoProvider, SigningKey, VerifyKey, KeyShare, AeadKey, AeadAlgorithm, KeyKind } from './crypto.js';
export { CIPHER_SUITES, DEFAULT_CIPHER_SUITES, cipherSuite, type CipherSuite } from './cipher/suites.js';
export type { RecordStats } from './record/layer.js';
