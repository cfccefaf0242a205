/**
 * Gives WebRTC meaning to a parsed description: finds the data-channel m-line (modern RFC 8841 form
 * or the legacy `DTLS/SCTP` + `a=sctpmap` form), and reads ICE, DTLS and SCTP attributes from the
 * media level, falling back to the session level (Firefox, libdatachannel and Pion put fingerprint and
 * ice-options there). Ignored on purpose: `a=sctp-init` (SNAP, protocol.md 2.8), `a=extmap-allow-mixed`,
 * `a=msid-semantic`, `a=sendrecv`.
 */
import { parseRawSdp, sdpFail, toResult } from './parse.js';
import { fromBase64 } from '../core/bytes/base64.js';
import { DEFAULT_REMOTE_MAX_MESSAGE_SIZE, DEFAULT_SCTP_PORT, MAX_SCTP_INIT_BYTES, SDP_LIMITS } from './types.js';
import type {
  DataChannelMedia,
  DataChannelSdp,
  Fingerprint,
  IceParameters,
  OtherMedia,
  RawMediaSection,
  RawSdp,
  SdpAttribute,
  SdpResult,
  SetupRole,
} from './types.js';

/** Parses SDP text into a data-channel description, or a typed error (`sdp.*`). Never throws. */
export function parseSdp(text: string): SdpResult<DataChannelSdp> {
  const raw = parseRawSdp(text);
  if (!raw.ok) return raw;
  return toResult(() => interpretSdp(raw.value));
}

/** First value of attribute `name`, or undefined. */
export function attrValue(list: readonly SdpAttribute[], name: string): string | undefined {
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as SdpAttribute;
    if (a.name === name) return a.value ?? '';
  }
  return undefined;
}

function hasAttr(list: readonly SdpAttribute[], name: string): boolean {
  return list.some((a) => a.name === name);
}

/** Modern form (RFC 8841 §4.1) or legacy draft-ietf-mmusic-sctp-sdp-05 form. */
function dataChannelForm(m: RawMediaSection): 'modern' | 'legacy' | undefined {
  if (m.media !== 'application') return undefined;
  if ((m.proto === 'UDP/DTLS/SCTP' || m.proto === 'TCP/DTLS/SCTP') && m.formats.includes('webrtc-datachannel')) return 'modern';
  if (m.proto === 'DTLS/SCTP' && /^\d+$/.test(m.formats[0] ?? '')) return 'legacy';
  return undefined;
}

function interpretSdp(raw: RawSdp): DataChannelSdp {
  let dataChannel: DataChannelMedia | undefined;
  const sections: (OtherMedia | 'datachannel')[] = [];
  raw.media.forEach((m, index) => {
    const form = dataChannelForm(m);
    // RFC 8843 §6: port 0 with a=bundle-only is not a rejection.
    const rejected = m.port === 0 && !hasAttr(m.attributes, 'bundle-only');
    if (form && !rejected && !dataChannel) {
      dataChannel = interpretDataChannel(raw, m, index, form === 'legacy');
      sections.push('datachannel');
    } else {
      sections.push({ index, mid: attrValue(m.attributes, 'mid'), media: m.media, proto: m.proto, formats: m.formats, rejected: rejected || !form });
    }
  });
  if (!dataChannel) sdpFail('no-datachannel', 'no accepted "m=application ... webrtc-datachannel" (or legacy DTLS/SCTP) section', 0);
  const group = attrValue(raw.attributes, 'group');
  const bundle = group?.startsWith('BUNDLE') ? group.split(/\s+/).slice(1) : [];
  const iceLite = hasAttr(raw.attributes, 'ice-lite');
  return { origin: raw.origin, iceLite, bundle, dataChannel, sections };
}

function interpretDataChannel(raw: RawSdp, m: RawMediaSection, index: number, legacy: boolean): DataChannelMedia {
  const media = m.attributes;
  const session = raw.attributes;
  const pick = (name: string): string | undefined => attrValue(media, name) ?? attrValue(session, name);
  const candidates = media.filter((a) => a.name === 'candidate').map((a) => `candidate:${a.value ?? ''}`);
  if (candidates.length > SDP_LIMITS.maxCandidates) sdpFail('candidates', `more than ${SDP_LIMITS.maxCandidates} candidates`, 0);
  return {
    index,
    mid: attrValue(media, 'mid') ?? String(index),
    legacy,
    proto: m.proto,
    port: m.port,
    connectionAddress: m.connectionAddress,
    ice: readIce(pick),
    fingerprints: readFingerprints(media.some((a) => a.name === 'fingerprint') ? media : session),
    setup: readSetup(pick('setup')),
    sctpPort: legacy ? legacySctpPort(m) : readPort(attrValue(media, 'sctp-port')),
    maxMessageSize: readMaxMessageSize(attrValue(media, 'max-message-size')),
    candidates,
    endOfCandidates: hasAttr(media, 'end-of-candidates') || hasAttr(session, 'end-of-candidates'),
    dtlsMultiRecord: hasAttr(media, 'x-dtls-multi-record') || hasAttr(session, 'x-dtls-multi-record'),
    dtlsRecordLimit: readRecordLimit(pick('x-dtls-record-limit')),
    earlyDtls: hasAttr(media, 'x-early-dtls') || hasAttr(session, 'x-early-dtls'),
    sctpInit: readSctpInit(attrValue(media, 'sctp-init')),
  };
}

