import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { candidatePriority, candidateExtension, computeFoundation, isMdnsName, localPreference, pairPriority } from './candidate.js';
import type { Candidate } from './candidate.js';
import { formatCandidate, parseCandidate } from './candidate-grammar.js';
import { isParseError } from '../core/errors.js';

// Lines captured from real browsers and libraries (test/vectors/sdp/*, origin noted in its SOURCES.md),
// plus Chrome's full trickle form with ufrag/network-id (libwebrtc's candidate serializer output).
const CHROME = 'candidate:3318315690 1 udp 2113937151 198.18.1.2 57188 typ host generation 0 ufrag Ab12 network-id 1 network-cost 10';
const CHROME_MDNS = 'a=candidate:2423611794 1 udp 2113937151 87605dc3-1ac3-4e63-9cac-3de5099c580d.local 58000 typ host generation 0 network-cost 999';
const FIREFOX_UDP = 'candidate:0 1 UDP 2122252543 198.18.10.2 34086 typ host';
const FIREFOX_TCP = 'candidate:1 1 TCP 2105524479 198.18.10.2 9 typ host tcptype active';
const LIBDATACHANNEL = 'candidate:24388c05359e4b2de8806a5ca7dcc0df 1 udp 2130706431 198.18.10.2 38526 typ host';
const SRFLX = 'candidate:842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 198.19.100.5 rport 50000 generation 0 network-cost 50';
const IPV6 = 'candidate:1 1 udp 2122262783 2001:db8::1 50001 typ host';

test('Chrome line: fields and extensions kept in order, round trip exact', () => {
  const c = parseCandidate(CHROME);
  assert.equal(c.foundation, '3318315690');
  assert.equal(c.transport, 'udp');
  assert.equal(c.priority, 2113937151);
  assert.equal(c.type, 'host');
  assert.deepEqual(c.extensions, [['generation', '0'], ['ufrag', 'Ab12'], ['network-id', '1'], ['network-cost', '10']]);
  assert.equal(candidateExtension(c, 'ufrag'), 'Ab12');
  assert.equal(formatCandidate(c), CHROME);
});

test('mDNS .local names, srflx raddr/rport, IPv6, libdatachannel hex foundations', () => {
  const m = parseCandidate(CHROME_MDNS);
  assert.equal(m.address, '87605dc3-1ac3-4e63-9cac-3de5099c580d.local');
  assert.ok(isMdnsName(m.address));
  const s = parseCandidate(SRFLX);
  assert.deepEqual([s.type, s.relatedAddress, s.relatedPort], ['srflx', '198.19.100.5', 50000]);
  assert.equal(formatCandidate(s), SRFLX);
  assert.equal(parseCandidate(IPV6).address, '2001:db8::1');
  assert.equal(parseCandidate(LIBDATACHANNEL).foundation, '24388c05359e4b2de8806a5ca7dcc0df');
});

test('Firefox: upper-case transport lower-cased; TCP parsed with tcptype', () => {
  const u = parseCandidate(FIREFOX_UDP);
  assert.equal(u.transport, 'udp');
  assert.equal(formatCandidate(u), FIREFOX_UDP.replace('UDP', 'udp'));
  const t = parseCandidate(FIREFOX_TCP);
  assert.deepEqual([t.transport, t.tcpType, t.port], ['tcp', 'active', 9]);
});

test('bad lines give typed ParseErrors', () => {
  const bad = [
    '', 'candidate:', 'candidate:1 1 udp 1 1.2.3.4 5 typ', 'candidate:1 0 udp 1 1.2.3.4 5 typ host',
    'candidate:1 1 udp 4294967296 1.2.3.4 5 typ host', 'candidate:1 1 udp 1 1.2.3.4 65536 typ host',
    'candidate:1 1 udp 1 1.2.3.4 5 type host', 'candidate:1 1 udp 1 1.2.3.4 5 typ foo', 'candidate:1 1 sctp 1 1.2.3.4 5 typ host',
    'candidate:1 1 tcp 1 1.2.3.4 5 typ host tcptype x', 'candidate:f@o 1 udp 1 1.2.3.4 5 typ host', `candidate:1 1 udp 1 ${'a'.repeat(2000)} 5 typ host`,
  ];
  for (const line of bad) assert.throws(() => parseCandidate(line), (e) => isParseError(e) && e.code.startsWith('ice.candidate.'), line);
});

