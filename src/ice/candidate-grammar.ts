/**
 * The `a=candidate` grammar (RFC 8839 §5.1), as Chrome, Firefox and libdatachannel write it:
 *
 *   candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
 *             [raddr <address> rport <port>] [tcptype <active|passive|so>] *(<ext-name> <ext-value>)
 *
 *   Chrome:  candidate:3318315690 1 udp 2113937151 198.18.1.2 57188 typ host generation 0 ufrag Ab12 network-id 1 network-cost 10
 *   Firefox: candidate:0 1 UDP 2122252543 198.18.10.2 34086 typ host
 *            candidate:1 1 TCP 2105524479 198.18.10.2 9 typ host tcptype active
 *   mDNS:    candidate:2423611794 1 udp 2113937151 87605dc3-1ac3-4e63-9cac-3de5099c580d.local 58000 typ host ...
 *
 * Transport is case-insensitive and stored lower-cased. Unknown extension pairs are kept in order and
 * never rejected. Parsing is total: a value or a `ParseError` with code `ice.candidate.*`.
 */
import { ParseError } from '../core/errors.js';
import type { Candidate, CandidateType, TcpType } from './candidate.js';

/** Longest line accepted, and most extension pairs kept (bounded memory for peer input). */
export const CANDIDATE_LIMITS = { maxLineLength: 1024, maxExtensions: 16 } as const;

const TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay']);
const TCP_TYPES: ReadonlySet<string> = new Set(['active', 'passive', 'so']);
const ICE_CHARS = /^[A-Za-z0-9+/]{1,32}$/;
const TOKEN = /^[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+$/;
const ADDRESS = /^[0-9A-Za-z.:%_-]{1,255}$/;

function fail(code: string, message: string, offset: number): never {
  throw new ParseError(`ice.candidate.${code}`, message, offset);
}

function stripPrefix(line: string): string {
  let s = line.trim();
  if (s.startsWith('a=')) s = s.slice(2);
  if (s.toLowerCase().startsWith('candidate:')) s = s.slice('candidate:'.length);
  return s;
}

function parseUint(tok: string | undefined, max: number, what: string, at: number): number {
  if (tok === undefined || !/^\d{1,10}$/.test(tok)) fail(what, `bad ${what}: ${String(tok)}`, at);
  const v = Number(tok);
  if (v > max) fail(what, `${what} out of range: ${tok}`, at);
  return v;
}

function parseAddress(tok: string | undefined, at: number): string {
  if (tok === undefined || !ADDRESS.test(tok)) fail('address', `bad address: ${String(tok)}`, at);
  return tok;
}

interface Tail {
  relatedAddress?: string;
  relatedPort?: number;
  tcpType?: TcpType;
  extensions: Array<readonly [string, string]>;
}

/** Reads the name/value pairs after `typ <type>`: raddr, rport, tcptype, then extensions. */
function parseTail(toks: readonly string[], start: number): Tail {
  const tail: Tail = { extensions: [] };
  for (let i = start; i < toks.length; i += 2) {
    const name = toks[i] as string;
    const value = toks[i + 1] ?? '';
    if (name === 'raddr') tail.relatedAddress = parseAddress(value, i);
    else if (name === 'rport') tail.relatedPort = parseUint(value, 65535, 'rport', i);
    else if (name === 'tcptype') {
      if (!TCP_TYPES.has(value.toLowerCase())) fail('tcptype', `bad tcptype: ${value}`, i);
      tail.tcpType = value.toLowerCase() as TcpType;
    } else if (tail.extensions.length < CANDIDATE_LIMITS.maxExtensions) {
      tail.extensions.push([name, value]);
    }
  }
  return tail;
}

/**
 * Parses one candidate line, with or without the `a=` and `candidate:` prefixes.
 * Throws a `ParseError` (`ice.candidate.*`) for anything that is not a candidate.
 */
export function parseCandidate(line: string): Candidate {
  if (line.length > CANDIDATE_LIMITS.maxLineLength) fail('length', 'candidate line too long', CANDIDATE_LIMITS.maxLineLength);
  const toks = stripPrefix(line).split(/\s+/).filter((t) => t.length > 0);
  if (toks.length < 8) fail('truncated', `need at least 8 fields, got ${toks.length}`, toks.length);
  const foundation = toks[0] as string;
  const comp = toks[1] as string;
  const transport = toks[2] as string;
  const prio = toks[3] as string;
  const address = toks[4] as string;
  const port = toks[5] as string;
  const typ = toks[6] as string;
  const type = toks[7] as string;
  if (!ICE_CHARS.test(foundation)) fail('foundation', `bad foundation: ${foundation}`, 0);
  const component = parseUint(comp, 256, 'component', 1);
  if (component < 1) fail('component', 'component must be 1..256', 1);
  if (!TOKEN.test(transport)) fail('transport', `bad transport: ${transport}`, 2);
  const priority = parseUint(prio, 0xffffffff, 'priority', 3);
  const addr = parseAddress(address, 4);
  const p = parseUint(port, 65535, 'port', 5);
  if (typ !== 'typ') fail('typ', `expected "typ", got ${typ}`, 6);
  if (!TYPES.has(type)) fail('type', `unknown candidate type: ${type}`, 7);
  const tail = parseTail(toks, 8);
  return {
    foundation,
    component,
    transport: transport.toLowerCase() === 'udp' ? 'udp' : transport.toLowerCase() === 'tcp' ? 'tcp' : fail('transport', `unsupported transport: ${transport}`, 2),
    priority,
    address: addr,
    port: p,
    type: type as CandidateType,
    ...(tail.relatedAddress !== undefined ? { relatedAddress: tail.relatedAddress } : {}),
    ...(tail.relatedPort !== undefined ? { relatedPort: tail.relatedPort } : {}),
    ...(tail.tcpType !== undefined ? { tcpType: tail.tcpType } : {}),
    extensions: tail.extensions,
  };
}

/** Parses like `parseCandidate` but returns undefined instead of throwing. */
export function tryParseCandidate(line: string): Candidate | undefined {
  try {
    return parseCandidate(line);
  } catch (e) {
    if (e instanceof ParseError) return undefined;
    throw e;
  }
}

/** Writes `candidate:...` (no `a=`), the form used both in SDP and in trickled candidates. */
export function formatCandidate(c: Candidate): string {
  const parts = [`candidate:${c.foundation}`, String(c.component), c.transport, String(c.priority), c.address, String(c.port), 'typ', c.type];
  if (c.relatedAddress !== undefined) parts.push('raddr', c.relatedAddress);
  if (c.relatedPort !== undefined) parts.push('rport', String(c.relatedPort));
  if (c.tcpType !== undefined) parts.push('tcptype', c.tcpType);
  const exts = c.extensions;
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i] as readonly [string, string];
    parts.push(e[0], e[1]);
  }
  return parts.join(' ');
}
