/**
 * Line-level SDP parser (RFC 8866 §5 grammar, the subset WebRTC uses): `<type>=<value>` lines
 * separated by CRLF (LF accepted), `v=0` first, `m=` lines opening media sections. Unknown line types
 * and attributes are kept or skipped, never fatal. Pure and total: bad input gives a typed error.
 */
import { ParseError } from '../core/errors.js';
import { SDP_LIMITS } from './types.js';
import type { RawMediaSection, RawSdp, SdpAttribute, SdpOrigin, SdpResult } from './types.js';

interface MutableSection {
  media: string;
  port: number;
  proto: string;
  formats: string[];
  connectionAddress: string | undefined;
  attributes: SdpAttribute[];
}

/** Throwing helper used only inside this module; `parseRawSdp` converts it into a result. */
export function sdpFail(code: string, message: string, offset: number): never {
  throw new ParseError(`sdp.${code}`, message, offset);
}

/** Runs `fn`, turning a thrown ParseError (ours) into a failed result; anything else is a bug. */
export function toResult<T>(fn: () => T): SdpResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e };
    throw e;
  }
}

/** Parses SDP text into its line structure. */
export function parseRawSdp(text: string): SdpResult<RawSdp> {
  return toResult(() => parseRawOrThrow(text));
}

interface ParseState {
  readonly session: SdpAttribute[];
  readonly media: MutableSection[];
  origin: SdpOrigin | undefined;
  sessionName: string;
  sawVersion: boolean;
}

function parseRawOrThrow(text: string): RawSdp {
  if (typeof text !== 'string') sdpFail('type', 'SDP must be a string', 0);
  if (text.length > SDP_LIMITS.maxLength) sdpFail('too-large', `SDP longer than ${SDP_LIMITS.maxLength} characters`, 0);
  const st: ParseState = { session: [], media: [], origin: undefined, sessionName: '', sawVersion: false };
  let offset = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const start = offset;
    offset += line.length + 1;
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l.trim() !== '') handleLine(st, l, start);
  }
  if (!st.sawVersion) sdpFail('empty', 'empty SDP', 0);
  if (!st.origin) sdpFail('origin', 'missing "o=" line', 0);
  return { origin: st.origin, sessionName: st.sessionName, attributes: st.session, media: st.media as RawMediaSection[] };
}

function handleLine(st: ParseState, l: string, at: number): void {
  const m = /^([a-z])=(.*)$/.exec(l);
  if (!m) sdpFail('line', `not a "<type>=<value>" line: "${l.slice(0, 40)}"`, at);
  const type = m[1] as string;
  const value = m[2] as string;
  if (!st.sawVersion) {
    if (type !== 'v' || value.trim() !== '0') sdpFail('version', 'SDP must start with "v=0"', at);
    st.sawVersion = true;
    return;
  }
  const current = st.media[st.media.length - 1];
  switch (type) {
    case 'o':
      st.origin = parseOrigin(value, at);
      break;
    case 's':
      st.sessionName = value;
      break;
    case 'm':
      if (st.media.length >= SDP_LIMITS.maxMediaSections) sdpFail('media.count', `more than ${SDP_LIMITS.maxMediaSections} m-lines`, at);
      st.media.push(parseMediaLine(value, at));
      break;
    case 'c':
      if (current) current.connectionAddress = parseConnection(value, at);
      break;
    case 'a':
      (current ? current.attributes : st.session).push(parseAttribute(value));
      break;
    default:
      break; // b=, t=, r=, z=, k=, i=, u=, e=, p=: not used by data channels
  }
}

function parseOrigin(value: string, at: number): SdpOrigin {
  const t = value.trim().split(/\s+/);
  if (t.length !== 6) sdpFail('origin', `"o=" needs 6 fields, got ${t.length}`, at);
  const f = t as [string, string, string, string, string, string];
  const username = f[0], sessionId = f[1], sessionVersion = f[2], netType = f[3], addrType = f[4], address = f[5];
  if (!/^\d+$/.test(sessionId) || !/^\d+$/.test(sessionVersion)) sdpFail('origin', '"o=" session id and version must be numbers', at);
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

/** `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` (RFC 8866 §5.14). */
function parseMediaLine(value: string, at: number): MutableSection {
  const t = value.trim().split(/\s+/);
  if (t.length < 4) sdpFail('media', `"m=" needs media, port, proto and a format: "${value.slice(0, 60)}"`, at);
  const media = t[0] as string, portField = t[1] as string, proto = t[2] as string;
  const formats = t.slice(3);
  const pm = /^(\d{1,5})(?:\/\d+)?$/.exec(portField);
  const port = pm ? Number(pm[1]) : NaN;
  if (!(port >= 0 && port <= 65535)) sdpFail('media.port', `bad m-line port "${portField}"`, at);
  return { media, port, proto, formats, connectionAddress: undefined, attributes: [] };
}

/** `c=IN IP4 <address>` (RFC 8866 §5.7). */
function parseConnection(value: string, at: number): string {
  const t = value.trim().split(/\s+/);
  if (t.length < 3 || t[0] !== 'IN') sdpFail('connection', `bad "c=" line "${value.slice(0, 60)}"`, at);
  return (t[2] as string).split('/')[0] as string;
}

function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  if (colon < 0) return { name: value.trim(), value: undefined };
  return { name: value.slice(0, colon).trim(), value: value.slice(colon + 1).trim() };
}
