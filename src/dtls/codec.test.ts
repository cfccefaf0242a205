import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fromHex, toHex } from '../core/bytes/hex.js';
import { isParseError } from '../core/errors.js';
import { DTLS10, DTLS12, ExtensionType, HandshakeType } from './constants.js';
import { decodeU16List, decodeUseSrtp, findExtension, readExtensions } from './extensions.js';
import { Reader } from '../core/bytes/reader.js';
import { decodeRecords, encodeRecord } from './record/header.js';
import { decodeHandshakeFragments, encodeHandshakeFragment } from './handshake/header.js';
import { decodeClientHello, encodeClientHello } from './handshake/messages/client-hello.js';
import { decodeServerHello, encodeServerHello } from './handshake/messages/server-hello.js';
import { decodeHelloVerifyRequest, encodeHelloVerifyRequest } from './handshake/messages/hello-verify-request.js';
import { decodeCertificate, encodeCertificate } from './handshake/messages/certificate.js';
import { decodeServerKeyExchange, encodeServerKeyExchange } from './handshake/messages/server-key-exchange.js';
import { decodeCertificateRequest, encodeCertificateRequest } from './handshake/messages/certificate-request.js';
import { decodeClientKeyExchange, decodeServerHelloDone, encodeClientKeyExchange } from './handshake/messages/key-exchange.js';
import { decodeCertificateVerify, decodeFinished, encodeCertificateVerify } from './handshake/messages/certificate-verify.js';

// Captured from `openssl s_client -dtls1_2` (see test/vectors/dtls/README.md).
const OPENSSL_CH = fromHex(readFileSync(new URL('../../test/vectors/dtls/openssl-3.0-client-hello.hex', import.meta.url), 'utf8'));

test('golden: OpenSSL 3.0 ClientHello datagram decodes record → fragment → ClientHello, and re-encodes byte for byte', () => {
  const [rec, ...more] = decodeRecords(OPENSSL_CH);
  assert.equal(more.length, 0);
  assert.deepEqual(rec?.header, { contentType: 22, version: DTLS10, epoch: 0, sequence: 0, length: 0xc0 });
  const [frag] = decodeHandshakeFragments(rec!.fragment);
  assert.equal(frag?.msgType, HandshakeType.clientHello);
  assert.equal(frag?.length, 0xb4);
  assert.equal(frag?.fragmentOffset, 0);
  const ch = decodeClientHello(frag!.body);
  assert.equal(ch.clientVersion, DTLS12);
  assert.equal(ch.cookie.length, 0);
  assert.ok(ch.cipherSuites.includes(0xc02b) && ch.cipherSuites.includes(0xcca9) && ch.cipherSuites.includes(0x00ff));
  assert.deepEqual(decodeU16List(findExtension(ch.extensions, ExtensionType.supportedGroups)!.data), [0x1d, 0x17, 0x1e, 0x19, 0x18]);
  assert.ok(findExtension(ch.extensions, ExtensionType.extendedMasterSecret));
  assert.equal(toHex(encodeClientHello(ch)), toHex(frag!.body));
  assert.equal(toHex(encodeRecord(rec!.header, encodeHandshakeFragment(frag!))), toHex(OPENSSL_CH));
});

test('records: several per datagram, 48-bit sequence numbers round-trip', () => {
  const a = encodeRecord({ contentType: 23, version: DTLS12, epoch: 1, sequence: 2 ** 48 - 1 }, Uint8Array.of(1, 2, 3));
  const b = encodeRecord({ contentType: 21, version: DTLS12, epoch: 0xffff, sequence: 0x123456789a }, new Uint8Array(0));
  const d = new Uint8Array([...a, ...b]);
  const recs = decodeRecords(d);
  assert.equal(recs.length, 2);
  assert.equal(recs[0]?.header.sequence, 2 ** 48 - 1);
  assert.equal(recs[1]?.header.sequence, 0x123456789a);
  assert.equal(recs[1]?.header.epoch, 0xffff);
  assert.deepEqual(Array.from(recs[0]!.fragment), [1, 2, 3]);
});

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

