/**
 * Sans-IO mDNS resolver for ICE `.local` candidates (draft-ietf-mmusic-mdns-ice-candidates §3.2.2,
 * RFC 6762 §5.2 one-shot queries repeated). `resolve(now, name)` queues a query (A + AAAA); the
 * shell sends each `pollTransmit()` payload to 224.0.0.251:5353 and [ff02::fb]:5353 and feeds every
 * received payload to `handleMessage`. Events: `{type:'resolved', name, addresses}` at the first
 * answer, `{type:'unresolved', name}` after `timeoutMs`. Answers are cached for their TTL.
 */
import { Deadlines, minDeadline } from '../core/deadlines.js';
import { UsageError } from '../core/errors.js';
import { Queue } from '../core/event-queue.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Millis } from '../core/types.js';
import { decodeDns, encodeQuery, type DnsRecord } from './message.js';

export interface MdnsResolverOptions {
  /** Give up on a name after this long (default 3000 ms: "a few seconds", protocol.md §4.7). */
  readonly timeoutMs?: number;
  /** First retransmission of the query (default 1000 ms, doubling; RFC 6762 §5.2 asks >= 1 s). */
  readonly retransmitMs?: number;
  /** Names waiting at once (default 64); beyond it a name is reported unresolved at once. */
  readonly maxPending?: number;
  /** Cached answers kept at once (default 256, oldest evicted). */
  readonly maxCache?: number;
  readonly logger?: Logger;
}

export type MdnsEvent = { readonly type: 'resolved'; readonly name: string; readonly addresses: readonly string[] } | { readonly type: 'unresolved'; readonly name: string };

export interface MdnsStats {
  queriesSent: number;
  resolved: number;
  timedOut: number;
  /** Received payloads that were not DNS messages. */
  malformed: number;
}

interface Pending {
  readonly started: Millis;
  nextSend: Millis;
  interval: number;
}

/** Only `.local` names are asked on the link (RFC 6762 §3). */
export function isMdnsName(name: string): boolean {
  return /^[^\s]+\.local\.?$/i.test(name);
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

export class MdnsResolver {
  readonly stats: MdnsStats = { queriesSent: 0, resolved: 0, timedOut: 0, malformed: 0 };
  private readonly timeoutMs: number;
  private readonly retransmitMs: number;
  private readonly maxPending: number;
  private readonly maxCache: number;
  private readonly logger: Logger;
  private readonly pending = new Map<string, Pending>();
  private readonly cache = new Map<string, { addresses: string[]; expires: Millis }>();
  private readonly transmits = new Queue<Uint8Array>();
  private readonly events = new Queue<MdnsEvent>();
  private readonly deadlines = new Deadlines<'tick'>();

  constructor(opts: MdnsResolverOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 3000;
    this.retransmitMs = opts.retransmitMs ?? 1000;
    this.maxPending = opts.maxPending ?? 64;
    this.maxCache = opts.maxCache ?? 256;
    this.logger = opts.logger ?? silentLogger;
    for (const [k, v] of Object.entries({ timeoutMs: this.timeoutMs, retransmitMs: this.retransmitMs, maxPending: this.maxPending, maxCache: this.maxCache })) {
      if (!(Number.isFinite(v) && v > 0)) throw new UsageError('mdns.options', `${k} must be a positive number, got ${v}`);
    }
  }

  /** Starts resolving `name` (a `.local` name). A cached answer is reported at once. */
  resolve(now: Millis, name: string): void {
    if (!isMdnsName(name)) throw new UsageError('mdns.name', `not a .local name: ${name.slice(0, 80)}`);
    const key = canonical(name);
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) {
      this.events.push({ type: 'resolved', name: key, addresses: hit.addresses });
      return;
    }
    if (this.pending.has(key)) return;
    if (this.pending.size >= this.maxPending) {
      this.logger.log('warn', 'mDNS: too many names pending, not resolving', { name: key });
      this.events.push({ type: 'unresolved', name: key });
      return;
    }
    this.pending.set(key, { started: now, nextSend: now, interval: this.retransmitMs });
    this.sendDue(now);
  }

  /** One received mDNS payload (from anyone on the link). Never throws. */
  handleMessage(now: Millis, data: Uint8Array): void {
    let records: DnsRecord[];
    try {
      const msg = decodeDns(data);
      if (!msg.response) return;
      records = [...msg.answers, ...msg.additionals];
    } catch {
      this.stats.malformed++;
      return;
    }
    const found = new Map<string, { addresses: string[]; ttl: number }>();
    for (const rec of records) {
      if (rec.address === undefined || rec.ttl === 0) continue;
      const key = canonical(rec.name);
      const entry = found.get(key) ?? { addresses: [], ttl: rec.ttl };
      if (!entry.addresses.includes(rec.address)) entry.addresses.push(rec.address);
      entry.ttl = Math.min(entry.ttl, rec.ttl);
      found.set(key, entry);
    }
    for (const [key, { addresses, ttl }] of found) {
      if (!this.pending.delete(key)) continue; // unsolicited answers are not cached: bounded by what we asked
      this.remember(key, addresses, now + ttl * 1000);
      this.stats.resolved++;
      this.events.push({ type: 'resolved', name: key, addresses });
    }
    this.rearm();
  }

  handleTimeout(now: Millis): void {
    this.deadlines.takeDue(now);
    for (const [key, p] of this.pending) {
      if (now - p.started >= this.timeoutMs) {
        this.pending.delete(key);
        this.stats.timedOut++;
        this.logger.log('info', 'mDNS: no answer, candidate name unresolved', { name: key, timeoutMs: this.timeoutMs });
        this.events.push({ type: 'unresolved', name: key });
      }
    }
    this.sendDue(now);
  }

  /** The next query payload (multicast it to both groups). */
  pollTransmit(): Uint8Array | undefined {
    return this.transmits.shift();
  }

  pollEvent(): MdnsEvent | undefined {
    return this.events.shift();
  }

  pollTimeout(): Millis | undefined {
    return this.deadlines.earliest();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private remember(key: string, addresses: string[], expires: Millis): void {
    this.cache.delete(key);
    if (this.cache.size >= this.maxCache) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, { addresses, expires });
  }

  private sendDue(now: Millis): void {
    const due: string[] = [];
    for (const [key, p] of this.pending) {
      if (p.nextSend <= now) {
        due.push(key);
        p.nextSend = now + p.interval;
        p.interval *= 2;
      }
    }
    // One query per name keeps each payload small whatever the number of names.
    for (const key of due) {
      this.transmits.push(encodeQuery([key]));
      this.stats.queriesSent++;
    }
    this.rearm();
  }

  private rearm(): void {
    let next: Millis | undefined;
    for (const p of this.pending.values()) next = minDeadline(next, p.nextSend, p.started + this.timeoutMs);
    if (next === undefined) this.deadlines.disarm('tick');
    else this.deadlines.arm('tick', next);
  }
}