/** `a=sctp-init` (src/sdp/types.ts): strict base64 of at most MAX_SCTP_INIT_BYTES; anything else is ignored. */
function readSctpInit(v: string | undefined): Uint8Array | undefined {
  if (v === undefined || v.length > Math.ceil(MAX_SCTP_INIT_BYTES / 3) * 4) return undefined;
  const b = fromBase64(v.trim());
  return b !== undefined && b.length > 0 ? b : undefined;
}

/** `a=x-dtls-record-limit` (src/sdp/types.ts): an integer 16384..65535; anything else is ignored. */
function readRecordLimit(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d{5}$/.test(v.trim())) return undefined;
  const n = Number(v);
  return n >= 16384 && n <= 65535 ? n : undefined;
}

/** RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"; ufrag 4..256, pwd 22..256 characters. */
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

function readIce(pick: (name: string) => string | undefined): IceParameters {
  const ufrag = pick('ice-ufrag');
  const pwd = pick('ice-pwd');
  if (ufrag === undefined || pwd === undefined) sdpFail('ice.missing', 'missing a=ice-ufrag or a=ice-pwd', 0);
  if (!ICE_CHARS.test(ufrag) || ufrag.length < 4 || ufrag.length > 256) sdpFail('ice.ufrag', `bad a=ice-ufrag "${ufrag.slice(0, 40)}" (4..256 ice-chars)`, 0);
  if (!ICE_CHARS.test(pwd) || pwd.length < 22 || pwd.length > 256) sdpFail('ice.pwd', 'bad a=ice-pwd (22..256 ice-chars)', 0);
  // RFC 8839 §5.6 separates tokens by spaces; libdatachannel writes `ice2,trickle`: accept both.
  const options = (pick('ice-options') ?? '').split(/[\s,]+/).filter((t) => t !== '');
  return { ufrag, pwd, options };
}

/** `a=fingerprint:<hash-func> <HEX>:<HEX>...` (RFC 8122 §5). */
function readFingerprints(list: readonly SdpAttribute[]): Fingerprint[] {
  const out: Fingerprint[] = [];
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as SdpAttribute;
    if (a.name !== 'fingerprint') continue;
    const m = /^(\S+)\s+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$/.exec(a.value ?? '');
    if (!m) sdpFail('fingerprint', `bad a=fingerprint "${(a.value ?? '').slice(0, 40)}"`, 0);
    out.push({ algorithm: (m[1] as string).toLowerCase(), value: (m[2] as string).toUpperCase() });
  }
  if (out.length === 0) sdpFail('fingerprint.missing', 'missing a=fingerprint (needed to authenticate DTLS)', 0);
  return out;
}

function readSetup(v: string | undefined): SetupRole {
  if (v === undefined) return 'actpass';
  if (v === 'actpass' || v === 'active' || v === 'passive' || v === 'holdconn') return v;
  return sdpFail('setup', `bad a=setup "${v.slice(0, 20)}" (actpass, active, passive or holdconn)`, 0);
}

function readPort(v: string | undefined): number {
  if (v === undefined) return DEFAULT_SCTP_PORT;
  const n = /^\d{1,5}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= 65535)) sdpFail('sctp-port', `bad SCTP port "${v.slice(0, 20)}"`, 0);
  return n;
}

/** Legacy: `m=application <p> DTLS/SCTP 5000` + `a=sctpmap:5000 webrtc-datachannel <streams>`. */
function legacySctpPort(m: RawMediaSection): number {
  const sctpmap = attrValue(m.attributes, 'sctpmap');
  const fromMap = sctpmap?.split(/\s+/)[0];
  return readPort(fromMap ?? m.formats[0]);
}

/** RFC 8841 §6: absent → 65536; 0 → the peer can receive messages of any size. */
function readMaxMessageSize(v: string | undefined): number {
  if (v === undefined) return DEFAULT_REMOTE_MAX_MESSAGE_SIZE;
  if (!/^\d{1,16}$/.test(v)) sdpFail('max-message-size', `bad a=max-message-size "${v.slice(0, 20)}"`, 0);
  const n = Number(v);
  return n === 0 ? Number.POSITIVE_INFINITY : Math.min(n, Number.MAX_SAFE_INTEGER);
}
