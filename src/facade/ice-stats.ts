/**
 * `WebRTCPeerConnection.getIceStats()` (an rtcpeer extension beyond Godot's API): what ICE selected
 * and what became of each TURN server, as plain data a script can print or assert on.
 *
 * ```ts
 * const s = pc.getIceStats();
 * // { iceState: 'connected', gatheringState: 'complete',
 * //   selectedPair: { local: { type: 'relay', address: '127.0.0.1', port: 50123, protocol: 'udp', relayProtocol: 'tls' },
 * //                   remote: { type: 'host', address: '127.0.0.1', port: 40000, protocol: 'udp' } },
 * //   relays: [{ url: 'turns:localhost:5349', transport: 'tls', state: 'allocated', relayed: '127.0.0.1:50123', error: null }] }
 * ```
 * `selectedPair` is null until a pair is selected. A relay `state` is one of 'connecting' (name being
 * resolved or TCP/TLS stream being opened), 'idle', 'allocating', 'allocated', 'closing', 'closed',
 * 'failed' (with `error: { code, reason }`: the server's error code, or null when it never answered
 * or could not be reached) and 'no-socket' (no local socket of the server's address family).
 */
import type { IceAgent } from '../ice/index.js';
import type { Candidate } from '../ice/index.js';
import type { RelayStatus } from '../ice/index.js';

export interface IceCandidateInfo {
  readonly type: Candidate['type'];
  readonly address: string;
  readonly port: number;
  /** Transport between the two candidates (always 'udp' for data channels here). */
  readonly protocol: Candidate['transport'];
  /** For our relay candidate: how we reach the TURN server ('udp', 'tcp' or 'tls'). */
  readonly relayProtocol?: RelayStatus['transport'];
}

export interface IceRelayInfo {
  readonly url: string;
  readonly transport: RelayStatus['transport'];
  readonly state: RelayStatus['state'];
  /** `address:port` of the relayed candidate, null before allocation. */
  readonly relayed: string | null;
  readonly error: { readonly code: number | null; readonly reason: string } | null;
}

export interface IceStatsReport {
  readonly iceState: string;
  readonly gatheringState: string;
  readonly selectedPair: { readonly local: IceCandidateInfo; readonly remote: IceCandidateInfo } | null;
  readonly relays: readonly IceRelayInfo[];
}

const hostPort = (a: { address: string; port: number }): string => (a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);

function info(c: Candidate, relays: readonly RelayStatus[]): IceCandidateInfo {
  const relay = c.type === 'relay' ? relays.find((r) => r.relayed && r.relayed.address === c.address && r.relayed.port === c.port) : undefined;
  return { type: c.type, address: c.address, port: c.port, protocol: c.transport, ...(relay ? { relayProtocol: relay.transport } : {}) };
}

/** The report for one ICE agent. */
export function iceStatsReport(agent: IceAgent): IceStatsReport {
  const relays = agent.relayStatus;
  const pair = agent.selectedPair;
  return {
    iceState: agent.state,
    gatheringState: agent.gatheringState,
    selectedPair: pair ? { local: info(pair.local, relays), remote: info(pair.remote, []) } : null,
    relays: relays.map((r) => ({
      url: r.url,
      transport: r.transport,
      state: r.state,
      relayed: r.relayed ? hostPort(r.relayed) : null,
      error: r.error ? { code: r.error.code ?? null, reason: r.error.reason } : null,
    })),
  };
}
