/**
 * ICE server URLs and the W3C/Godot `iceServers` configuration.
 *
 * `turn:` / `turns:` (RFC 7065 §3.1): `turn:host[:port][?transport=udp|tcp]`, IPv6 in brackets;
 * default port 3478 (5349 for turns). `turns:` is TURN over TLS (over TCP; `?transport=udp` would be
 * DTLS, which we do not offer). `stun:` / `stuns:` go to src/ice's `parseStunUrl` (RFC 7064).
 * `parseIceServers` never throws: every URL it cannot use comes back in `problems` with the reason, so
 * the shell logs something a person can act on and keeps the rest.
 */
import { ParseError } from '../core/errors.js';
import { parseStunUrl, type StunUrl } from '../ice/stun-url.js';
import { parseIp } from '../stun/ip.js';

export type TurnTransport = 'udp' | 'tcp' | 'tls';

export interface TurnUrl {
  readonly host: string;
  readonly port: number;
  readonly transport: TurnTransport;
  /** True when `host` is an IP literal (no DNS needed). */
  readonly literal: boolean;
}

/** Parses a `turn:` or `turns:` URL; ParseError with a readable message otherwise. */
export function parseTurnUrl(url: string): TurnUrl {
  const text = url.trim();
  const m = /^(turns?):(?:\[([0-9A-Fa-f:.]+)\]|([^:?[\]@/]+))(?::(\d{1,5}))?(?:\?transport=([A-Za-z]+))?$/i.exec(text);
  if (!m) {
    const hint = text.includes('@') ? ' (credentials go in username/credential, not in the URL)' : '';
    throw new ParseError('turn.url', `not a turn:/turns: URL${hint}: ${text.slice(0, 80)}`, 0);
  }
  const secure = (m[1] as string).toLowerCase() === 'turns';
  const host = (m[2] ?? m[3]) as string;
  const port = m[4] === undefined ? (secure ? 5349 : 3478) : Number(m[4]);
  if (port < 1 || port > 65535) throw new ParseError('turn.url', `bad port in ${text.slice(0, 80)}`, 0);
  return { host, port, transport: urlTransport(secure, m[5]?.toLowerCase(), text), literal: parseIp(host) !== undefined };
}

function urlTransport(secure: boolean, t: string | undefined, text: string): TurnTransport {
  if (t !== undefined && t !== 'udp' && t !== 'tcp') throw new ParseError('turn.url.transport', `unsupported transport "${t}" in ${text.slice(0, 80)} (udp or tcp)`, 0);
  if (secure && t === 'udp') throw new ParseError('turn.url.transport', `turns: over UDP (DTLS) is not supported: ${text.slice(0, 80)}`, 0);
  if (secure) return 'tls';
  return t === 'tcp' ? 'tcp' : 'udp';
}

/** One `iceServers` entry as W3C and Godot spell it (`urls` a string or an array). */
export interface IceServerInput {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
  /** turns: only: extra trusted CA / self-signed certificate(s), PEM (rtcpeer extension). */
  readonly tlsCa?: string | readonly string[];
  /** turns: only: the name the certificate must carry and SNI, e.g. for an IP-literal URL (rtcpeer extension). */
  readonly tlsServerName?: string;
}

export type IceServerUrl =
  | ({ readonly kind: 'stun'; readonly url: string } & StunUrl)
  | ({ readonly kind: 'turn'; readonly url: string; readonly username: string; readonly credential: string } & TurnUrl & Pick<IceServerInput, 'tlsCa' | 'tlsServerName'>);

export interface IceServerProblem {
  readonly url: string;
  readonly reason: string;
}

/** Bounds on what a configuration may ask for (each URL costs sockets and an allocation). */
export const MAX_ICE_SERVER_URLS = 16;

/** Every usable URL of every server, in order, plus the reasons others were refused. */
export function parseIceServers(servers: readonly IceServerInput[]): { readonly urls: IceServerUrl[]; readonly problems: IceServerProblem[] } {
  const urls: IceServerUrl[] = [];
  const problems: IceServerProblem[] = [];
  for (let i = 0; i < servers.length; i++) {
    const s = servers[i] as IceServerInput;
    const list = typeof s.urls === 'string' ? [s.urls] : s.urls;
    for (let j = 0; j < list.length; j++) {
      const url = list[j] as string;
      const r = parseOne(url, s);
      if ('reason' in r) problems.push(r);
      else if (urls.length >= MAX_ICE_SERVER_URLS) problems.push({ url, reason: `more than ${MAX_ICE_SERVER_URLS} ICE server URLs; ignored` });
      else urls.push(r);
    }
  }
  return { urls, problems };
}

function parseOne(url: string, s: IceServerInput): IceServerUrl | IceServerProblem {
  try {
    if (/^stuns?:/i.test(url.trim())) return { kind: 'stun', url, ...parseStunUrl(url) };
    if (!/^turns?:/i.test(url.trim())) return { url, reason: 'unsupported scheme (stun:, stuns:, turn:, turns:)' };
    const t = parseTurnUrl(url);
    // W3C webrtc §4.2.1: a TURN URL without username and credential is an error.
    if (s.username === undefined || s.credential === undefined) return { url, reason: 'TURN server needs username and credential' };
    const tls = t.transport === 'tls' ? { ...(s.tlsCa !== undefined ? { tlsCa: s.tlsCa } : {}), ...(s.tlsServerName !== undefined ? { tlsServerName: s.tlsServerName } : {}) } : {};
    return { kind: 'turn', url, username: s.username, credential: s.credential, ...t, ...tls };
  } catch (e: unknown) {
    return { url, reason: (e as Error).message };
  }
}
