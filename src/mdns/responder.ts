/**
 * Publishing our own host candidates under `<uuid>.local` names, as browsers do
 * (draft-ietf-mmusic-mdns-ice-candidates §3.1). Off by default: protocol.md §4.7 recommends
 * advertising real addresses. Sans-IO: `handleMessage` returns the response payload to multicast
 * (RFC 6762 §6) when a query asks for one of our names, or undefined.
 */
import { UsageError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { toHex } from '../core/bytes/hex.js';
import { decodeDns, encodeResponse, RR_A, RR_AAAA, RR_ANY } from './message.js';

/** A random version-4 UUID name, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx.local`. */
export function randomMdnsName(rng: Rng): string {
  const b = rng.bytes(16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}.local`;
}

export class MdnsResponder {
  private readonly names = new Map<string, string[]>();

  constructor(
    private readonly rng: Rng,
    /** Bounded: one name per host address we own. */
    private readonly maxNames = 32,
  ) {}

  /** The name published for `address` (created on first use). */
  publish(address: string): string {
    for (const [name, addrs] of this.names) if (addrs.includes(address)) return name;
    if (this.names.size >= this.maxNames) throw new UsageError('mdns.publish', `at most ${this.maxNames} published names`);
    const name = randomMdnsName(this.rng);
    this.names.set(name, [address]);
    return name;
  }

  unpublishAll(): void {
    this.names.clear();
  }

  /** The response to multicast for a received query, or undefined (not ours, or not a query). Never throws. */
  handleMessage(data: Uint8Array): Uint8Array | undefined {
    let questions;
    try {
      const msg = decodeDns(data);
      if (msg.response) return undefined;
      questions = msg.questions;
    } catch {
      return undefined;
    }
    for (const q of questions) {
      const addrs = this.names.get(q.name.toLowerCase().replace(/\.$/, ''));
      if (!addrs) continue;
      const matching = addrs.filter((a) => q.type === RR_ANY || (q.type === RR_AAAA && a.includes(':')) || (q.type === RR_A && !a.includes(':')));
      if (matching.length > 0) return encodeResponse(q.name, matching);
    }
    return undefined;
  }
}
