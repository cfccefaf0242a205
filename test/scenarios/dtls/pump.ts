import { SeededRng, randomFloat } from '../../../src/core/rng.js';
import type { DtlsEvent } from '../../../src/dtls/events.js';
import { DtlsEndpoint } from '../../../src/dtls/endpoint.js';
import { generateCertificate, type DtlsCertificate } from '../../../src/dtls/certificate.js';
import type { DtlsOptions } from '../../../src/dtls/options.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';

/**
 * A direct in-test pump for two DtlsEndpoints (until the simulator's layer-pair harness is used):
 * a virtual clock, per-datagram loss, duplication and reordering from a seeded RNG, fixed delay.
 */
export interface LinkFaults {
  readonly loss?: number;
  readonly duplicate?: number;
  /** Probability that a datagram gets extra delay (and so overtakes/gets overtaken). */
  readonly reorder?: number;
  /** Optional filter/mutator of datagrams in flight (return undefined to drop). */
  readonly tamper?: (from: 'a' | 'b', d: Uint8Array) => Uint8Array | readonly Uint8Array[] | undefined;
}

interface InFlight {
  readonly at: number;
  readonly to: 'a' | 'b';
  readonly data: Uint8Array;
  readonly order: number;
}

export class Pump {
  now = 0;
  private flying: InFlight[] = [];
  private order = 0;
  readonly events: Record<'a' | 'b', DtlsEvent[]> = { a: [], b: [] };
  readonly sent: Record<'a' | 'b', Uint8Array[]> = { a: [], b: [] };
  private readonly rng: SeededRng;

  constructor(
    readonly a: DtlsEndpoint,
    readonly b: DtlsEndpoint,
    readonly faults: LinkFaults = {},
    seed = 1,
    readonly delayMs = 10,
  ) {
    this.rng = new SeededRng(seed);
  }

  private drain(who: 'a' | 'b'): void {
    const ep = who === 'a' ? this.a : this.b;
    const to = who === 'a' ? 'b' : 'a';
    for (let d = ep.pollTransmit(); d !== undefined; d = ep.pollTransmit()) {
      this.sent[who].push(d);
      const t = this.faults.tamper ? this.faults.tamper(who, d) : d;
      if (t === undefined) continue;
      for (const data of t instanceof Uint8Array ? [t] : t) this.inject(to, data);
    }
    for (let e = ep.pollEvent(); e !== undefined; e = ep.pollEvent()) this.events[who].push(e);
  }

  private inject(to: 'a' | 'b', data: Uint8Array): void {
    if (randomFloat(this.rng) < (this.faults.loss ?? 0)) return;
    const copies = randomFloat(this.rng) < (this.faults.duplicate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const extra = randomFloat(this.rng) < (this.faults.reorder ?? 0) ? 5 + randomFloat(this.rng) * 40 : 0;
      this.flying.push({ at: this.now + this.delayMs + extra + i, to, data, order: this.order++ });
    }
  }

  drainAll(): void {
    this.drain('a');
    this.drain('b');
  }

  /** Runs until `pred` holds or `maxMs` of virtual time passed. Returns whether pred held. */
  runUntil(pred: () => boolean, maxMs = 120_000): boolean {
    const end = this.now + maxMs;
    this.drainAll();
    while (!pred()) {
      const ta = this.a.pollTimeout();
      const tb = this.b.pollTimeout();
      this.flying.sort((x, y) => x.at - y.at || x.order - y.order);
      const next = Math.min(this.flying[0]?.at ?? Infinity, ta ?? Infinity, tb ?? Infinity);
      if (next === Infinity || next > end) return pred();
      this.now = Math.max(this.now, next);
      const f = this.flying[0];
      if (f !== undefined && f.at <= this.now) {
        this.flying.shift();
        (f.to === 'a' ? this.a : this.b).handleInput(this.now, f.data);
      }
      if (ta !== undefined && ta <= this.now) this.a.handleTimeout(this.now);
      if (tb !== undefined && tb <= this.now) this.b.handleTimeout(this.now);
      this.drainAll();
    }
    return true;
  }

  connected(who: 'a' | 'b'): boolean {
    return this.events[who].some((e) => e.type === 'connected');
  }

  failed(who: 'a' | 'b'): DtlsEvent | undefined {
    return this.events[who].find((e) => e.type === 'failed');
  }
}

const certCache: DtlsCertificate[] = [];

/** Two certificates made once per test file (generation is fast, but tests make many pairs). */
export function testCertificates(): [DtlsCertificate, DtlsCertificate] {
  while (certCache.length < 2) certCache.push(generateCertificate({ crypto: nodeDtlsCrypto, rng: new SeededRng(certCache.length + 7) }));
  return [certCache[0] as DtlsCertificate, certCache[1] as DtlsCertificate];
}

/** A client ('a') and server ('b') that expect each other's fingerprints. */
export function makePair(
  seed: number,
  extra: { client?: Partial<DtlsOptions>; server?: Partial<DtlsOptions> } = {},
): { client: DtlsEndpoint; server: DtlsEndpoint } {
  const [cc, sc] = testCertificates();
  const client = new DtlsEndpoint({
    role: 'client',
    rng: new SeededRng(seed),
    crypto: nodeDtlsCrypto,
    certificate: cc,
    remoteFingerprints: [{ algorithm: 'sha-256', value: sc.fingerprint('sha-256') }],
    ...extra.client,
  });
  const server = new DtlsEndpoint({
    role: 'server',
    rng: new SeededRng(seed + 1000),
    crypto: nodeDtlsCrypto,
    certificate: sc,
    remoteFingerprints: [{ algorithm: 'sha-256', value: cc.fingerprint('sha-256') }],
    ...extra.server,
  });
  return { client, server };
}
