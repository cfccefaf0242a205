// DTLS handshake CPU and the node:crypto operations it is made of, one core, CPU time:
//   npm run build && node bench/micro/handshake.mjs [--json]
// - a full DTLS 1.2 handshake between two DtlsEndpoints (dist/) in memory, both sides' CPU, with
//   certificates made once (as the node binding shares one per process);
// - ECDHE per side (key share + shared secret) for X25519 with keys crossing node:crypto as JWK
//   (what the provider does) or as DER SPKI, and for P-256 through an ECDH object;
// - the peer certificate's public key: an X509Certificate parse against src/dtls/peer-keys.ts's memo.
import { X509Certificate, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { json, measureCpu, printRows } from './timing.mjs';

const dist = (p) => import(new URL(`../../dist/${p}`, import.meta.url).href);
const { DtlsEndpoint, generateCertificate } = await dist('dtls/index.js');
const { SeededRng } = await dist('core/rng.js');
const { nodeDtlsCrypto: c } = await dist('io/node-dtls-crypto.js');
const { NamedGroup } = await dist('dtls/constants.js');
const { peerCertificateKey } = await dist('dtls/peer-keys.js');

const rng = new SeededRng(7);
const certA = generateCertificate({ crypto: c, rng });
const certB = generateCertificate({ crypto: c, rng });
const fp = (x) => [{ algorithm: 'sha-256', value: x.fingerprint('sha-256') }];

function handshake() {
  const opts = { rng, crypto: c };
  const a = new DtlsEndpoint({ ...opts, role: 'client', certificate: certA, remoteFingerprints: fp(certB) });
  const b = new DtlsEndpoint({ ...opts, role: 'server', certificate: certB, remoteFingerprints: fp(certA) });
  a.start(0);
  for (let i = 0; i < 20 && (a.state !== 'connected' || b.state !== 'connected'); i++) {
    for (let d = a.pollTransmit(); d; d = a.pollTransmit()) b.handleInput(i, d);
    for (let d = b.pollTransmit(); d; d = b.pollTransmit()) a.handleInput(i, d);
  }
  if (a.state !== 'connected' || b.state !== 'connected') throw new Error(`handshake did not finish: ${a.state}/${b.state}`);
}

const SPKI = Buffer.from('302a300506032b656e032100', 'hex');
function x25519ViaDer() {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  publicKey.export({ format: 'der', type: 'spki' });
  const peer = createPublicKey({ key: Buffer.concat([SPKI, peerX]), format: 'der', type: 'spki' });
  diffieHellman({ privateKey, publicKey: peer });
}
const peerX = c.generateKeyShare(NamedGroup.x25519).publicKey;
const peerP = c.generateKeyShare(NamedGroup.secp256r1).publicKey;

const rows = [
  measureCpu('DTLS handshake, both sides (certificates made once)', () => handshake(), { batch: 2 }),
  measureCpu('ECDHE X25519 per side: provider (JWK)', () => c.deriveSharedSecret(c.generateKeyShare(NamedGroup.x25519), peerX), { batch: 10 }),
  measureCpu('ECDHE X25519 per side: DER SPKI export/import', x25519ViaDer, { batch: 10 }),
  measureCpu('ECDHE P-256 per side: provider (ECDH object)', () => c.deriveSharedSecret(c.generateKeyShare(NamedGroup.secp256r1), peerP), { batch: 10 }),
  measureCpu('peer certificate key: X509Certificate parse', () => new X509Certificate(certB.der).publicKey.asymmetricKeyDetails, { batch: 10 }),
  measureCpu('peer certificate key: peerCertificateKey (memo by DER)', () => peerCertificateKey(c, certB.der), { batch: 10 }),
];
if (json) console.log(JSON.stringify(rows));
else printRows(`DTLS handshake pieces, CPU time (Node ${process.version})`, rows);
