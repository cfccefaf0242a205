/**
 * `stun:` / `stuns:` URLs (RFC 7064): `stun:host[:port]`, IPv6 in brackets. Default port 3478
 * (5349 for stuns). The agent takes resolved addresses; the shell resolves `host` when it is a name.
 */
import { ParseError } from '../core/errors.js';
import { isIpLiteral } from './binding.js';

export interface StunUrl {
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  /** True when `host` is an IP literal (no resolution needed). */
  readonly literal: boolean;
}

export function parseStunUrl(url: string): StunUrl {
  const m = /^(stuns?):(?:\[([0-9A-Fa-f:.]+)\]|([^:?[\]]+))(?::(\d{1,5}))?$/i.exec(url.trim());
  if (!m) throw new ParseError('ice.stun-url', `not a stun: URL: ${url.slice(0, 80)}`, 0);
  const secure = (m[1] as string).toLowerCase() === 'stuns';
  const host = (m[2] ?? m[3]) as string;
  const port = m[4] === undefined ? (secure ? 5349 : 3478) : Number(m[4]);
  if (port < 1 || port > 65535) throw new ParseError('ice.stun-url', `bad port in ${url.slice(0, 80)}`, 0);
  return { secure, host, port, literal: isIpLiteral(host) };
}
