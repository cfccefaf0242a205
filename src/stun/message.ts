/**
 * STUN message codec (RFC 8489 §5, §14): header, then TLV attributes each padded to 4 bytes.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Type                  |            Length             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Value (variable)                ....  |  + 0-3 padding bytes
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Decoding rules: padding bytes are ignored whatever their value (§14); attributes after
 * MESSAGE-INTEGRITY are ignored except MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, attributes after
 * MESSAGE-INTEGRITY-SHA256 are ignored except FINGERPRINT (§14.5, §14.6); FINGERPRINT must be last
 * (§14.7). Integrity and fingerprint are CHECKED by integrity.ts on the raw bytes, not here.
 */
import { crc32 } from '../core/bytes/crc32.js';
import { Reader } from '../core/bytes/reader.js';
import { Writer } from '../core/bytes/writer.js';
import type { CryptoProvider } from '../core/crypto.js';
import { UsageError } from '../core/errors.js';
import { ATTRIBUTE_BY_CODE, ATTRIBUTE_TABLE, type AttrContext, type AttrRow } from './attr-table.js';
import type { StunAttribute } from './attributes.js';
import { AttrCode, FINGERPRINT_XOR, HEADER_SIZE, MAGIC_COOKIE, TRANSACTION_ID_SIZE, type StunClass } from './constants.js';
import { messageType, splitMessageType } from './header.js';

/** A decoded STUN message. `transactionId` is a 12-byte copy; raw attribute values are views. */
export interface StunMessage {
  readonly method: number;
  readonly cls: StunClass;
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
}

