import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Candidate } from './candidate.js';
import { candidatePriority } from './candidate.js';
import { CheckList } from './checklist.js';
import type { LocalCandidate } from './pair.js';

const host = (address: string, port: number, foundation: string, lp = 65535): LocalCandidate => ({
  candidate: { foundation, component: 1, transport: 'udp', priority: candidatePriority('host', lp), address, port, type: 'host', extensions: [] },
  base: { address, port },
});
const remote = (address: string, port: number, foundation: string, type: Candidate['type'] = 'host'): Candidate => ({
  foundation, component: 1, transport: 'udp', priority: candidatePriority(type, 1000), address, port, type, extensions: [],
});

test('same foundation: one Waiting, the rest Frozen; a success unfreezes them (RFC 8445 §6.1.2.6, §7.2.5.3.3)', () => {
  const cl = new CheckList(100);
  const l = host('198.18.100.1', 1, 'L');
  const p1 = cl.add(l, remote('198.18.100.2', 1, 'R'), true);
  const p2 = cl.add(l, remote('198.18.100.2', 2, 'R'), true);
  const p3 = cl.add(l, remote('198.18.100.3', 1, 'S', 'srflx'), true);
  assert.deepEqual([p1?.state, p2?.state, p3?.state], ['waiting', 'frozen', 'waiting']);
  const first = cl.next();
  assert.equal(first, p1, 'highest priority waiting first');
  (first as NonNullable<typeof first>).state = 'succeeded';
  cl.unfreezeFoundation('L:R');
  assert.equal(p2?.state, 'waiting');
});

test('triggered checks jump the queue; with nothing waiting a frozen foundation is unfrozen', () => {
  const cl = new CheckList(100);
  const l = host('198.18.100.1', 1, 'L');
  const a = cl.add(l, remote('198.18.100.2', 1, 'R'), true);
  const b = cl.add(l, remote('198.18.100.2', 2, 'R'), true);
  assert.ok(a && b);
  cl.trigger(b);
  assert.equal(cl.next(), b);
  a.state = 'failed';
  b.state = 'failed';
  assert.equal(cl.next(), undefined);
  assert.equal(cl.hasWork(), false);
  assert.equal(cl.hasPending(), false);
  const c = cl.add(l, remote('198.18.100.2', 3, 'R'), true);
  assert.equal(c?.state, 'waiting', 'no active pair of its foundation left');
});

test('duplicates are pruned and the pair cap evicts the lowest-priority idle pair', () => {
  const cl = new CheckList(3);
  const l = host('198.18.100.1', 1, 'L');
  cl.add(l, remote('198.18.100.2', 1, 'A', 'relay'), true);
  cl.add(l, remote('198.18.100.2', 2, 'B', 'srflx'), true);
  cl.add(l, remote('198.18.100.2', 3, 'C', 'srflx'), true);
  assert.equal(cl.add(l, remote('198.18.100.2', 2, 'B', 'srflx'), true), cl.get('198.18.100.1:1|198.18.100.2:2'), 'same key -> same pair');
  assert.ok(cl.add(l, remote('198.18.100.2', 4, 'D', 'host'), true), 'a better pair enters');
  assert.equal(cl.size, 3);
  assert.equal(cl.get('198.18.100.1:1|198.18.100.2:1'), undefined, 'the relay pair was evicted');
  assert.equal(cl.add(l, remote('198.18.100.2', 5, 'E', 'relay'), true), undefined, 'a worse pair is refused when full');
});

test('role change recomputes pair priorities (G = controlling side)', () => {
  const cl = new CheckList(10);
  const p = cl.add(host('198.18.100.1', 1, 'L', 100), remote('198.18.100.2', 1, 'R', 'srflx'), true);
  assert.ok(p);
  const before = p.priority;
  cl.recomputePriorities(false);
  assert.notEqual(p.priority, before);
  cl.recomputePriorities(true);
  assert.equal(p.priority, before);
});
