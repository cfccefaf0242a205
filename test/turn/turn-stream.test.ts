import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as netServer, type Server, type Socket } from 'node:net';
import { createServer as tlsServer } from 'node:tls';
import { SeededRng } from '../../src/core/rng.js';
import type { Addr } from '../../src/core/types.js';
import { Driver } from '../../src/io/driver.js';
import { nodeCrypto } from '../../src/io/node-crypto.js';
import { TurnStream, TurnStreamError } from '../../src/io/turn-stream.js';
import { TurnClient } from '../../src/turn/client.js';
import type { TurnEvent } from '../../src/turn/options.js';
import { StreamDeframer } from '../../src/turn/stream-framing.js';
import { FakeTurnServer } from './fake-turn-server.js';
import { makeSelfSigned, opensslSkipReason } from './self-signed.js';

/** Serves the TURN model over a loopback stream: whole messages in, replies written back. */
function serveTurn(socket: Socket, relayed: Addr): FakeTurnServer {
  const server = new FakeTurnServer({ address: socket.localAddress ?? '', port: socket.localPort ?? 0 }, relayed, 'lab', 'labpass', true);
  const deframer = new StreamDeframer('turn');
  const from = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
  socket.on('data', (chunk: Buffer) => {
    for (const data of deframer.push(new Uint8Array(chunk))) for (const r of server.handle(performance.now(), { from, to: server.address, data })) socket.write(r.data);
  });
  socket.on('error', () => undefined);
  return server;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

async function allocateOver(stream: TurnStream, transport: 'tcp' | 'tls'): Promise<TurnEvent> {
  const turn = new TurnClient({ server: stream.server, local: stream.local, username: 'lab', password: 'labpass', transport, rng: new SeededRng(3), crypto: nodeCrypto });
  return new Promise((resolve) => {
    const driver = new Driver(turn, stream, { onEvent: (ev) => (ev.type === 'allocated' || ev.type === 'failed' ? resolve(ev) : undefined) });
    turn.allocate(performance.now());
    driver.pump();
  });
}

test('TURN over TCP on loopback: Allocate with 401 challenge through the stream shell', async () => {
  const relayed = { address: '198.18.3.2', port: 49152 };
  const srv = netServer((s) => serveTurn(s, relayed));
  const port = await listen(srv);
  const stream = await TurnStream.connect({ transport: 'tcp', server: { address: '127.0.0.1', port } });
  try {
    const ev = await allocateOver(stream, 'tcp');
    assert.deepEqual(ev.type === 'allocated' ? ev.relayed : ev, relayed);
  } finally {
    stream.close();
    srv.close();
  }
});

test('TURN over TLS: a self-signed certificate is trusted only when given, and the name is checked', { skip: opensslSkipReason() }, async () => {
  const cert = makeSelfSigned(['turn.test'], ['127.0.0.1']);
  const relayed = { address: '198.18.3.2', port: 49153 };
  const srv = tlsServer({ cert: cert.cert, key: cert.key }, (s) => serveTurn(s, relayed));
  try {
    const port = await listen(srv);
    const server = { address: '127.0.0.1', port };
    const stream = await TurnStream.connect({ transport: 'tls', server, servername: 'turn.test', ca: cert.cert });
    const ev = await allocateOver(stream, 'tls');
    stream.close();
    assert.deepEqual(ev.type === 'allocated' ? ev.relayed : ev, relayed);
    const byIp = await TurnStream.connect({ transport: 'tls', server, ca: cert.cert });
    byIp.close();
    await assert.rejects(TurnStream.connect({ transport: 'tls', server, servername: 'turn.test' }), (e: unknown) => e instanceof TurnStreamError && /not trusted.*ca/.test(e.message));
    await assert.rejects(TurnStream.connect({ transport: 'tls', server, servername: 'other.test', ca: cert.cert }), (e: unknown) => e instanceof TurnStreamError && /does not match the server name/.test(e.message) && e.message.includes('turns:other.test:'));
  } finally {
    srv.close();
    cert.cleanup();
  }
});

test('unreachable TURN server over TCP: a readable error naming the server, no hang', async () => {
  const srv = netServer();
  const port = await listen(srv);
  srv.close(); // the port is now closed
  await assert.rejects(TurnStream.connect({ transport: 'tcp', server: { address: '127.0.0.1', port } }), (e: unknown) => e instanceof TurnStreamError && e.message === `TURN server turn:127.0.0.1:${port}?transport=tcp: connection refused (nothing listens for TURN over TCP there)`);
});
