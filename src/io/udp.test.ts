import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import type { Datagram } from '../core/types.js';
import { openUdpHandles } from '../../test/io/handles.js';
import { listHostAddresses } from './interfaces.js';
import { UdpSocketSet } from './udp.js';

const hasIPv6Loopback = listHostAddresses({ only: ['::1'] }).length > 0;

function nextMessage(set: UdpSocketSet): Promise<Datagram> {
  return new Promise((resolve) => (set.onMessage = resolve));
}

test('one socket per loopback address; send picks the socket by `from`; close releases them', async () => {
  const addresses = hasIPv6Loopback ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  const a = await UdpSocketSet.bind({ addresses });
  const b = await UdpSocketSet.bind({ addresses });
  try {
    assert.equal(a.localAddresses.length, addresses.length);
    for (const [i, from] of a.localAddresses.entries()) {
      assert.ok(from.port > 0);
      const to = b.localAddresses[i]!;
      const got = nextMessage(b);
      assert.equal(a.send({ from, to, data: Uint8Array.of(i, 1, 2) }), true);
      const dg = await got;
      assert.deepEqual(dg, { from, to, data: Uint8Array.of(i, 1, 2) });
      assert.equal(Object.getPrototypeOf(dg.data), Uint8Array.prototype, 'a plain Uint8Array, not a Buffer');
    }
    assert.equal(a.send({ from: { address: '127.0.0.2', port: 1 }, to: b.localAddresses[0]!, data: Uint8Array.of(1) }), false);
    if (hasIPv6Loopback) assert.equal(a.send({ from: a.localAddresses[0]!, to: b.localAddresses[1]!, data: Uint8Array.of(1) }), false);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  assert.equal(await openUdpHandles(), 0, 'no UDP handle left open');
});

test('a port range skips ports in use; bind failures close what was bound', async () => {
  const probe = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const base = probe.localAddresses[0]!.port;
  await probe.close();
  const first = await UdpSocketSet.bind({ addresses: ['127.0.0.1'], port: { min: base, max: base + 20 } });
  const second = await UdpSocketSet.bind({ addresses: ['127.0.0.1'], port: { min: base, max: base + 20 } });
  try {
    const p1 = first.localAddresses[0]!.port;
    const p2 = second.localAddresses[0]!.port;
    assert.ok(p1 >= base && p2 > p1 && p2 <= base + 20, `${base} ${p1} ${p2}`);
    await assert.rejects(UdpSocketSet.bind({ addresses: ['127.0.0.1'], port: p1 }), /EADDRINUSE/);
    // The second socket of the same set cannot take the port the first one got: all or nothing.
    const probe2 = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
    const free = probe2.localAddresses[0]!.port;
    await probe2.close();
    await assert.rejects(UdpSocketSet.bind({ addresses: ['127.0.0.1', '127.0.0.1'], port: free }), /EADDRINUSE/);
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
  assert.equal(await openUdpHandles(), 0);
});

test('bindNow binds IP literals before it returns; anything it cannot bind at once is left to bind(), with nothing open', async () => {
  const set = UdpSocketSet.bindNow({ addresses: ['127.0.0.1', '::1'] });
  assert.ok(set, 'bound synchronously');
  try {
    assert.deepEqual(set.localAddresses.map((a) => a.address), ['127.0.0.1', '::1']);
    assert.ok(set.localAddresses.every((a) => a.port > 0));
    const taken = set.localAddresses[0]!.port;
    assert.equal(UdpSocketSet.bindNow({ addresses: ['127.0.0.1'], port: taken }), undefined, 'a port in use: bind() reports it');
    const two = UdpSocketSet.bindNow({ addresses: ['127.0.0.1', '127.0.0.1'], port: 0 });
    assert.equal(two?.localAddresses.length, 2, 'two ephemeral ports bind');
    await two?.close();
    assert.equal(UdpSocketSet.bindNow({ addresses: ['127.0.0.1'], port: { min: 1024, max: 65535 } }), undefined, 'a range goes the async way');
    assert.equal(UdpSocketSet.bindNow({ addresses: ['127.0.0.1', 'localhost'] }), undefined, 'a name is not bound at once');
  } finally {
    await set.close();
  }
  assert.equal(await openUdpHandles(), 0, 'the refused attempts closed what they had bound');
});

test('send errors are reported, not thrown', async () => {
  const errors: string[] = [];
  const set = await UdpSocketSet.bind({ addresses: ['127.0.0.1'], onError: (e) => errors.push((e as NodeJS.ErrnoException).code ?? e.message) });
  const peer = createSocket('udp4');
  peer.bind(0, '127.0.0.1');
  await once(peer, 'listening');
  try {
    // 70000 bytes is more than a UDP datagram can carry: EMSGSIZE comes back through onError.
    assert.equal(set.send({ from: set.localAddresses[0]!, to: { address: '127.0.0.1', port: peer.address().port }, data: new Uint8Array(70000) }), true);
    while (errors.length === 0) await new Promise((r) => setImmediate(r));
    assert.deepEqual(errors, ['EMSGSIZE']);
  } finally {
    peer.close();
    await set.close();
  }
});

test('sockets get 1 MiB buffers by default (capped by the kernel), the system default with bufferBytes 0', async () => {
  const plain = createSocket('udp4');
  plain.bind(0, '127.0.0.1');
  await once(plain, 'listening');
  const system = plain.getRecvBufferSize();
  plain.close();
  const big = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const small = await UdpSocketSet.bind({ addresses: ['127.0.0.1'], bufferBytes: 0 });
  try {
    const [b] = big.bufferSizes;
    const [s] = small.bufferSizes;
    assert.ok(b && s);
    assert.equal(s.recv, system);
    assert.ok(b.recv >= system && b.send > 0, `recv ${b.recv} vs system ${system}`);
    // Linux: the kernel doubles the request up to 2 * net.core.rmem_max
    let cap = Infinity;
    try {
      const { readFileSync } = await import('node:fs');
      cap = 2 * Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    } catch {
      // not Linux: only the lower bound above is checked
    }
    if (Number.isFinite(cap)) assert.equal(b.recv, Math.max(system, Math.min(2 * 1024 * 1024, cap)));
  } finally {
    await Promise.all([big.close(), small.close()]);
  }
});

test('close() inside a promise job still sends what was handed to send() just before (the last ABORT/close_notify)', { timeout: 5000 }, async () => {
  // dgram sends to an IP literal go out from a process.nextTick; a close queued as a microtask from a
  // promise job runs first and dropped them (docs/interop.md, rtcpeer bug 2).
  const a = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const b = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  try {
    const got = nextMessage(b);
    const from = a.localAddresses[0]!;
    const to = b.localAddresses[0]!;
    let closing: Promise<void> | undefined;
    await Promise.resolve().then(() => {
      assert.equal(a.send({ from, to, data: Uint8Array.of(6) }), true);
      closing = Promise.resolve().then(() => a.close());
    });
    await closing;
    assert.deepEqual((await got).data, Uint8Array.of(6));
    assert.equal(a.send({ from, to, data: Uint8Array.of(7) }), false, 'nothing is sent after close()');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

/** Bytes waiting in the receive queue of the IPv4 UDP socket bound to `port` (Linux /proc/net/udp). */
function rxQueue(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1]?.endsWith(`:${hexPort}`)) return parseInt((f[4] ?? '0:0').split(':')[1] as string, 16);
  }
  return -1;
}

test('a datagram to an IP literal leaves inside send(), not on a later tick (no DNS step)', { skip: !existsSync('/proc/net/udp') && 'needs Linux /proc/net/udp' }, async () => {
  const a = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const b = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  try {
    const to = b.localAddresses[0]!;
    const got = nextMessage(b);
    assert.equal(rxQueue(to.port), 0);
    a.send({ from: a.localAddresses[0]!, to, data: new Uint8Array(100) });
    // still in the same synchronous job: the kernel already queued it at the receiving socket
    assert.ok(rxQueue(to.port) > 0, 'queued at the receiver before the sender yielded');
    assert.equal((await got).data.length, 100);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
