import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Addr } from '../../src/core/types.js';
import { natBehaviour, NatTable } from './nat.js';
import type { NatType } from './nat.js';
import { Sim } from './sim.js';
import { EchoCore, Pinger } from './toys.js';

const A = (address: string, port: number): Addr => ({ address, port });
const inside = A('198.19.1.1', 5000);
const server = A('198.18.0.10', 3478);
const sameAddrOtherPort = A('198.18.0.10', 3479);
const otherAddr = A('198.18.0.11', 3478);

/** Which remote endpoints may send in after the inside host sent only to `server`, per RFC 4787 type. */
const FILTERING: Record<NatType, [server: boolean, samePortDiffAddr: boolean, sameAddrDiffPort: boolean]> = {
  'full-cone': [true, true, true],
  'address-restricted': [true, false, true],
  'port-restricted': [true, false, false],
  symmetric: [true, false, false],
};

for (const type of Object.keys(FILTERING) as NatType[]) {
  test(`NatTable ${type}: mapping and filtering follow RFC 4787`, () => {
    const t = new NatTable(natBehaviour(type), ['198.18.0.100']);
    const out1 = t.outbound(0, inside, server);
    assert.ok(out1.ok && out1.created);
    const ext = out1.external;
    assert.equal(ext.address, '198.18.0.100');
    const out2 = t.outbound(1, inside, otherAddr);
    assert.ok(out2.ok);
    // endpoint-independent mapping reuses the port; symmetric gets a new one (§4.1)
    assert.equal(out2.external.port === ext.port, type !== 'symmetric');
    const t2 = new NatTable(natBehaviour(type), ['198.18.0.100']);
    const m = t2.outbound(0, inside, server);
    assert.ok(m.ok);
    const [fromServer, fromOtherAddr, fromOtherPort] = FILTERING[type];
    assert.equal(t2.inbound(1, server, m.external).ok, fromServer);
    assert.equal(t2.inbound(1, otherAddr, m.external).ok, fromOtherAddr);
    assert.equal(t2.inbound(1, sameAddrOtherPort, m.external).ok, fromOtherPort);
    assert.deepEqual(t2.inbound(1, server, A('198.18.0.100', 1)), { ok: false, reason: 'nat-no-mapping' });
  });
}

test('NatTable mapping expires after the idle timeout and is refreshed by outbound traffic only', () => {
  const t = new NatTable(natBehaviour('full-cone', { mappingTimeoutMs: 1000 }), ['198.18.0.100']);
  const m = t.outbound(0, inside, server);
  assert.ok(m.ok);
  assert.ok(t.inbound(999, server, m.external).ok);
  assert.ok(t.outbound(900, inside, server).ok); // refresh: now expires at 1900
  assert.ok(t.inbound(1899, server, m.external).ok); // inbound does not refresh (default)
  assert.deepEqual(t.inbound(1900, server, m.external), { ok: false, reason: 'nat-no-mapping' });
  const again = t.outbound(2000, inside, server);
  assert.ok(again.ok && again.created);
  assert.notEqual(again.external.port, m.external.port);
  assert.equal(t.mappings(2000).length, 1);

  const r = new NatTable(natBehaviour('full-cone', { mappingTimeoutMs: 1000, inboundRefresh: true }), ['198.18.0.100']);
  const rm = r.outbound(0, inside, server);
  assert.ok(rm.ok);
  assert.ok(r.inbound(900, server, rm.external).ok);
  assert.ok(r.inbound(1800, server, rm.external).ok);
});

test('NatTable: port preservation, no public address of the family, sequential ports', () => {
  const p = new NatTable(natBehaviour('symmetric', { portPreservation: true }), ['198.18.0.100']);
  const a = p.outbound(0, inside, server);
  const b = p.outbound(0, inside, otherAddr);
  assert.ok(a.ok && b.ok);
  assert.equal(a.external.port, 5000);
  assert.equal(b.external.port, 40000);
  assert.deepEqual(p.outbound(0, inside, A('2001:db8::1', 1)), { ok: false, reason: 'nat-no-public-address' });
  assert.throws(() => natBehaviour('full-cone', { mappingTimeoutMs: 0 }), RangeError);
});

/** Through the simulator: host behind a NAT pings a server, then a third party tries to reach the mapping. */
function natScenario(type: NatType) {
  const sim = new Sim({ seed: 3 });
  const nat = sim.nat({ type, mappingTimeoutMs: 5000 });
  const inner = sim.host({ name: 'inner', behind: nat });
  const srv = sim.host({ name: 'srv' });
  const third = sim.host({ name: 'third' });
  const pinger = new Pinger({ address: inner.address(), port: 5000 }, { address: srv.address(), port: 3478 }, 1, 10);
  sim.attach(inner, pinger);
  const echo = sim.attach(srv, new EchoCore(), { collect: true });
  pinger.start(0);
  sim.runUntil(() => pinger.arrivals.length === 1, { maxMs: 100 });
  const mapped = echo.ofType('received')[0]?.from;
  assert.ok(mapped);
  return { sim, nat, inner, srv, third, pinger, mapped };
}

