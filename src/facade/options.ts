/**
 * Godot dictionaries → typed options, with native webrtc-native's validation (godot-api.md §2.3)
 * and readable reasons. Returns a string reason instead of throwing.
 */
import type { ChannelInit } from '../dcep/channel.js';
import type { IceServerConfig, PeerConfig } from './binding.js';
import { GodotError } from './godot-errors.js';
import type { GodotErrorCode } from './godot-errors.js';

export type Dict = Readonly<Record<string, unknown>>;

/** Why a configuration was refused, with the Godot code webrtc-native returns for it. */
export interface ConfigProblem {
  readonly code: GodotErrorCode;
  readonly reason: string;
}

/** `createDataChannel` options: W3C names, plus Godot's `maxPacketLifetime` spelling (godot-api.md §0.4). */
export function parseChannelOptions(label: unknown, o: Dict): ChannelInit | string {
  if (typeof label !== 'string') return 'label must be a string';
  const life = o['maxPacketLifeTime'] ?? o['maxPacketLifetime'];
  const rexmit = o['maxRetransmits'];
  const problem = channelOptionProblem(o, life, rexmit);
  if (problem !== undefined) return problem;
  const negotiated = o['negotiated'] === true;
  return {
    label,
    ordered: o['ordered'] !== false,
    protocol: (o['protocol'] as string | undefined) ?? '',
    negotiated,
    ...(negotiated ? { id: o['id'] as number } : {}),
    ...(rexmit !== undefined ? { maxRetransmits: rexmit as number } : {}),
    ...(life !== undefined ? { maxPacketLifeTime: life as number } : {}),
  };
}

function channelOptionProblem(o: Dict, life: unknown, rexmit: unknown): string | undefined {
  if (o['maxPacketLifeTime'] !== undefined && o['maxPacketLifetime'] !== undefined && o['maxPacketLifeTime'] !== o['maxPacketLifetime']) {
    return 'maxPacketLifeTime and maxPacketLifetime disagree';
  }
  if (life !== undefined && rexmit !== undefined) return 'maxPacketLifeTime and maxRetransmits cannot both be set';
  const ints = [['maxPacketLifeTime', life], ['maxRetransmits', rexmit], ['id', o['id']]] as const;
  for (let i = 0; i < ints.length; i++) {
    const e = ints[i] as readonly [string, unknown];
    const k = e[0], v = e[1];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) return `${k} must be a non-negative integer`;
  }
  const typed = [['ordered', 'boolean'], ['negotiated', 'boolean'], ['protocol', 'string']] as const;
  for (let i = 0; i < typed.length; i++) {
    const e = typed[i] as readonly [string, 'boolean' | 'string'];
    const k = e[0], t = e[1];
    if (o[k] !== undefined && typeof o[k] !== t) return `${k} must be a ${t}`;
  }
  // webrtc-native: `negotiated` must be true exactly when an `id` is given.
  if ((o['negotiated'] === true) !== (o['id'] !== undefined)) return 'negotiated: true requires an id, and an id requires negotiated: true';
  return undefined;
}

/** `initialize({ iceServers: [{ urls, username, credential }] })` as webrtc-native reads it. */
export function parsePeerConfig(config: unknown): PeerConfig | ConfigProblem {
  if (config === null || typeof config !== 'object') return { code: GodotError.ERR_INVALID_PARAMETER, reason: 'configuration must be a dictionary' };
  const servers = (config as Dict)['iceServers'];
  if (servers === undefined || !Array.isArray(servers)) return withTransportConfig(config as Dict, []);
  const out: IceServerConfig[] = [];
  const list = servers as unknown[];
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s === null || typeof s !== 'object') return { code: GodotError.ERR_INVALID_PARAMETER, reason: 'each iceServers entry must be a dictionary' };
    const e = s as Dict;
    const urls = typeof e['urls'] === 'string' ? [e['urls']] : e['urls'];
    if (!Array.isArray(urls) || urls.some((u) => typeof u !== 'string')) return { code: GodotError.FAILED, reason: 'each iceServers entry needs "urls" (a string or an array of strings)' };
    const tls = tlsFields(e);
    if (typeof tls === 'string') return { code: GodotError.ERR_INVALID_PARAMETER, reason: tls };
    const server: IceServerConfig = {
      urls: urls as string[],
      ...(typeof e['username'] === 'string' ? { username: e['username'] } : {}),
      ...(typeof e['credential'] === 'string' ? { credential: e['credential'] } : {}),
      ...tls,
    };
    out.push(server);
  }
  return withTransportConfig(config as Dict, out);
}

/** rtcpeer extensions of an iceServers entry for `turns:`: `tlsCa` (PEM string or array) and `tlsServerName`. */
function tlsFields(e: Dict): Pick<IceServerConfig, 'tlsCa' | 'tlsServerName'> | string {
  const ca = e['tlsCa'];
  const name = e['tlsServerName'];
  if (ca !== undefined && typeof ca !== 'string' && !(Array.isArray(ca) && ca.every((c) => typeof c === 'string'))) return 'tlsCa must be a PEM string or an array of PEM strings';
  if (name !== undefined && (typeof name !== 'string' || name === '')) return 'tlsServerName must be a non-empty string';
  return { ...(ca !== undefined ? { tlsCa: ca as string | string[] } : {}), ...(name !== undefined ? { tlsServerName: name as string } : {}) };
}

function withTransportConfig(c: Dict, iceServers: IceServerConfig[]): PeerConfig | ConfigProblem {
  const extras = parseTransportConfig(c);
  return 'code' in extras ? extras : { iceServers, ...extras };
}

const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** `iceTransportPolicy`, `interfaces` and `portRangeBegin`/`portRangeEnd` (issue 8: firewalls, relays). */
function parseTransportConfig(c: Dict): Omit<PeerConfig, 'iceServers'> | ConfigProblem {
  const bad = (reason: string): ConfigProblem => ({ code: GodotError.ERR_INVALID_PARAMETER, reason });
  const policy = c['iceTransportPolicy'];
  if (policy !== undefined && policy !== 'all' && policy !== 'relay') return bad('iceTransportPolicy must be "all" or "relay"');
  const ifs = c['interfaces'];
  if (ifs !== undefined && (!Array.isArray(ifs) || ifs.some((i) => typeof i !== 'string'))) return bad('interfaces must be an array of interface names or IP addresses');
  const range = portRange(c['portRangeBegin'], c['portRangeEnd']);
  if (range === 'bad') return bad('portRangeBegin/portRangeEnd must be ports 1-65535 with begin <= end');
  return {
    ...(policy !== undefined ? { iceTransportPolicy: policy } : {}),
    ...(ifs !== undefined ? { interfaces: ifs as string[] } : {}),
    ...(range ? { portRange: range } : {}),
  };
}

function portRange(begin: unknown, end: unknown = begin): { min: number; max: number } | 'bad' | undefined {
  if (begin === undefined) return undefined;
  return isPort(begin) && isPort(end) && end >= begin ? { min: begin, max: end } : 'bad';
}
