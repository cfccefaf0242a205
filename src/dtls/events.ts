import type { ProtocolError } from '../core/errors.js';

/** What a DtlsEndpoint tells the layer above. */
export type DtlsEvent =
  | {
      readonly type: 'connected';
      /** IANA name, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256. */
      readonly cipherSuite: string;
      readonly cipherSuiteId: number;
      /** The peer's certificate (DER), already checked against the remote fingerprints. */
      readonly remoteCertificate: Uint8Array;
      /** use_srtp profile negotiated (informational; no keys are exported). */
      readonly srtpProfile: number | undefined;
    }
  /**
   * Client with `falseStart`: our Finished is sent and the server's certificate matched, so send()
   * works now, before 'connected' (whose remoteCertificate is that same certificate).
   */
  | { readonly type: 'writable' }
  | { readonly type: 'data'; readonly data: Uint8Array }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly error: ProtocolError };

/** Lifecycle of an endpoint. 'verifying' = handshake done, waiting for remote fingerprints. */
export type DtlsState = 'new' | 'handshaking' | 'verifying' | 'connected' | 'closed' | 'failed';