for (const type of Object.keys(FILTERING) as NatType[]) {
  test(`sim ${type}: the server sees the mapped address and the reply passes; strangers are filtered`, () => {
    const { sim, third, srv, pinger, mapped, nat } = natScenario(type);
    assert.equal(mapped.address, nat.publicAddresses[0]);
    assert.equal(pinger.arrivals[0]?.from.address, srv.address());
    const probe = (host: typeof third, port: number): void => {
      const p = new Pinger({ address: host.address(), port }, mapped, 1, 1);
      sim.attach(host, p, { ports: [port] });
      p.start(sim.now);
    };
    probe(third, 3478);
    sim.runUntilIdle();
    const wantOpen = FILTERING[type][1];
    assert.equal(pinger.arrivals.length, wantOpen ? 2 : 1);
    assert.equal(sim.dropped('nat-filtered'), wantOpen ? 0 : 1);
  });
}

test('sim NAT: mapping timeout closes the path; hairpinning is dropped', () => {
  const { sim, nat, inner, srv, pinger, mapped } = natScenario('full-cone');
  sim.runFor(6000);
  const late = new Pinger({ address: srv.address(), port: 3478 }, mapped, 1, 1);
  sim.attach(srv, late, { ports: [7] });
  late.start(sim.now);
  sim.runUntilIdle();
  assert.equal(pinger.arrivals.length, 1);
  assert.equal(sim.dropped('nat-no-mapping'), 1);
  const hair = new Pinger({ address: inner.address(), port: 6000 }, { address: nat.publicAddresses[0] as string, port: mapped.port }, 1, 1);
  sim.attach(inner, hair, { ports: [6000] });
  hair.start(sim.now);
  sim.runUntilIdle();
  assert.equal(sim.dropped('nat-hairpin'), 1);
});

test('sim: nested NATs translate twice; hosts behind one NAT reach each other directly', () => {
  const sim = new Sim({ seed: 9 });
  const carrier = sim.nat({ name: 'cgnat', type: 'full-cone' });
  const home = sim.nat({ name: 'home', type: 'port-restricted', behind: carrier });
  const inner = sim.host({ name: 'inner', behind: home });
  const sibling = sim.host({ name: 'sibling', behind: home });
  const srv = sim.host({ name: 'srv' });
  assert.deepEqual([home.publicAddresses[0], inner.address(), sibling.address()], ['198.19.1.1', '198.19.2.1', '198.19.2.2']);
  const echo = sim.attach(srv, new EchoCore(), { collect: true });
  const sib = sim.attach(sibling, new EchoCore(), { collect: true });
  const p = new Pinger({ address: inner.address(), port: 5000 }, { address: srv.address(), port: 1 }, 1, 1);
  const q = new Pinger({ address: inner.address(), port: 5001 }, { address: sibling.address(), port: 1 }, 1, 1);
  sim.attach(inner, p, { ports: [5000] });
  sim.attach(inner, q, { ports: [5001] });
  p.start(0);
  q.start(0);
  sim.runUntilIdle();
  assert.equal(echo.ofType('received')[0]?.from.address, carrier.publicAddresses[0]);
  assert.deepEqual(sib.ofType('received')[0]?.from, { address: inner.address(), port: 5001 });
  assert.equal(p.arrivals.length, 1);
  assert.equal(q.arrivals.length, 1);
  assert.equal(home.table.mappings(sim.now).length, 1);
  assert.equal(carrier.table.mappings(sim.now).length, 1);
});

test('sim: IPv6 hosts talk directly; a NAT without an IPv6 public address drops IPv6 from inside', () => {
  const sim = new Sim({ seed: 10 });
  const a = sim.host({ ipv6: true });
  const b = sim.host({ ipv6: true });
  const echo = sim.attach(b, new EchoCore(), { collect: true });
  const p = new Pinger({ address: a.address(6), port: 1 }, { address: b.address(6), port: 2 }, 1, 1);
  sim.attach(a, p);
  p.start(0);
  const nat = sim.nat({ type: 'full-cone' });
  const c = sim.host({ behind: nat, ipv6: true });
  assert.match(c.address(6), /^2001:db8:1::/);
  const q = new Pinger({ address: c.address(6), port: 1 }, { address: b.address(6), port: 2 }, 1, 1);
  sim.attach(c, q);
  q.start(0);
  sim.runUntilIdle();
  assert.equal(p.arrivals.length, 1);
  assert.match(sim.trace.last().join('\n'), /\[2001:db8::1\]:1 -> \[2001:db8::2\]:2 len=8/);
  assert.equal(echo.events.length, 1);
  assert.equal(sim.dropped('nat-no-public-address'), 1);
});
