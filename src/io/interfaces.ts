import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { systemClock, type Clock } from './clock.js';

/** Which local addresses to gather host candidates on. */
export interface HostAddressOptions {
  /** Include 127.0.0.0/8 and ::1 (default false, as browsers do). */
  readonly includeLoopback?: boolean;
  /** Include IPv6 addresses (default true). */
  readonly includeIPv6?: boolean;
  /** Include link-local fe80::/10 addresses, with a `%ifname` zone (default false). */
  readonly includeLinkLocal?: boolean;
  /** Keep only these interface names or address literals; a listed loopback or link-local address is kept. */
  readonly only?: readonly string[];
}

export interface HostAddress {
  /** The literal to bind (link-local IPv6 carries `%ifname`). */
  readonly address: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly interfaceName: string;
  readonly loopback: boolean;
}

type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * os.networkInterfaces() at most once per `ttlMs`: it costs about 0.5 ms (a netlink dump), and every
 * connection of a default node binding listed the interfaces before its offer or answer (issue 6:
 * a server opening connections in a burst paid it for each). An interface that appears or goes is
 * seen by the connections made `ttlMs` later at most.
 */
export class InterfaceCache {
  private table: InterfaceTable | undefined;
  private at = 0;

  constructor(
    private readonly ttlMs = 1000,
    private readonly read: () => InterfaceTable = networkInterfaces,
    private readonly clock: Clock = systemClock,
  ) {}

  get(): InterfaceTable {
    const now = this.clock.now();
    if (this.table === undefined || now - this.at >= this.ttlMs) {
      this.table = this.read();
      this.at = now;
    }
    return this.table;
  }
}

const interfaces = new InterfaceCache();

function keep(opts: HostAddressOptions, names: readonly string[], loopback: boolean, linkLocal: boolean): boolean {
  if (opts.only) return opts.only.some((o) => names.includes(o));
  return (!loopback || opts.includeLoopback === true) && (!linkLocal || opts.includeLinkLocal === true);
}

/** The machine's addresses from os.networkInterfaces() (InterfaceCache), filtered and de-duplicated, IPv4 first. */
export function listHostAddresses(opts: HostAddressOptions = {}, table: InterfaceTable = interfaces.get()): HostAddress[] {
  const seen = new Set<string>();
  const out: HostAddress[] = [];
  for (const [name, infos] of Object.entries(table)) {
    for (const info of infos ?? []) {
      const ipv6 = info.family === 'IPv6';
      const linkLocal = ipv6 && /^fe[89ab]/i.test(info.address);
      const address = linkLocal ? `${info.address}%${name}` : info.address;
      if (!keep(opts, [name, info.address, address], info.internal, linkLocal) || (ipv6 && opts.includeIPv6 === false)) continue;
      if (seen.has(address)) continue;
      seen.add(address);
      out.push({ address, family: ipv6 ? 'ipv6' : 'ipv4', interfaceName: name, loopback: info.internal });
    }
  }
  return out.sort((a, b) => (a.family === b.family ? 0 : a.family === 'ipv4' ? -1 : 1));
}
