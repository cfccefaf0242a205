// IceServerLinks on loopback only: a plain node:net server stands in for a TURN server over TCP
// (the TURN exchange itself is covered against coturn in test/turn/facade-turn.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createLogger, type LogRecord } from '../core/logger.js';
import type { Datagram } from '../core/types.js';
import type { TurnServerReady } from '../ice/relay.js';
import { parseIceServers } from '../turn/url.js';
import { IceServerLinks, type IceServerLinkOptions } from './ice-servers.js';

function links(servers: Parameters<typeof parseIceServers>[0], extra: Partial<IceServerLinkOptions> = {}): { l: IceServerLinks; logs: LogRecord[] } {
  const logs: LogRecord[] = [];
  const l = new IceServerLinks(parseIceServers(servers).urls, { logger: createLogger((r) => logs.push(r), 'info'), now: () => performance.now(), localAddresses: ['127.0.0.1'], ...extra });
  return { l, logs };
}

/** Registers like the ICE agent does and collects what is delivered. */
function agentSide(l: IceServerLinks, index: number): TurnServerReady[] {
  const got: TurnServerReady[] = [];
  let inside = true;
  l.turn[index]?.connect?.((_now, r) => {
    assert.equal(inside, false, 'never delivered from inside connect()');
    got.push(r);
  });
  inside = false;
  return got;
}

async function until(ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await delay(5);
  assert.ok(ok(), 'condition not met in time');
}

const creds = { username: 'u', credential: 'p' };

test('IceServerLinks: STUN literals at once, names (localhost) when resolved, stuns: refused with a logged reason', async () => {
  const { l, logs } = links([{ urls: ['stun:127.0.0.1:3478', 'stun:localhost:3479', 'stuns:127.0.0.1'] }]);
  assert.deepEqual(l.stun, [{ address: '127.0.0.1', port: 3478 }]);
  await until(() => l.stun.length === 2);
  assert.deepEqual(l.stun[1], { address: '127.0.0.1', port: 3479 });
  assert.ok(logs.some((r) => r.msg.includes('stuns:') && r.fields?.['url'] === 'stuns:127.0.0.1'));
  l.close();
});

test('IceServerLinks: UDP TURN literal passes through; a name is delivered later, an unresolved name as an error with the URL logged', async () => {
  const lookup: IceServerLinkOptions['lookup'] = (name) => (name === 'good.test' ? Promise.resolve([{ address: '127.0.0.1', family: 4 }]) : Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' })));
  const { l, logs } = links([{ urls: ['turn:127.0.0.1:3478', 'turn:good.test:3480', 'turn:bad.test'], ...creds }], { lookup });
  let pumps = 0;
  l.pump = () => pumps++;
  assert.deepEqual(l.turn[0], { ...creds, url: 'turn:127.0.0.1:3478', transport: 'udp', server: { address: '127.0.0.1', port: 3478 } });
  assert.equal(l.turn[1]?.server, undefined);
  const good = agentSide(l, 1);
  const bad = agentSide(l, 2);
  await until(() => good.length === 1 && bad.length === 1);
  assert.deepEqual(good, [{ server: { address: '127.0.0.1', port: 3480 } }]);
  assert.deepEqual(bad, [{ error: 'DNS: bad.test not resolved' }]);
  assert.ok(pumps >= 2, 'the driver is pumped after each delivery');
  assert.ok(logs.some((r) => r.fields?.['url'] === 'turn:bad.test' && /name not found/.test(String(r.fields['reason']))));
  l.close();
});

test('IceServerLinks: TCP TURN opens a stream, routes transmits into it and framed messages out of it, reports its loss, and close() ends it', async () => {
  const conns: Socket[] = [];
  const received: Buffer[] = [];
  const srv = createServer((s) => {
    conns.push(s);
    s.on('data', (d: Buffer) => received.push(d));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  try {
    const { l, logs } = links([{ urls: [`turn:127.0.0.1:${port}?transport=tcp`, `turn:localhost:${port}?transport=tcp`], ...creds }]);
    const inbound: Datagram[] = [];
    l.onMessage = (dg) => inbound.push(dg);
    const got = agentSide(l, 0);
    await until(() => got.length === 1 && conns.length === 2);
    const ready = got[0] as { server: { address: string; port: number }; local: { address: string; port: number } };
    assert.deepEqual(ready.server, { address: '127.0.0.1', port });
    assert.equal(ready.local.address, '127.0.0.1');
    // Our transmit from the stream's local address goes into the stream; others are not ours.
    const msg = Uint8Array.from([0x00, 0x11, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, ...new Array<number>(12).fill(7)]);
    assert.equal(l.send({ from: ready.local, to: ready.server, data: msg }), true);
    assert.equal(l.send({ from: { address: '127.0.0.1', port: 1 }, to: ready.server, data: msg }), undefined);
    await until(() => Buffer.concat(received).length >= msg.length);
    assert.deepEqual([...Buffer.concat(received).subarray(0, msg.length)], [...msg]);
    // A STUN message from the server, split in two writes, comes out whole.
    const server = conns.find((c) => c.remotePort === ready.local.port) as Socket;
    server.write(msg.subarray(0, 7));
    await delay(10);
    server.write(msg.subarray(7));
    await until(() => inbound.length === 1);
    assert.deepEqual(inbound[0]?.from, ready.server);
    assert.deepEqual(inbound[0]?.to, ready.local);
    assert.deepEqual([...(inbound[0]?.data ?? [])], [...msg]);
    // The server drops the connection: the agent hears the loss.
    server.destroy();
    await until(() => got.length === 2);
    assert.match((got[1] as { error: string }).error, /^stream lost: /);
    assert.ok(logs.some((r) => r.msg === 'TURN stream lost'));
    // close() ends the other stream; nothing more is delivered.
    const other = agentSide(l, 1);
    await until(() => other.length === 1);
    l.close();
    await until(() => conns.every((c) => c.destroyed || c.readableEnded));
    await delay(20);
    assert.equal(other.length, 1);
  } finally {
    for (const c of conns) c.destroy();
    await new Promise((r) => srv.close(r));
  }
});

test('IceServerLinks: a TLS server that accepts but never answers fails that server after the connect timeout, with the reason', async () => {
  const conns: Socket[] = [];
  const srv = createServer((s) => void conns.push(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  try {
    const { l, logs } = links([{ urls: [`turns:127.0.0.1:${port}`], ...creds }], { connectTimeoutMs: 150 });
    const got = agentSide(l, 0);
    await until(() => got.length === 1);
    assert.match((got[0] as { error: string }).error, /connect timed out/);
    assert.ok(logs.some((r) => r.msg === 'TURN stream failed' && r.fields?.['server'] === `turns:127.0.0.1:${port}`));
    l.close();
  } finally {
    for (const c of conns) c.destroy();
    await new Promise((r) => srv.close(r));
  }
});
