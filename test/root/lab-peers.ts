/**
 * Peers for lab tests, each a child process in a lab namespace spoken to through test/interop's
 * PeerProcess: headless Chromium (test/interop/peers/chromium.mjs) and rtcpeer through its public
 * facade (test/root/facade-peer.ts). Both are stopped by PID through the lab (and by `stop()`).
 */
import { existsSync } from 'node:fs';
import { driverCommand, PeerProcess } from '../interop/harness/peer-process.js';
import type { PeerEvent } from '../interop/harness/peer-process.js';
import type { IceCandidateInfo, IceStatsReport } from '../../src/facade/ice-stats.js';
import type { FacadePeerSetup } from './facade-peer.js';
import type { Lab, LabHost } from './lab.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function chromiumSkipReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `needs ${CHROMIUM} (apt-get install chromium)`;
}

/** Headless Chromium in `host`'s namespace; `mdns: false` turns off its `.local` host candidates. */
export function chromiumIn(lab: Lab, host: LabHost, mdns: boolean): PeerProcess {
  const [cmd, argv] = driverCommand('chromium', mdns ? [] : ['--no-mdns']);
  return new PeerProcess(`chromium@${host}`, lab.spawn(host, cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] }).child);
}

/** rtcpeer's facade in `host`'s namespace, configured by `setup` (initialize() dictionary etc.). */
export function facadeIn(lab: Lab, host: LabHost, setup: FacadePeerSetup): PeerProcess {
  const args = ['--import', 'tsx', 'test/root/facade-peer.ts', JSON.stringify(setup)];
  return new PeerProcess(`rtcpeer@${host}`, lab.spawn(host, process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }).child);
}

export interface CandidateInfo {
  readonly type?: string;
  readonly address?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly relayProtocol?: string;
}

/** What Chromium's getStats() says (chromium.mjs `stats`). */
export interface ChromiumStats {
  readonly selected: { readonly local: CandidateInfo; readonly remote: CandidateInfo } | null;
  readonly local: readonly CandidateInfo[];
  readonly remote: readonly CandidateInfo[];
}

export async function chromiumStats(p: PeerProcess): Promise<ChromiumStats> {
  return (await p.request('stats')) as unknown as ChromiumStats;
}

/** What facade-peer.ts reports: the facade's `getIceStats()` and the candidates it signalled. */
export interface FacadeReport {
  readonly ice: IceStatsReport | null;
  readonly signalled: readonly string[];
}

export async function facadeReport(p: PeerProcess): Promise<FacadeReport> {
  return (await p.request('stats')) as unknown as FacadeReport;
}

/** Polls facade-peer's report until `done(report)` or `ms` pass; returns the last report either way. */
export async function facadeReportWhen(p: PeerProcess, done: (r: FacadeReport) => boolean, ms: number): Promise<FacadeReport> {
  const end = performance.now() + ms;
  let r = await facadeReport(p);
  while (!done(r) && performance.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    r = await facadeReport(p);
  }
  return r;
}

/** ` typ X` of each candidate line. */
export const candidateTypes = (lines: readonly string[]): string[] => lines.map((c) => / typ (\w+)/.exec(c)?.[1] ?? '?');

/** Candidates a peer trickled (its `candidate` events). */
export const trickled = (p: PeerProcess): string[] => p.events.filter((e: PeerEvent) => e.ev === 'candidate').map((e) => String(e['candidate']));

/** `e` with the tail of each peer's stderr appended (what the stack logged), for failure messages. */
export function withLogs(e: unknown, ...peers: readonly PeerProcess[]): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  err.message += peers.map((p) => `\n--- ${p.name} stderr:\n${p.stderr.slice(-1500)}`).join('');
  return err;
}

/** Stops the peers (exit request, then SIGKILL by PID). */
export async function stopAll(...peers: readonly (PeerProcess | undefined)[]): Promise<void> {
  await Promise.all(peers.map((p) => p?.stop(3000)));
}

/** The pair ICE selected, as `getIceStats()` tells it (undefined before one is selected). */
export function facadeSelected(r: FacadeReport): { local: IceCandidateInfo; remote: IceCandidateInfo } | undefined {
  return r.ice?.selectedPair ?? undefined;
}
