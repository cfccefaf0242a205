/**
 * Minimal stand-ins for ICE, DTLS and SCTP with the port interfaces of src/stack/ports.ts. They
 * speak a toy wire format (first byte = kind) so PeerStack's composition, ordering and negotiation can
 * be tested before and independently of the real layers. They are NOT protocol implementations.
 */
import { Queue } from '../../../src/core/event-queue.js';
import { randomIceString } from '../../../src/core/rng.js';
import type { Rng } from '../../../src/core/rng.js';
import type { Addr, Datagram, Millis } from '../../../src/core/types.js';
import type { SctpSendOptions } from '../../../src/dcep/registry.js';
import type { Fingerprint } from '../../../src/sdp/types.js';
import type { DtlsRole } from '../../../src/sdp/roles.js';
import type {
  DtlsPort, DtlsPortEvent, IcePort, IcePortEvent, SctpPort, SctpPortEvent, StackLayers,
} from '../../../src/stack/ports.js';

export class FakeIce implements IcePort {
  localUfrag: string;
  localPwd: string;
  readonly controlling: boolean;
  private readonly local: Addr[] = [];
  private readonly remote: Addr[] = [];
  private readonly tx = new Queue<Datagram>();
  private readonly ev = new Queue<IcePortEvent>();
  private selected: { local: Addr; remote: Addr } | undefined;
  private creds = false;
  restarts = 0;

