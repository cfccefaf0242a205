import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHost, type HostLookup } from './dns.js';

test('resolveHost: localhost through the system resolver gives a loopback address', async () => {
  const r = await resolveHost('localhost', { timeoutMs: 3000 });
  assert.ok('addresses' in r, JSON.stringify(r));
  assert.ok(r.addresses.some((a) => a === '127.0.0.1' || a === '::1'), r.addresses.join());
});

test('resolveHost: IPv4 first, duplicates removed', async () => {
  const lookup: HostLookup = () =>
    Promise.resolve([
      { address: '2001:db8::1', family: 6 },
      { address: '198.18.0.1', family: 4 },
      { address: '198.18.0.1', family: 4 },
      { address: '198.18.0.2', family: 4 },
    ]);
  assert.deepEqual(await resolveHost('x.test', { lookup }), { addresses: ['198.18.0.1', '198.18.0.2', '2001:db8::1'] });
});

test('resolveHost: failures come back as reasons, never as rejections', async () => {
  const fail = (code: string): HostLookup => () => Promise.reject(Object.assign(new Error(`getaddrinfo ${code} x.test`), { code }));
  assert.deepEqual(await resolveHost('x.test', { lookup: fail('ENOTFOUND') }), { reason: 'name not found (NXDOMAIN or no A/AAAA record)' });
  assert.match(((await resolveHost('x.test', { lookup: fail('EAI_AGAIN') })) as { reason: string }).reason, /temporary DNS failure/);
  assert.match(((await resolveHost('x.test', { lookup: fail('EWHATEVER') })) as { reason: string }).reason, /getaddrinfo EWHATEVER/);
  assert.deepEqual(await resolveHost('x.test', { lookup: () => Promise.resolve([]) }), { reason: 'no A/AAAA record' });
});

test('resolveHost: a lookup that never answers times out with the configured time', async () => {
  const t0 = performance.now();
  const r = await resolveHost('x.test', { lookup: () => new Promise(() => undefined), timeoutMs: 30 });
  assert.deepEqual(r, { reason: 'DNS lookup timed out after 30 ms' });
  assert.ok(performance.now() - t0 >= 25);
});
