// Root-only: the mDNS shell with REAL multicast (224.0.0.251:5353, port 5353 shared with
// SO_REUSEADDR) inside a lab namespace: one instance publishes a `<uuid>.local` name, another
// resolves it; an unknown name times out as unresolved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labSkipReason, withLab } from './lab.js';

test('lab: multicast mDNS publish and resolve inside a namespace', { skip: labSkipReason(), timeout: 60_000 }, async () => {
  await withLab({ name: 'rtm' }, async (lab) => {
    const p = lab.node('a', 'test/root/mdns-multicast.ts', [lab.addr('a')]);
    const code = await p.exited;
    console.log(p.stdout.trim());
    assert.equal(code, 0, p.stderr);
    assert.match(p.stdout, /^ports \[5353,5353\]$/m);
    assert.match(p.stdout, new RegExp(`^resolved [0-9a-f-]{36}\\.local \\["${lab.addr('a').replaceAll('.', '\\.')}"\\]$`, 'm'));
    assert.match(p.stdout, /^nobody null$/m);
  });
});