const arbCandidate: fc.Arbitrary<Candidate> = fc.record({
  foundation: fc.stringMatching(/^[A-Za-z0-9+/]{1,32}$/),
  component: fc.integer({ min: 1, max: 256 }),
  transport: fc.constantFrom('udp' as const, 'tcp' as const),
  priority: fc.integer({ min: 0, max: 0xffffffff }),
  address: fc.oneof(fc.ipV4(), fc.ipV6(), fc.uuid().map((u) => `${u}.local`)),
  port: fc.integer({ min: 0, max: 65535 }),
  type: fc.constantFrom('host' as const, 'srflx' as const, 'prflx' as const, 'relay' as const),
  extensions: fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,10}$/).filter((n) => !['raddr', 'rport', 'tcptype'].includes(n)), fc.stringMatching(/^[A-Za-z0-9]{1,8}$/)), { maxLength: 5 }),
});

test('format then parse is the identity (property)', () => {
  fc.assert(fc.property(arbCandidate, (c) => assert.deepEqual(parseCandidate(formatCandidate(c)), { ...c, extensions: c.extensions.map(([k, v]) => [k, v]) })));
});

test('random and mutated lines give a candidate or a ParseError (property)', () => {
  const mutated = fc.tuple(fc.constantFrom(CHROME, SRFLX, FIREFOX_TCP, IPV6), fc.nat(), fc.string({ maxLength: 3 })).map(([l, i, s]) => {
    const at = i % (l.length + 1);
    return l.slice(0, at) + s + l.slice(at + 1);
  });
  fc.assert(
    fc.property(fc.oneof(fc.string(), mutated), (line) => {
      try {
        const c = parseCandidate(line);
        assert.ok(c.port >= 0 && c.port <= 65535 && c.component >= 1);
      } catch (e) {
        assert.ok(isParseError(e), String(e));
      }
    }),
    { numRuns: 2000 },
  );
});

test('priorities: RFC 8445 formula, Chrome example, type order', () => {
  // Chrome host 2122260223 = 126·2^24 + 32542·2^8 + 255 (protocol.md §4.2).
  assert.equal(candidatePriority('host', 32542), 2122260223);
  assert.ok(candidatePriority('host', 0) > candidatePriority('prflx', 65535));
  assert.ok(candidatePriority('prflx', 0) > candidatePriority('srflx', 65535));
  assert.ok(candidatePriority('srflx', 0) > candidatePriority('relay', 65535));
  assert.ok(localPreference('::1', 0) > localPreference('127.0.0.1', 0));
  assert.ok(localPreference('198.18.100.1', 0) > localPreference('198.18.100.2', 1));
  for (let i = 0; i < 300; i++) assert.ok(localPreference('::1', i) >= 0 && localPreference('1.1.1.1', i) <= 65535);
});

test('pair priority: RFC 8445 §6.1.2.3, symmetric except the tie bit', () => {
  const g = 2130706431;
  const d = 1694498815;
  assert.equal(pairPriority(g, d), (BigInt(d) << 32n) + 2n * BigInt(g) + 1n);
  assert.equal(pairPriority(d, g), (BigInt(d) << 32n) + 2n * BigInt(g));
  assert.ok(pairPriority(g, g) > pairPriority(g, d));
});

test('foundations: equal for same type/base/server/transport, distinct otherwise', () => {
  const s = { address: '198.18.0.1', port: 3478 };
  assert.equal(computeFoundation('srflx', '198.18.100.1', s, 'udp'), computeFoundation('srflx', '198.18.100.1', s, 'udp'));
  assert.notEqual(computeFoundation('srflx', '198.18.100.1', s, 'udp'), computeFoundation('host', '198.18.100.1', undefined, 'udp'));
  assert.notEqual(computeFoundation('host', '198.18.100.1', undefined, 'udp'), computeFoundation('host', '198.18.100.2', undefined, 'udp'));
  assert.match(computeFoundation('host', '::1', undefined, 'udp'), /^\d{1,10}$/);
});