  constructor(private readonly rng: Rng, controlling: boolean) {
    this.controlling = controlling;
    this.localUfrag = randomIceString(rng, 8);
    this.localPwd = randomIceString(rng, 24);
  }
  addLocalAddress(_now: Millis, addr: Addr): void {
    this.local.push(addr);
  }
  gather(): void {
    for (const a of this.local) this.ev.push({ type: 'candidate', candidate: `candidate:1 1 udp 2130706431 ${a.address} ${a.port} typ host` });
    this.ev.push({ type: 'gathering-complete' });
  }
  setRemoteCredentials(): void {
    this.creds = true;
    this.check();
  }
  addRemoteCandidate(_now: Millis, line: string): boolean {
    const m = /^candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host/i.exec(line);
    if (!m) return false;
    this.remote.push({ address: m[1] as string, port: Number(m[2]) });
    this.check();
    return true;
  }
  endOfRemoteCandidates(): void {}
  peerKeepsEarlyData(): void {}
  setDtlsInStun(): void {}
  restart(): void {
    this.restarts++;
    this.localUfrag = randomIceString(this.rng, 8);
    this.localPwd = randomIceString(this.rng, 24);
    this.gather();
  }
  /** Data before a pair is selected waits for one, as with the real agent (src/ice/early-data.ts). */
  private unsent: Uint8Array[] = [];
  discardUnsent(obsolete: (data: Uint8Array) => boolean): void {
    this.unsent = this.unsent.filter((d) => !obsolete(d));
  }
  send(_now: Millis, data: Uint8Array): boolean {
    if (!this.selected) {
      if (this.unsent.length >= 16) return false;
      this.unsent.push(data.slice());
      return true;
    }
    this.tx.push({ from: this.selected.local, to: this.selected.remote, data: data.slice() });
    return true;
  }
  close(): void {
    this.ev.push({ type: 'state', state: 'closed' });
  }
  handleDatagram(_now: Millis, dg: Datagram): void {
    const kind = dg.data[0];
    if (kind === 0 || kind === 1) {
      if (kind === 0) this.tx.push({ from: dg.to, to: dg.from, data: Uint8Array.of(1) });
      this.select(dg.to, dg.from);
    } else this.ev.push({ type: 'data', data: dg.data });
  }
  handleTimeout(): void {}
  pollTransmit(): Datagram | undefined {
    return this.tx.shift();
  }
  pollEvent(): IcePortEvent | undefined {
    return this.ev.shift();
  }
  pollTimeout(): Millis | undefined {
    return undefined;
  }
  private check(): void {
    const l = this.local[0];
    if (!this.creds || !l) return;
    for (const r of this.remote.splice(0)) this.tx.push({ from: l, to: r, data: Uint8Array.of(0) });
  }
  private select(local: Addr, remote: Addr): void {
    if (this.selected) return;
    this.selected = { local, remote };
    for (const data of this.unsent.splice(0)) this.tx.push({ from: local, to: remote, data });
    this.ev.push({ type: 'state', state: 'connected' }, );
    this.ev.push({ type: 'selected-pair' });
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Toy DTLS: hello carries the sender's fingerprint, which the receiver checks. */
export class FakeDtls implements DtlsPort {
  private readonly tx = new Queue<Uint8Array>();
  private readonly ev = new Queue<DtlsPortEvent>();
  private up = false;
  constructor(
    readonly role: DtlsRole,
    private readonly own: Fingerprint,
    private readonly remote: readonly Fingerprint[],
  ) {}
  start(): void {
    this.tx.push(Uint8Array.of(22, 1, ...enc.encode(this.own.value)));
  }
  setRemote(): void {}
  restartRetransmitTimer(): void {}
  get isUp(): boolean {
    return this.up;
  }
  handleInput(_now: Millis, d: Uint8Array): void {
    if (d[0] === 22) {
      const ok = this.remote.some((f) => f.value === dec.decode(d.subarray(2)));
      if (!ok) return this.ev.push({ type: 'failed', error: new Error('fingerprint mismatch') });
      if (d[1] === 1 && this.role === 'server') this.tx.push(Uint8Array.of(22, 2, ...enc.encode(this.own.value)));
      if (!this.up) this.ev.push({ type: 'connected' });
      this.up = true;
    } else if (d[0] === 23 && this.up) this.ev.push({ type: 'data', data: d.slice(1) });
    else if (d[0] === 21) this.ev.push({ type: 'closed' });
  }
  send(_now: Millis, data: Uint8Array): void {
    this.tx.push(Uint8Array.of(23, ...data));
  }
  close(): void {
    this.tx.push(Uint8Array.of(21));
  }
  handleTimeout(): void {}
  pollTransmit(): Uint8Array | undefined {
    return this.tx.shift();
  }
  pollEvent(): DtlsPortEvent | undefined {
    return this.ev.shift();
  }
  pollTimeout(): Millis | undefined {
    return undefined;
  }
}

/** Toy SCTP: INIT, DATA (stream, ppid, payload), RESET with the reciprocal reset, ABORT. */
export class FakeSctp implements SctpPort {
  readonly maxStreams = 1024;
  private readonly tx = new Queue<Uint8Array>();
  private readonly ev = new Queue<SctpPortEvent>();
  private readonly resetting = new Set<number>();
  private up = false;
  readonly sent: { streamId: number; ppid: number; opts: SctpSendOptions }[] = [];
  constructor(readonly remoteMaxMessageSize: number) {}
  connect(): void {
    this.tx.push(Uint8Array.of(1));
  }
  retryInit(): void {}
  send(_now: Millis, streamId: number, ppid: number, data: Uint8Array, opts: SctpSendOptions): void {
    this.sent.push({ streamId, ppid, opts });
    this.tx.push(Uint8Array.of(2, streamId >> 8, streamId & 255, ppid, ...data));
  }
  resetStream(_now: Millis, id: number): void {
    this.resetting.add(id);
    this.tx.push(Uint8Array.of(3, id >> 8, id & 255));
  }
  bufferedAmount(): number {
    return 0;
  }
  shutdown(): void {
    this.abort();
  }
  abort(): void {
    this.tx.push(Uint8Array.of(4));
  }
  handleInput(_now: Millis, d: Uint8Array): void {
    const kind = d[0];
    const id = ((d[1] ?? 0) << 8) | (d[2] ?? 0);
    if (kind === 1 && !this.up) {
      this.up = true;
      this.ev.push({ type: 'connected' });
    } else if (kind === 2) this.ev.push({ type: 'message', streamId: id, ppid: d[3] ?? 0, data: d.slice(4) });
    else if (kind === 3) {
      if (!this.resetting.delete(id)) this.tx.push(Uint8Array.of(3, id >> 8, id & 255));
      this.ev.push({ type: 'stream-reset', streamIds: [id] });
    } else if (kind === 4) this.ev.push({ type: 'closed', reason: 'abort' });
  }
  handleTimeout(): void {}
  pollTransmit(): Uint8Array | undefined {
    return this.tx.shift();
  }
  pollEvent(): SctpPortEvent | undefined {
    return this.ev.shift();
  }
  pollTimeout(): Millis | undefined {
    return undefined;
  }
}

/** Layers made of the doubles; `made` exposes what was created for assertions. */
export function fakeLayers(rng: Rng, name: string): StackLayers & { made: { ice?: FakeIce; dtls?: FakeDtls; sctp?: FakeSctp } } {
  const fp: Fingerprint = { algorithm: 'sha-256', value: Array.from(enc.encode(name.padEnd(32, '.').slice(0, 32)), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':') };
  const made: { ice?: FakeIce; dtls?: FakeDtls; sctp?: FakeSctp } = {};
  return {
    made,
    createIce: (o) => (made.ice = new FakeIce(rng, o.controlling)),
    dtls: { fingerprint: fp, create: (role, remote) => (made.dtls = new FakeDtls(role, fp, remote)) },
    createSctp: (o) => (made.sctp = new FakeSctp(o.remoteMaxMessageSize)),
  };
}
