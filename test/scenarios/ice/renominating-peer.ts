/**
 * A scripted controlling peer for the simulator that behaves like Chrome with re-nomination
 * (protocol.md §4.5, interop bug 3): from t=0 it checks from its first address with USE-CANDIDATE
 * every 2.5 s and answers requests there; from `switchAt` it uses ONLY its second address (checks
 * with USE-CANDIDATE, answers), and ignores everything sent to the first one.
 */
import { Queue } from '../../../src/core/event-queue.js';
import { SeededRng } from '../../../src/core/rng.js';
import type { Addr, Datagram, Millis, SansIo } from '../../../src/core/types.js';
import { sameAddr } from '../../../src/core/types.js';
import { buildCheck, buildSuccess } from '../../../src/ice/binding.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { decodeStun } from '../../../src/stun/message.js';

export class RenominatingPeer implements SansIo<never> {
  readonly ufrag = 'chromeUfrag';
  readonly pwd = 'chromePasswordChromePassword';
  private readonly out = new Queue<Datagram>();
  private readonly rng = new SeededRng(77);
  private nextCheck = 0;
  remote: { ufrag: string; pwd: string; addr: Addr } | undefined;

  constructor(
    private readonly first: Addr,
    private readonly second: Addr,
    private readonly switchAt: Millis,
  ) {}

  private active(now: Millis): Addr {
    return now < this.switchAt ? this.first : this.second;
  }

  handleDatagram(now: Millis, dg: Datagram): void {
    if (!sameAddr(dg.to, this.active(now))) return; // the old path is abandoned: nothing answered there
    const m = decodeStun(dg.data);
    if (m.cls === 'request') this.out.push({ from: dg.to, to: dg.from, data: buildSuccess(m, dg.from, this.pwd, nodeCrypto) });
  }

  handleTimeout(now: Millis): void {
    if (!this.remote || now < this.nextCheck) return;
    this.nextCheck = now + 2500;
    const r = this.remote;
    const { bytes } = buildCheck(
      { localUfrag: this.ufrag, remoteUfrag: r.ufrag, remotePwd: r.pwd, priority: 1853824767, controlling: true, tieBreaker: 1n << 62n, useCandidate: true },
      this.rng,
      nodeCrypto,
    );
    this.out.push({ from: this.active(now), to: r.addr, data: bytes });
  }

  pollTransmit(): Datagram | undefined {
    return this.out.shift();
  }

  pollEvent(): never | undefined {
    return undefined;
  }

  pollTimeout(): Millis | undefined {
    return this.remote ? this.nextCheck : undefined;
  }
}
