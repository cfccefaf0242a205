import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRng } from '../../src/core/rng.js';
import { Queue } from '../../src/core/event-queue.js';
import type { Addr, Datagram, Millis, SansIo } from '../../src/core/types.js';
import { addrKey } from '../../src/core/types.js';
import { decodeStun, encodeStun, getAttr, isStunPacket, newTransactionId, StunMethod, stunRequest } from '../../src/stun/index.js';
import type { NatType } from './nat.js';
import type { Sim } from './sim.js';
import { forSeeds } from './scenario.js';
import { StunServer } from './stun-server.js';

const PUNCH = new Uint8Array([0x80, 1]);
const ACK = new Uint8Array([0x80, 2]);

/**
 * A miniature hole-puncher: learns its server-reflexive address from STUN servers, then sends
 * punches to the peer's reflexive address and answers every punch to its observed source (the way
 * ICE learns peer-reflexive candidates). `heardFromPeer` says whether anything got through.
 */
class Puncher implements SansIo<never> {
  private readonly tx = new Queue<Datagram>();
  readonly mapped = new Map<string, Addr>();
  heardFromPeer = false;
  private peer: Addr | undefined;
  private next: Millis | undefined;
  private left = 0;
  private readonly rng: SeededRng;

  constructor(readonly local: Addr, seed: number) {
    this.rng = new SeededRng(seed);
  }

  ask(server: Addr): void {
    const req = stunRequest(StunMethod.Binding, newTransactionId(this.rng));
    this.tx.push({ from: this.local, to: server, data: encodeStun(req, { fingerprint: true }) });
  }

  punch(now: Millis, peer: Addr): void {
    this.peer = peer;
    this.left = 10;
    this.next = now;
    this.handleTimeout(now);
  }

  handleDatagram(_now: Millis, dg: Datagram): void {
    if (isStunPacket(dg.data)) {
      const xor = getAttr(decodeStun(dg.data), 'xorMappedAddress');
      if (xor) this.mapped.set(addrKey(dg.from), xor);
      return;
    }
    this.heardFromPeer = true;
    if (dg.data[1] === 1) this.tx.push({ from: this.local, to: dg.from, data: ACK });
  }

  handleTimeout(now: Millis): void {
    if (this.next === undefined || now < this.next || this.peer === undefined) return;
    this.tx.push({ from: this.local, to: this.peer, data: PUNCH });
    this.next = --this.left > 0 ? now + 50 : undefined;
  }

  pollTransmit(): Datagram | undefined {
    return this.tx.shift();
  }
  pollEvent(): undefined {
    return undefined;
  }
  pollTimeout(): Millis | undefined {
    return this.next;
  }
}

function setup(sim: Sim, typeA: NatType, typeB: NatType) {
  const s1 = sim.host({ name: 'stun1' });
  const s2 = sim.host({ name: 'stun2' });
  const srv1 = { address: s1.address(), port: 3478 };
  const srv2 = { address: s2.address(), port: 3478 };
  sim.attach(s1, new StunServer());
  sim.attach(s2, new StunServer());
  const mk = (name: string, type: NatType, seed: number) => {
    const nat = sim.nat({ name: `nat-${name}`, type });
    const h = sim.host({ name, behind: nat, link: { delayMs: 10, jitterMs: 2 } });
    const p = new Puncher({ address: h.address(), port: 5000 }, seed);
    sim.attach(h, p);
    p.ask(srv1);
    p.ask(srv2);
    return { nat, h, p };
  };
  return { a: mk('a', typeA, 1), b: mk('b', typeB, 2), srv1, srv2 };
}

const TYPES: NatType[] = ['full-cone', 'address-restricted', 'port-restricted', 'symmetric'];

test('STUN through each NAT type: the mapped address is the NAT public address; symmetric NATs map per destination', () => {
  forSeeds([1, 2], (sim) => {
    for (const type of TYPES) {
      const { a, srv1, srv2 } = setup(sim, type, 'full-cone');
      sim.runUntil(() => a.p.mapped.size === 2, { maxMs: 1000 });
      const m1 = a.p.mapped.get(addrKey(srv1));
      const m2 = a.p.mapped.get(addrKey(srv2));
      assert.ok(m1 && m2);
      assert.equal(m1.address, a.nat.publicAddresses[0]);
      assert.equal(m1.port === m2.port, type !== 'symmetric', type);
    }
  });
});

/** Whether direct hole punching works, by the classic table (no relay). */
const works = (x: NatType, y: NatType): boolean =>
  !((x === 'symmetric' && (y === 'symmetric' || y === 'port-restricted')) || (y === 'symmetric' && x === 'port-restricted'));

for (const ta of TYPES) {
  for (const tb of TYPES) {
    test(`hole punching ${ta} <-> ${tb} ${works(ta, tb) ? 'connects' : 'fails without a relay'}`, () => {
      forSeeds([7], (sim) => {
        const { a, b, srv1 } = setup(sim, ta, tb);
        sim.runUntil(() => a.p.mapped.size === 2 && b.p.mapped.size === 2, { maxMs: 1000 });
        const ra = a.p.mapped.get(addrKey(srv1));
        const rb = b.p.mapped.get(addrKey(srv1));
        assert.ok(ra && rb);
        a.p.punch(sim.now, rb);
        b.p.punch(sim.now, ra);
        sim.runUntilIdle({ maxMs: 5000 });
        const ok = a.p.heardFromPeer && b.p.heardFromPeer;
        assert.equal(ok, works(ta, tb));
        if (!ok) assert.ok(sim.dropped('nat-filtered') + sim.dropped('nat-no-mapping') > 0);
      });
    });
  }
}

test('STUN server ignores non-requests and garbage, and can be silenced', () => {
  const srv = new StunServer();
  const from = { address: '198.18.0.1', port: 1 };
  const to = { address: '198.18.0.2', port: 3478 };
  srv.handleDatagram(0, { from, to, data: new Uint8Array([0, 1, 0, 0]) });
  srv.handleDatagram(0, { from, to, data: new Uint8Array(20) });
  const ind = encodeStun({ method: StunMethod.Binding, cls: 'indication', transactionId: new Uint8Array(12), attributes: [] });
  srv.handleDatagram(0, { from, to, data: ind });
  assert.equal(srv.ignored, 3);
  assert.equal(srv.pollTransmit(), undefined);
  const req = encodeStun(stunRequest(StunMethod.Binding, new Uint8Array(12).fill(7)));
  srv.handleDatagram(1, { from, to, data: req });
  const res = srv.pollTransmit();
  assert.ok(res);
  assert.deepEqual([res.from, res.to], [to, from]);
  const msg = decodeStun(res.data);
  assert.equal(msg.cls, 'success');
  assert.deepEqual(getAttr(msg, 'xorMappedAddress'), from);
  srv.answering = false;
  srv.handleDatagram(2, { from, to, data: req });
  assert.equal(srv.pollTransmit(), undefined);
  assert.equal(srv.answered, 1);
});