/** Options of encodeStun. */
export interface StunEncodeOptions {
  /** Appends MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) keyed with this key. */
  readonly integrityKey?: Uint8Array;
  /** With integrityKey: 'sha1' (default), 'sha256' (MESSAGE-INTEGRITY-SHA256 only, §14.6) or 'both'. */
  readonly integrity?: 'sha1' | 'sha256' | 'both';
  /** Appends FINGERPRINT (RFC 8489 §14.7) last. */
  readonly fingerprint?: boolean;
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

type Seen = 'none' | 'mi' | 'mi256' | 'fingerprint';

/** Decodes one STUN message. Throws ParseError (codes `stun.*`) on malformed input, nothing else. */
export function decodeStun(buf: Uint8Array): StunMessage {
  const r = new Reader(buf, 0, buf.length, 'stun');
  const type = r.u16();
  if (type & 0xc000) r.fail('not-stun', 'first two bits are not zero');
  const length = r.u16();
  if (r.u32() !== MAGIC_COOKIE) r.fail('cookie', 'no magic cookie (RFC 3489 messages are not supported)');
  if (length % 4 !== 0 || length + HEADER_SIZE !== buf.length) r.fail('length', `length field ${length} does not match ${buf.length} bytes`);
  const transactionId = r.bytes(TRANSACTION_ID_SIZE).slice();
  const ctx: AttrContext = { transactionId };
  const attributes: StunAttribute[] = [];
  let seen: Seen = 'none';
  while (r.offset < r.end) {
    if (seen === 'fingerprint') r.fail('after-fingerprint', 'attribute after FINGERPRINT');
    const code = r.u16();
    const len = r.u16();
    const value = r.sub(len);
    r.skip(pad4(len));
    if (code === AttrCode.Fingerprint) seen = 'fingerprint';
    else if (seen === 'mi256' || (seen === 'mi' && code !== AttrCode.MessageIntegritySha256)) continue;
    else if (code === AttrCode.MessageIntegrity) seen = 'mi';
    else if (code === AttrCode.MessageIntegritySha256) seen = 'mi256';
    attributes.push(decodeAttribute(code, value, ctx));
  }
  // fields written out: an object spread is V8's slow path in the interpreter, where a process's
  // first connections decode their STUN messages (issue 6: about 2 µs per spread)
  const t = splitMessageType(type);
  return { method: t.method, cls: t.cls, transactionId, attributes };
}

function decodeAttribute(code: number, value: Reader, ctx: AttrContext): StunAttribute {
  const name = ATTRIBUTE_BY_CODE.get(code);
  if (name === undefined) return { type: 'unknown', code, value: value.rest() };
  const row = ATTRIBUTE_TABLE[name] as AttrRow<unknown>;
  const decoded = row.decode(value, ctx);
  if (value.remaining !== 0) value.fail('attr.length', `attribute 0x${code.toString(16)} has ${value.remaining} extra bytes`);
  return { type: name, value: decoded } as StunAttribute;
}

const writer = new Writer(512);

/**
 * Encodes a message, then appends MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT as asked. Integrity
 * attributes already in `msg.attributes` are written as given (useful for tests only). Throws
 * UsageError for values that cannot be encoded; `crypto` is required with `integrityKey`.
 */
export function encodeStun(msg: StunMessage, opts: StunEncodeOptions = {}, crypto?: CryptoProvider): Uint8Array {
  if (msg.transactionId.length !== TRANSACTION_ID_SIZE) throw new UsageError('stun.transaction-id', 'transaction id must be 12 bytes');
  if (!Number.isInteger(msg.method) || msg.method < 0 || msg.method > 0xfff) throw new UsageError('stun.method', `bad method ${msg.method}`);
  const w = writer;
  w.reset();
  w.u16(messageType(msg.method, msg.cls)).u16(0).u32(MAGIC_COOKIE).bytes(msg.transactionId);
  const ctx: AttrContext = { transactionId: msg.transactionId };
  const attrs = msg.attributes;
  for (let i = 0; i < attrs.length; i++) encodeAttribute(w, attrs[i] as StunAttribute, ctx);
  if (opts.integrityKey) {
    if (!crypto) throw new UsageError('stun.crypto', 'encodeStun needs a CryptoProvider to add MESSAGE-INTEGRITY');
    const which = opts.integrity ?? 'sha1';
    if (which !== 'sha256') appendMac(w, AttrCode.MessageIntegrity, crypto.hmac('sha1', opts.integrityKey, withLength(w, 24)));
    if (which !== 'sha1') appendMac(w, AttrCode.MessageIntegritySha256, crypto.hmac('sha256', opts.integrityKey, withLength(w, 36)));
  }
  if (opts.fingerprint) {
    const crc = (crc32(withLength(w, 8)) ^ FINGERPRINT_XOR) >>> 0;
    w.u16(AttrCode.Fingerprint).u16(4).u32(crc);
  }
  if (w.length - HEADER_SIZE > 0xffff) throw new UsageError('stun.too-big', `message of ${w.length} bytes`);
  w.setU16At(2, w.length - HEADER_SIZE);
  return w.toBytes();
}

/** RFC 8489 §14.5/§14.7: the length field must already count the attribute about to be appended. */
function withLength(w: Writer, extra: number): Uint8Array {
  w.setU16At(2, w.length - HEADER_SIZE + extra);
  return w.slice();
}

function appendMac(w: Writer, code: number, mac: Uint8Array): void {
  w.u16(code).u16(mac.length).bytes(mac);
}

function encodeAttribute(w: Writer, a: StunAttribute, ctx: AttrContext): void {
  const code = a.type === 'unknown' ? a.code : ATTRIBUTE_TABLE[a.type].code;
  w.u16(code);
  const lenAt = w.reserve(2);
  const start = w.length;
  if (a.type === 'unknown') w.bytes(a.value);
  else (ATTRIBUTE_TABLE[a.type] as AttrRow<unknown>).encode(w, a.value, ctx);
  const len = w.length - start;
  if (len > 0xffff) throw new UsageError('stun.attr.too-long', `attribute 0x${code.toString(16)} of ${len} bytes`);
  w.setU16At(lenAt, len);
  w.zeros(pad4(len));
}
