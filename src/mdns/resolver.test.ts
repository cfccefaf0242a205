import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SeededRng } from '../core/rng.js';
import { decodeDns, encodeResponse, RR_A, RR_AAAA } from './message.js';
import { MdnsResolver, type MdnsEvent } from './resolver.js';
import { MdnsResponder } from './responder.js';

function drain<T>(poll: () => T | undefined): T[] {
  const out: T[] = [];
  for (let x = poll(); x !== undefined; x = poll()) out.push(x);
  return out;
}

test('resolver: query sent at once, answer gives resolved, cached afterwards', () => {
  const r = new MdnsResolver();
  r.resolve(0, 'ABC.local');
  const q = drain(() => r.pollTransmit());
  assert.equal(q.length, 1);
  assert.deepEqual(decodeDns(q[0] as Uint8Array).questions.map((x) => [x.name, x.type]), [['abc.local', RR_A], ['abc.local', RR_AAAA]]);
  r.handleMessage(10, encodeResponse('abc.local', ['198.18.1.2', 'fe80::2']));
  assert.deepEqual(drain(() => r.pollEvent()), [{ type: 'resolved', name: 'abc.local', addresses: ['198.18.1.2', 'fe80::2'] }]);
  assert.equal(r.pollTimeout(), undefined);
  r.resolve(50_000, 'abc.local');
  assert.deepEqual(drain(() => r.pollTransmit()), []);
  assert.equal(drain(() => r.pollEvent()).length, 1);
  r.resolve(200_000, 'abc.local'); // TTL 120 s expired: asked again
  assert.equal(drain(() => r.pollTransmit()).length, 1);
});

test('resolver: retransmits after 1 s (doubling), unresolved at the timeout, nothing after', () => {
  const r = new MdnsResolver({ timeoutMs: 3000 });
  r.resolve(0, 'x.local');
  drain(() => r.pollTransmit());
  const sends: number[] = [];
  const events: MdnsEvent[] = [];
  for (let now = r.pollTimeout(); now !== undefined; now = r.pollTimeout()) {
    r.handleTimeout(now);
    if (drain(() => r.pollTransmit()).length > 0) sends.push(now);
    events.push(...drain(() => r.pollEvent()));
  }
  assert.deepEqual(sends, [1000]);
  assert.deepEqual(events, [{ type: 'unresolved', name: 'x.local' }]);
  assert.equal(r.stats.timedOut, 1);
  r.handleMessage(4000, encodeResponse('x.local', ['198.18.100.1']));
  assert.deepEqual(drain(() => r.pollEvent()), []);
});

test('resolver: bounded pending names; junk and queries are ignored; bad names are usage errors', () => {
  const r = new MdnsResolver({ maxPending: 2 });
  r.resolve(0, 'a.local');
  r.resolve(0, 'b.local');
  r.resolve(0, 'c.local');
  assert.deepEqual(drain(() => r.pollEvent()), [{ type: 'unresolved', name: 'c.local' }]);
  r.handleMessage(1, new Uint8Array([1, 2, 3]));
  assert.equal(r.stats.malformed, 1);
  assert.throws(() => r.resolve(0, '198.19.100.1'), /\.local/);
  assert.throws(() => new MdnsResolver({ timeoutMs: 0 }), /timeoutMs/);
});

test('responder answers queries for its names only, and the resolver takes that answer', () => {
  const pub = new MdnsResponder(new SeededRng(7));
  const name = pub.publish('198.18.1.2');
  assert.match(name, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.local$/);
  assert.equal(pub.publish('198.18.1.2'), name);
  const r = new MdnsResolver();
  r.resolve(0, name);
  const reply = pub.handleMessage(r.pollTransmit() as Uint8Array);
  assert.ok(reply);
  r.handleMessage(1, reply);
  assert.deepEqual(drain(() => r.pollEvent()), [{ type: 'resolved', name, addresses: ['198.18.1.2'] }]);
  const other = new MdnsResolver();
  other.resolve(0, 'someone-else.local');
  assert.equal(pub.handleMessage(other.pollTransmit() as Uint8Array), undefined);
  assert.equal(pub.handleMessage(reply), undefined, 'responses are not answered');
});

test('property: random input never throws out of the resolver or the responder', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 10 }), (msgs) => {
      const r = new MdnsResolver();
      const pub = new MdnsResponder(new SeededRng(1));
      pub.publish('198.18.100.1');
      r.resolve(0, 'q.local');
      for (const m of msgs) {
        r.handleMessage(1, m);
        pub.handleMessage(m);
      }
    }),
  );
});
