/**
 * Remote `.local` host candidates (draft-ietf-mmusic-mdns-ice-candidates §3.2.2, protocol.md §4.7):
 * the agent hands each name to the injected `resolveMdns` lookup (the shell runs src/io/mdns.ts) and
 * adds the candidate once per resolved address when `deliver(now, addresses)` comes back. Unresolved
 * names are dropped and counted; peer-reflexive discovery still rescues the connection. Bounded:
 * at most 16 names waiting, 4 candidates per name, 4 addresses used per answer.
 */
import type { Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import type { Candidate } from './candidate.js';

/** Resolve `name`; call `deliver` later (or at once) with its addresses, or undefined when unresolved. */
export type MdnsLookup = (name: string, deliver: (now: Millis, addresses: readonly string[] | undefined) => void) => void;

const MAX_NAMES = 16;
const MAX_PER_NAME = 4;
const MAX_ADDRESSES = 4;

export class RemoteNameResolver {
  readonly stats = { resolved: 0, unresolved: 0, dropped: 0 };
  private readonly waiting = new Map<string, Candidate[]>();

  constructor(
    private readonly lookup: MdnsLookup,
    private readonly add: (now: Millis, c: Candidate) => void,
    private readonly logger: Logger,
  ) {}

  /** Takes a `.local` candidate: false when the bounds refuse it (dropped). */
  take(c: Candidate): boolean {
    const name = c.address.toLowerCase();
    const list = this.waiting.get(name);
    if (list) {
      if (list.length >= MAX_PER_NAME) return this.refuse();
      list.push(c);
      return true;
    }
    if (this.waiting.size >= MAX_NAMES) return this.refuse();
    this.waiting.set(name, [c]);
    this.lookup(name, (now, addresses) => this.deliver(now, name, addresses));
    return true;
  }

  /** close(): answers arriving later are ignored. */
  clear(): void {
    this.waiting.clear();
  }

  private refuse(): false {
    this.stats.dropped++;
    return false;
  }

  private deliver(now: Millis, name: string, addresses: readonly string[] | undefined): void {
    const list = this.waiting.get(name);
    if (!list) return;
    this.waiting.delete(name);
    if (!addresses || addresses.length === 0) {
      this.stats.unresolved++;
      this.logger.log('info', 'mDNS candidate unresolved, dropped (peer-reflexive discovery may still connect)', { name });
      return;
    }
    this.stats.resolved++;
    this.logger.log('debug', 'mDNS candidate resolved', { name, addresses });
    const usable = addresses.slice(0, MAX_ADDRESSES);
    for (let i = 0; i < list.length; i++) for (let j = 0; j < usable.length; j++) this.add(now, { ...(list[i] as Candidate), address: usable[j] as string });
  }
}
