/**
 * Builds our offers and answers (protocol.md 5.2): one `m=application 9 UDP/DTLS/SCTP
 * webrtc-datachannel` section, ICE and DTLS attributes at media level, CRLF line ends. Answers keep
 * the offer's m-line order, mids and proto token, reject every other m-line with port 0 (RFC 8829
 * §5.3.1), and use the legacy `DTLS/SCTP` + `a=sctpmap` form when the offer did (node-webrtc#444).
 * `a=sctp-init` is never written (libdatachannel#1620).
 */
import { toBase64 } from '../core/bytes/base64.js';
import type { DataChannelSdp, Fingerprint, MediaTransportParams, OtherMedia } from './types.js';

/** What our data-channel m-line says (`setup`: actpass in offers, active/passive in answers). */
export type LocalMediaParams = MediaTransportParams;

/** `o=` line values: a random 64-bit id (decimal) and a version bumped on every new description. */
export interface SessionParams {
  readonly sessionId: string;
  readonly sessionVersion: number;
}

const CRLF = '\r\n';

function sessionHeader(s: SessionParams, bundle: readonly string[]): string[] {
  const lines = ['v=0', `o=- ${s.sessionId} ${s.sessionVersion} IN IP4 0.0.0.0`, 's=-', 't=0 0'];
  if (bundle.length > 0) lines.push(`a=group:BUNDLE ${bundle.join(' ')}`);
  lines.push('a=msid-semantic: WMS');
  return lines;
}

function candidateLine(c: string): string {
  const v = c.startsWith('a=') ? c.slice(2) : c;
  return v.startsWith('candidate:') ? `a=${v}` : `a=candidate:${v}`;
}

function dataChannelSection(p: LocalMediaParams, mid: string, legacy: boolean, proto: string): string[] {
  const lines = legacy
    ? [`m=application 9 ${proto} ${p.sctpPort}`]
    : [`m=application 9 ${proto} webrtc-datachannel`];
  lines.push('c=IN IP4 0.0.0.0');
  const candidates = p.candidates;
  for (let i = 0; i < candidates.length; i++) lines.push(candidateLine(candidates[i] as string));
  if (p.endOfCandidates) lines.push('a=end-of-candidates');
  lines.push(`a=ice-ufrag:${p.ice.ufrag}`, `a=ice-pwd:${p.ice.pwd}`);
  if (p.ice.options.length > 0) lines.push(`a=ice-options:${p.ice.options.join(' ')}`);
  const fingerprints = p.fingerprints;
  for (let i = 0; i < fingerprints.length; i++) {
    const f = fingerprints[i] as Fingerprint;
    lines.push(`a=fingerprint:${f.algorithm} ${f.value}`);
  }
  lines.push(`a=setup:${p.setup}`, `a=mid:${mid}`);
  if (p.dtlsMultiRecord === true) lines.push('a=x-dtls-multi-record');
  if (p.dtlsRecordLimit !== undefined) lines.push(`a=x-dtls-record-limit:${p.dtlsRecordLimit}`);
  if (p.earlyDtls === true) lines.push('a=x-early-dtls');
  if (p.sctpInit !== undefined) lines.push(`a=sctp-init:${toBase64(p.sctpInit)}`);
  // Legacy form: the SCTP port is the m-line format and a=sctpmap names the protocol (draft -05).
  lines.push(legacy ? `a=sctpmap:${p.sctpPort} webrtc-datachannel 1024` : `a=sctp-port:${p.sctpPort}`);
  lines.push(`a=max-message-size:${p.maxMessageSize}`);
  return lines;
}

/** Our offer: always the modern form, `a=setup:actpass` expected in `media.setup` (RFC 8842 §5.2). */
export function buildOffer(session: SessionParams, media: LocalMediaParams, mid = '0'): string {
  const lines = sessionHeader(session, [mid]).concat(dataChannelSection(media, mid, false, 'UDP/DTLS/SCTP'));
  return lines.join(CRLF) + CRLF;
}

/** Our answer to `offer`, mirroring its m-lines; `media.setup` is `active` or `passive`. */
export function buildAnswer(session: SessionParams, offer: DataChannelSdp, media: LocalMediaParams): string {
  const dc = offer.dataChannel;
  const body: string[] = [];
  const sections = offer.sections;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i] as OtherMedia | 'datachannel';
    if (s === 'datachannel') {
      body.push(...dataChannelSection(media, dc.mid, dc.legacy, dc.proto));
      continue;
    }
    // RFC 8829 §5.3.1: a rejected m-line keeps media, proto and formats with port 0.
    body.push(`m=${s.media} 0 ${s.proto} ${s.formats.join(' ')}`, 'c=IN IP4 0.0.0.0');
    if (s.mid !== undefined) body.push(`a=mid:${s.mid}`);
  }
  const bundle = offer.bundle.includes(dc.mid) ? [dc.mid] : [];
  return sessionHeader(session, bundle).concat(body).join(CRLF) + CRLF;
}
