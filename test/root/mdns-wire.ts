/**
 * mDNS as seen on a lab link: a packet capture (lab.capture) read back with tshark, for tests that
 * must show a `.local` name was resolved by a real multicast query, not only by a peer-reflexive check.
 */
import { spawnSync } from 'node:child_process';

export interface MdnsPacket {
  /** Seconds since the capture began. */
  readonly time: number;
  readonly src: string;
  readonly dst: string;
  readonly response: boolean;
  /** Names asked (queries) or answered (responses). */
  readonly names: readonly string[];
  /** A records in a response. */
  readonly addresses: readonly string[];
}

export function tsharkSkipReason(): string | undefined {
  return spawnSync('sh', ['-c', 'command -v tshark']).status === 0 ? undefined : 'needs tshark to read the capture (apt-get install tshark)';
}

/** Every mDNS packet in `file` (pcap or pcapng). */
export function mdnsPackets(file: string): MdnsPacket[] {
  const fields = ['frame.time_relative', 'ip.src', 'ip.dst', 'dns.flags.response', 'dns.qry.name', 'dns.resp.name', 'dns.a'];
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', 'mdns', '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`tshark failed (${r.status ?? r.signal}): ${r.stderr}`);
  const list = (s: string | undefined): string[] => (s ? s.split(',').filter((x) => x !== '') : []);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [time = '', src = '', dst = '', resp = '', qry, rname, a] = l.split('\t');
      const response = resp === '1' || resp === 'True' || resp === 'true';
      return { time: Number(time), src, dst, response, names: response ? list(rname) : list(qry), addresses: list(a) };
    });
}

/** One line per packet, for test output. */
export const describeMdns = (ps: readonly MdnsPacket[]): string =>
  ps.map((p) => `${p.time.toFixed(3)} s ${p.src} -> ${p.dst} ${p.response ? 'response' : 'query'} ${p.names.join(',')}${p.addresses.length ? ` A ${p.addresses.join(',')}` : ''}`).join('\n');
