// The node binding answers a connectivity check right after the read that brought it (a microtask),
// not with the rest of the event-loop turn's reads (the driver's setImmediate): in the setup benchmark
// the peer's first check otherwise waited behind our whole setRemoteDescription(answer) when the
// answer arrived in the same turn, and the peer's DTLS ClientHello waited for our response (issue 6).
// Event-loop order, not time, is asserted: the response must be handed to dgram before a setImmediate
// queued when the check was delivered runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { SeededRng } from '../../../src/core/rng.js';
import { GodotError, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { nodeBinding } from '../../../src/facade/node-binding.js';
import { buildCheck } from '../../../src/ice/binding.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { decodeStun } from '../../../src/stun/index.js';

const attrOf = (sdp: string, name: string): string => (new RegExp(`^a=${name}:(.*)$`, 'm').exec(sdp)?.[1] ?? '').trim();

/** `pc` offers (its host candidate in the offer, bound on loopback); `peer` is bound too. */
async function offerAndBind(pc: WebRTCPeerConnection, peer: dgram.Socket): Promise<{ offer: string; port: number }> {
  let offer = '';
  pc.connect('session_description_created', (_t: string, sdp: string) => void (offer = sdp));
  assert.ok(pc.createDataChannel('x'));
  assert.equal(pc.createOffer(), GodotError.OK);
  for (let i = 0; i < 200 && !/a=candidate:/.test(offer); i++) {
    await new Promise((r) => setImmediate(r));
    pc.poll();
  }
  const port = Number(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/.exec(offer)?.[1]);
  assert.ok(port > 0, `the offer carries the host candidate: ${offer}`);
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
  return { offer, port };
}

test('a connectivity check is answered before the turn goes on to setImmediate work', async () => {
  const pc = new WebRTCPeerConnection({ env: nodeBinding({ addresses: ['127.0.0.1'] }) });
  const peer = dgram.createSocket('udp4');
  const order: string[] = [];
  const send = dgram.Socket.prototype.send;
  const emit = dgram.Socket.prototype.emit;
  try {
    const { offer, port } = await offerAndBind(pc, peer);
    const response = new Promise<Uint8Array>((resolve) => peer.once('message', (m: Buffer) => resolve(new Uint8Array(m))));
    // Record, for the pc's socket only: the check delivered (and a setImmediate queued right then),
    // and the response handed to dgram.
    dgram.Socket.prototype.emit = function (this: dgram.Socket, ev: string, ...args: unknown[]) {
      if (ev === 'message' && this !== peer) {
        order.push('check delivered');
        setImmediate(() => order.push('setImmediate'));
      }
      return (emit as (...a: unknown[]) => boolean).call(this, ev, ...args);
    } as typeof emit;
    dgram.Socket.prototype.send = function (this: dgram.Socket, ...args: unknown[]) {
      if (this !== peer) order.push('response sent');
      return (send as (...a: unknown[]) => void).apply(this, args);
    } as typeof send;
    const check = buildCheck(
      { localUfrag: 'peer', remoteUfrag: attrOf(offer, 'ice-ufrag'), remotePwd: attrOf(offer, 'ice-pwd'), priority: 1000, controlling: false, tieBreaker: 1n, useCandidate: false },
      new SeededRng(1),
      nodeCrypto,
    );
    peer.send(check.bytes, port, '127.0.0.1');
    const res = decodeStun(await response);
    assert.equal(res.cls, 'success', 'the early check is answered (RFC 8838 §11)');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order.slice(0, 3), ['check delivered', 'response sent', 'setImmediate']);
  } finally {
    dgram.Socket.prototype.send = send;
    dgram.Socket.prototype.emit = emit;
    pc.close();
    peer.close();
  }
});

test('other STUN (a TURN Data indication) keeps the read batching: no pump before setImmediate work', async () => {
  const pc = new WebRTCPeerConnection({ env: nodeBinding({ addresses: ['127.0.0.1'] }) });
  const peer = dgram.createSocket('udp4');
  const order: string[] = [];
  const emit = dgram.Socket.prototype.emit;
  try {
    const { port } = await offerAndBind(pc, peer);
    pc.poll();
    pc.setWakeCallback(() => order.push('pumped'));
    let arrived: () => void = () => {};
    const delivered = new Promise<void>((r) => (arrived = r));
    dgram.Socket.prototype.emit = function (this: dgram.Socket, ev: string, ...args: unknown[]) {
      if (ev === 'message' && this !== peer) {
        order.push('delivered');
        setImmediate(() => order.push('setImmediate'));
        arrived();
      }
      return (emit as (...a: unknown[]) => boolean).call(this, ev, ...args);
    } as typeof emit;
    // A Data indication (type 0x0017) with a valid header and no attributes: dropped by the stack.
    const indication = new Uint8Array(20);
    indication.set([0x00, 0x17, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]);
    peer.send(indication, port, '127.0.0.1');
    await delivered;
    await new Promise((r) => setImmediate(r)); // queued after the two of the delivery
    assert.deepEqual(order.slice(0, 3), ['delivered', 'setImmediate', 'pumped']);
  } finally {
    dgram.Socket.prototype.emit = emit;
    pc.setWakeCallback(null);
    pc.close();
    peer.close();
  }
});
