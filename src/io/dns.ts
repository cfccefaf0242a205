/**
 * Host names of stun:/turn:/turns: URLs → addresses, through the system resolver (node:dns
 * `lookup`, i.e. getaddrinfo: /etc/hosts and `localhost` included, A and AAAA), with a timeout.
 * Never rejects: the result is the addresses (IPv4 first, then IPv6, duplicates removed) or a
 * reason a person can act on.
 *
 * ```ts
 * const r = await resolveHost('turn.example.org', { timeoutMs: 3000 });
 * if ('reason' in r) logger.log('warn', 'ICE server name not resolved', { url, reason: r.reason });
 * else use(r.addresses);   // ['198.18.3.2', '2001:db8::2']
 * ```
 */
import { lookup } from 'node:dns/promises';

export type HostLookup = (name: string) => Promise<readonly { readonly address: string; readonly family: number }[]>;

export interface ResolveOptions {
  /** Give up after this long (default 5000 ms); the lookup itself cannot be cancelled and is ignored.
   * The timer keeps the process alive while a lookup is pending, so an answer is never abandoned. */
  readonly timeoutMs?: number;
  /** The resolver (default node:dns lookup with all: true); tests inject failures here. */
  readonly lookup?: HostLookup;
}

export type ResolveResult = { readonly addresses: readonly string[] } | { readonly reason: string };

const systemLookup: HostLookup = (name) => lookup(name, { all: true });

function describe(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOTFOUND':
      return 'name not found (NXDOMAIN or no A/AAAA record)';
    case 'EAI_AGAIN':
      return 'temporary DNS failure (no DNS server reachable?)';
    case 'ENODATA':
      return 'no A/AAAA record';
    default:
      return e.message;
  }
}

/** The addresses of `name`, IPv4 first; or why not (timeout, not found, resolver error). */
export function resolveHost(name: string, opts: ResolveOptions = {}): Promise<ResolveResult> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ reason: `DNS lookup timed out after ${timeoutMs} ms` }), timeoutMs);
    (opts.lookup ?? systemLookup)(name).then(
      (found) => {
        clearTimeout(timer);
        const v4 = found.filter((a) => a.family === 4).map((a) => a.address);
        const v6 = found.filter((a) => a.family === 6).map((a) => a.address);
        const addresses = [...new Set([...v4, ...v6])];
        resolve(addresses.length > 0 ? { addresses } : { reason: 'no A/AAAA record' });
      },
      (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ reason: describe(e) });
      },
    );
  });
}