test('round trips of every handshake message codec', () => {
  fc.assert(
    fc.property(bytes(32, 32), bytes(0, 32), bytes(0, 255), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 }), (random, sid, cookie, suites) => {
      const ch = { clientVersion: DTLS12, random, sessionId: sid, cookie, cipherSuites: suites, compressionMethods: [0], extensions: [{ type: 0xff01, data: Uint8Array.of(0) }, { type: 0x2b, data: random }] };
      assert.deepEqual(decodeClientHello(encodeClientHello(ch)), ch);
      const sh = { serverVersion: DTLS12, random, sessionId: sid, cipherSuite: suites[0] as number, compressionMethod: 0, extensions: [] };
      assert.deepEqual(decodeServerHello(encodeServerHello(sh)), sh);
      assert.deepEqual(decodeHelloVerifyRequest(encodeHelloVerifyRequest({ serverVersion: DTLS10, cookie })), { serverVersion: DTLS10, cookie });
      assert.deepEqual(decodeCertificate(encodeCertificate({ certificates: [random, cookie.length ? cookie : random] })).certificates.length, 2);
      const ske = { namedGroup: 29, publicKey: random, scheme: 0x0403, signature: cookie };
      assert.deepEqual(decodeServerKeyExchange(encodeServerKeyExchange(ske)), ske);
      const cr = { certificateTypes: [64, 1], signatureSchemes: suites, authorities: [random] };
      assert.deepEqual(decodeCertificateRequest(encodeCertificateRequest(cr)), cr);
      assert.deepEqual(decodeClientKeyExchange(encodeClientKeyExchange(random)), random);
      assert.deepEqual(decodeCertificateVerify(encodeCertificateVerify({ scheme: 0x0804, signature: cookie })), { scheme: 0x0804, signature: cookie });
      assert.deepEqual(decodeFinished(random.subarray(0, 12)), random.subarray(0, 12));
    }),
    { numRuns: 200 },
  );
  decodeServerHelloDone(new Uint8Array(0));
});

const DECODERS: Array<[string, (b: Uint8Array) => unknown]> = [
  ['records', (b) => decodeRecords(b)],
  ['handshake fragments', decodeHandshakeFragments],
  ['ClientHello', decodeClientHello],
  ['ServerHello', decodeServerHello],
  ['HelloVerifyRequest', decodeHelloVerifyRequest],
  ['Certificate', decodeCertificate],
  ['ServerKeyExchange', decodeServerKeyExchange],
  ['CertificateRequest', decodeCertificateRequest],
  ['ClientKeyExchange', decodeClientKeyExchange],
  ['ServerHelloDone', decodeServerHelloDone],
  ['CertificateVerify', decodeCertificateVerify],
  ['Finished', decodeFinished],
  ['u16 list', decodeU16List],
  ['use_srtp', decodeUseSrtp],
  ['extensions', (b) => readExtensions(new Reader(b))],
];

function valueOrParseError(decode: (b: Uint8Array) => unknown, b: Uint8Array): void {
  try {
    decode(b);
  } catch (e: unknown) {
    if (!isParseError(e)) throw e;
  }
}

test('property: random and mutated bytes give a value or a typed ParseError, nothing else', () => {
  const chBody = decodeHandshakeFragments(decodeRecords(OPENSSL_CH)[0]!.fragment)[0]!.body;
  for (const [, decode] of DECODERS) {
    fc.assert(fc.property(bytes(0, 300), (b) => valueOrParseError(decode, b)), { numRuns: 300 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(), (muts, cut) => {
        for (const base of [OPENSSL_CH, chBody]) {
          const m = base.slice(0, base.length - (cut % 8));
          for (const [i, v] of muts) m[i % m.length] = v;
          valueOrParseError(decode, m);
        }
      }),
      { numRuns: 200 },
    );
  }
});
