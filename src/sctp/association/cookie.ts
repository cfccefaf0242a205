import { Reader } from '../../core/bytes/reader.js';
import { Writer } from '../../core/bytes/writer.js';
import { timingSafeEqual, type CryptoProvider } from '../../core/crypto.js';
import { isParseError } from '../../core/errors.js';

/**
 * Our State Cookie (RFC 9260 §5.1.3): everything needed to create the association when COOKIE-ECHO
 * comes back, signed with HMAC-SHA256 under a secret from the Rng, so INIT needs no state (§5.1.3,
 * "stateless" INIT-ACK). Layout (ours, version 1):
 *
 * | ver=1 | flags | reserved(2) | myTag | peerTag | myInitialTsn | peerInitialTsn | peerArwnd |
 * | outStreams(2) | inStreams(2) | tieMy | tiePeer | created (u48 ms) | pad(2) | HMAC-SHA256 (32) |
 */
export interface CookieData {
  readonly myTag: number;
  readonly peerTag: number;
  readonly myInitialTsn: number;
  readonly peerInitialTsn: number;
  readonly peerArwnd: number;
  readonly outStreams: number;
  readonly inStreams: number;
  readonly tieMy: number;
  readonly tiePeer: number;
  readonly created: number;
  readonly peerZeroChecksum: boolean;
  readonly peerForwardTsn: boolean;
  readonly peerReconfig: boolean;
  /** The peer lists PAD (RFC 4820) in its Supported Extensions: PLPMTUD probes may go to it. */
  readonly peerPad: boolean;
}

const BODY = 44;
const MAC = 32;

export function makeCookie(d: CookieData, secret: Uint8Array, crypto: CryptoProvider): Uint8Array {
  const w = new Writer(BODY + MAC);
  const flags = (d.peerZeroChecksum ? 1 : 0) | (d.peerForwardTsn ? 2 : 0) | (d.peerReconfig ? 4 : 0) | (d.peerPad ? 8 : 0);
  w.u8(1).u8(flags).u16(0).u32(d.myTag).u32(d.peerTag).u32(d.myInitialTsn).u32(d.peerInitialTsn).u32(d.peerArwnd);
  w.u16(d.outStreams).u16(d.inStreams).u32(d.tieMy).u32(d.tiePeer).u48(Math.max(0, Math.floor(d.created))).u16(0);
  const body = w.slice();
  w.bytes(crypto.hmac('sha256', secret, body));
  return w.toBytes();
}

export type CookieResult = { ok: true; data: CookieData } | { ok: false; why: 'malformed' | 'bad-mac' | 'stale' };

/** Verifies and opens a cookie echoed by the peer. */
export function openCookie(cookie: Uint8Array, secret: Uint8Array, crypto: CryptoProvider, now: number, lifetime: number): CookieResult {
  if (cookie.length !== BODY + MAC || cookie[0] !== 1) return { ok: false, why: 'malformed' };
  const mac = crypto.hmac('sha256', secret, cookie.subarray(0, BODY));
  if (!timingSafeEqual(mac, cookie.subarray(BODY))) return { ok: false, why: 'bad-mac' };
  try {
    const r = new Reader(cookie, 0, BODY, 'sctp.cookie');
    const flags = (r.u8(), r.u8());
    r.skip(2);
    const data: CookieData = {
      myTag: r.u32(), peerTag: r.u32(), myInitialTsn: r.u32(), peerInitialTsn: r.u32(), peerArwnd: r.u32(),
      outStreams: r.u16(), inStreams: r.u16(), tieMy: r.u32(), tiePeer: r.u32(), created: r.u48(),
      peerZeroChecksum: (flags & 1) !== 0, peerForwardTsn: (flags & 2) !== 0, peerReconfig: (flags & 4) !== 0,
      peerPad: (flags & 8) !== 0,
    };
    // RFC 9260 §5.1.5 step 3: a cookie older than its lifetime is stale.
    if (now - data.created > lifetime) return { ok: false, why: 'stale' };
    return { ok: true, data };
  } catch (e) {
    if (isParseError(e)) return { ok: false, why: 'malformed' };
    throw e;
  }
}
