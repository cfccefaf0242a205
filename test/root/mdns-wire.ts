/**
 * mDNS as seen on a lab link: a passive listener (test/root/mdns-sniff.ts) joined to 224.0.0.251:5353
 * in a namespace, for tests that must show a `.local` name was resolved by a real multicast query and
 * answer, not only by a peer-reflexive check. Needs nothing beyond node (no capture tools).
 */
import type { Lab, LabHost } from './lab.js';

export interface MdnsPacket {
  /** Milliseconds since the listener started. */
  readonly ms: number;
  readonly src: string;
  readonly response: boolean;
  /** Names asked (queries) or answered (responses). */
  readonly names: readonly string[];
  /** A/AAAA addresses in a response. */
  readonly addresses: readonly string[];
}

export interface MdnsListener {
  /** Stops the listener (by PID) and returns every mDNS datagram it received. */
  stop(): Promise<MdnsPacket[]>;
}

/** Starts the listener in `host`'s namespace; resolves once it has joined the group. */
export async function listenMdns(lab: Lab, host: LabHost): Promise<MdnsListener> {
  const p = lab.spawn(host, process.execPath, ['--import', 'tsx', 'test/root/mdns-sniff.ts'], { stdio: ['pipe', 'pipe', 'pipe'] });
  await p.waitFor(/"ready":true/, 15_000);
  return {
    async stop() {
      p.child.stdin?.end();
      await p.stop(2000);
      return p.stdout
        .split('\n')
        .filter((l) => l.startsWith('{') && !l.includes('"ready"'))
        .map((l) => JSON.parse(l) as MdnsPacket & { malformed?: string })
        .filter((m) => m.malformed === undefined);
    },
  };
}

/** One line per datagram, for test output. */
export const describeMdns = (ps: readonly MdnsPacket[]): string =>
  ps.map((p) => `${String(p.ms).padStart(6)} ms ${p.src} ${p.response ? 'response' : 'query'} ${p.names.join(',')}${p.addresses.length ? ` -> ${p.addresses.join(',')}` : ''}`).join('\n');
