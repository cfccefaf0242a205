/**
 * ICE candidates (RFC 8445 §5.1, grammar RFC 8839 §5.1), their priorities (§5.1.2) and foundations
 * (§5.1.1.3). A candidate is plain readonly data; the agent keeps a `base` beside local ones.
 */
import { crc32 } from '../core/bytes/crc32.js';
import { utf8 } from '../core/bytes/hex.js';
import type { Addr } from '../core/types.js';
import { isIPv6 } from '../core/types.js';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type CandidateTransport = 'udp' | 'tcp';
export type TcpType = 'active' | 'passive' | 'so';

/** One `a=candidate` value. Extension name/value pairs (Chrome's `generation`, `ufrag`,
 * `network-id`, `network-cost`, and unknown ones) are kept in order in `extensions`. */
export interface Candidate {
  readonly foundation: string;
  /** Always 1 for data channels (rtcp-mux, BUNDLE); other values are parsed and kept. */
  readonly component: number;
  /** Lower-cased: the grammar is case-insensitive (RFC 8839 §5.1). */
  readonly transport: CandidateTransport;
  readonly priority: number;
  /** IPv4 or IPv6 literal, or an mDNS `<uuid>.local` name. */
  readonly address: string;
  readonly port: number;
  readonly type: CandidateType;
  readonly relatedAddress?: string;
  readonly relatedPort?: number;
  readonly tcpType?: TcpType;
  readonly extensions: ReadonlyArray<readonly [string, string]>;
}

/** RFC 8445 §5.1.2.2 recommended type preferences (the values libjuice and libwebrtc use). */
export const TYPE_PREFERENCE: Readonly<Record<CandidateType, number>> = { host: 126, prflx: 110, srflx: 100, relay: 0 };

/** RFC 8445 §5.1.2.1: priority = 2^24·type pref + 2^8·local pref + (256 − component id). */
export function candidatePriority(type: CandidateType, localPreference: number, component = 1): number {
  return TYPE_PREFERENCE[type] * 0x100_0000 + (localPreference & 0xffff) * 0x100 + (256 - component);
}

/**
 * Local preference for the `index`-th local address (RFC 8445 §5.1.2.1, RFC 8421 §4): IPv6 above
 * IPv4, earlier addresses above later ones. Always within 0..65535.
 */
export function localPreference(address: string, index: number): number {
  const familyBase = isIPv6(address) ? 65535 : 32767;
  return familyBase - Math.min(Math.max(index, 0), 255) * 64;
}

/**
 * RFC 8445 §6.1.2.3: pair priority = 2^32·min(G,D) + 2·max(G,D) + (G > D ? 1 : 0), G being the
 * controlling agent's candidate priority. A bigint: the value needs 63 bits.
 */
export function pairPriority(controllingPriority: number, controlledPriority: number): bigint {
  const g = BigInt(controllingPriority);
  const d = BigInt(controlledPriority);
  const lo = g < d ? g : d;
  const hi = g < d ? d : g;
  return (lo << 32n) + 2n * hi + (g > d ? 1n : 0n);
}

/**
 * RFC 8445 §5.1.1.3: the same foundation for candidates with the same type, base IP, STUN/TURN
 * server and transport. A decimal 32-bit token, like Chrome's.
 */
export function computeFoundation(type: CandidateType, baseAddress: string, server: Addr | undefined, transport: CandidateTransport): string {
  const key = `${type}|${baseAddress}|${server ? `${server.address}:${server.port}` : ''}|${transport}`;
  return String(crc32(utf8(key)));
}

/** The candidate's transport address. */
export function candidateAddr(c: Candidate): Addr {
  return { address: c.address, port: c.port };
}

/** The value of an extension attribute (e.g. `ufrag`), or undefined. */
export function candidateExtension(c: Candidate, name: string): string | undefined {
  const exts = c.extensions;
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i] as readonly [string, string];
    if (e[0] === name) return e[1];
  }
  return undefined;
}

/** True for mDNS host names (draft-ietf-mmusic-mdns-ice-candidates): they need resolving. */
export function isMdnsName(address: string): boolean {
  return address.toLowerCase().endsWith('.local');
}

/** True when both addresses are literals of the same IP family (pairs are formed only then). */
export function sameFamily(a: string, b: string): boolean {
  return isIPv6(a) === isIPv6(b);
}
