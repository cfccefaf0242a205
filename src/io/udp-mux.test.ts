import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Datagram } from '../core/types.js';
import { StunMethod, attr, encodeStun, stunRequest } from '../stun/index.js';
import { openUdpHandles } from '../../test/io/handles.js';
import { UdpMux, type MuxEndpoint } from './udp-mux.js';
import { UdpSocketSet } from './udp.js';

const next = (t: { onMessage: ((dg: Datagram) => void) | undefined }): Promise<Datagram> => new Promise((resolve) => (t.onMessage = resolve));
const check = (username: string): Uint8Array => encodeStun(stunRequest(StunMethod.Binding, new Uint8Array(12).fill(3), [attr('username', username)]), { fingerprint: true });

test('connections of one mux share a socket; datagrams reach them by ufrag, then by address; the last close releases the socket', async () => {
  const mux = new UdpMux();
  const peers = await Promise.all([0, 1].map(() => UdpSocketSet.bind({ addresses: ['127.0.0.1'] })));
  const eps: MuxEndpoint[] = [];
  try {
    eps.push(await mux.open(['127.0.0.1']), await mux.open(['127.0.0.1']));
    const [a, b] = eps as [MuxEndpoint, MuxEndpoint];
    const [pa, pb] = peers as [UdpSocketSet, UdpSocketSet];
    assert.deepEqual(a.localAddresses, b.localAddresses, 'one shared port');
    assert.deepEqual(mux.localAddresses, a.localAddresses);
    a.setUfrag('ua');
    b.setUfrag('ub');
    const shared = a.localAddresses[0]!;
    // The peer of b speaks first (an ICE check naming ub), then DTLS from the same address.
    const gotB = next(b);
    pb.send({ from: pb.localAddresses[0]!, to: shared, data: check('ub:peer') });
    assert.deepEqual((await gotB).from, pb.localAddresses[0]);
    const dtlsB = next(b);
    pb.send({ from: pb.localAddresses[0]!, to: shared, data: Uint8Array.of(23, 254, 253, 9) });
    assert.deepEqual([...(await dtlsB).data], [23, 254, 253, 9]);
    // a speaks first: its send claims the peer's address, the answer comes back to a.
    const atPeer = next(pa);
    assert.equal(a.send({ from: shared, to: pa.localAddresses[0]!, data: Uint8Array.of(22, 254, 253, 1) }), true);
    assert.deepEqual((await atPeer).from, shared);
    const gotA = next(a);
    pa.send({ from: pa.localAddresses[0]!, to: shared, data: Uint8Array.of(22, 254, 253, 2) });
    assert.deepEqual([...(await gotA).data], [22, 254, 253, 2]);
    assert.deepEqual({ ...mux.stats }, { byAddress: 2, byUfrag: 1, byTransaction: 0, dropped: 0, conflicts: 0 });

    await a.close();
    assert.equal(a.send({ from: shared, to: pa.localAddresses[0]!, data: Uint8Array.of(1) }), false, 'closed');
    let leaked = false;
    b.onMessage = () => (leaked = true);
    const dropped = new Promise<void>((resolve) => {
      const t = setInterval(() => mux.stats.dropped > 0 && (clearInterval(t), resolve()), 2);
    });
    pa.send({ from: pa.localAddresses[0]!, to: shared, data: Uint8Array.of(22, 254, 253, 3) });
    await dropped;
    assert.equal(leaked, false, "a's address is not routed to b after a closed");
    assert.deepEqual(mux.localAddresses, [shared], 'b still holds the socket');
  } finally {
    await Promise.all([...eps.map((e) => e.close()), ...peers.map((p) => p.close())]);
  }
  assert.deepEqual(mux.localAddresses, []);
  assert.equal(await openUdpHandles(), 0, 'the shared socket closed with its last connection');
});

test('a fixed port is bound again after the last connection closed; bind failures reject open()', async () => {
  const probe = await UdpSocketSet.bind({ addresses: ['127.0.0.1'] });
  const port = probe.localAddresses[0]!.port;
  await probe.close();
  const mux = new UdpMux({ port });
  const first = await mux.open(['127.0.0.1']);
  assert.equal(first.localAddresses[0]!.port, port);
  const closing = first.close();
  const second = await mux.open(['127.0.0.1']); // waits for the close before binding the same port
  await closing;
  assert.equal(second.localAddresses[0]!.port, port);
  const twice = await mux.open(['127.0.0.1', '127.0.0.1']);
  assert.deepEqual(twice.localAddresses, second.localAddresses, 'an address listed twice is one socket');
  await twice.close();
  const taken = new UdpMux({ port });
  await assert.rejects(taken.open(['127.0.0.1']), /EADDRINUSE/);
  assert.deepEqual(taken.localAddresses, []);
  await second.close();
  assert.equal(await openUdpHandles(), 0);
});
