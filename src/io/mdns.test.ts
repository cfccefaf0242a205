import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeMdns } from './mdns.js';

// Loopback only (DEVELOPERS.md): the same shell code, with the "group" pointed at another
// instance's unicast loopback port. Real multicast is exercised in the root lab (test/root/).
test('NodeMdns resolves a name published by another instance (unicast answer to a non-5353 querier)', async () => {
  const responder = await NodeMdns.open({ groups: [{ address: '127.0.0.1', port: 1 }], bindAddress: '127.0.0.1', port: 0, publish: true });
  const name = responder.publish('198.18.1.2');
  assert.ok(name?.endsWith('.local'));
  const port = responder.localPorts[0] as number;
  const resolver = await NodeMdns.open({ groups: [{ address: '127.0.0.1', port }], bindAddress: '127.0.0.1', port: 0, timeoutMs: 2000 });
  try {
    assert.deepEqual(await resolver.resolve(name as string), ['198.18.1.2']);
    assert.equal(await resolver.resolve('nobody-here.local'), undefined);
  } finally {
    resolver.close();
    responder.close();
  }
});

test('NodeMdns close() settles pending lookups as unresolved', async () => {
  const m = await NodeMdns.open({ groups: [{ address: '127.0.0.1', port: 9 }], bindAddress: '127.0.0.1', port: 0, timeoutMs: 60_000 });
  const p = m.resolve('late.local');
  m.close();
  assert.equal(await p, undefined);
});
