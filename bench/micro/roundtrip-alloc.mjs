// Heap allocated per round trip on the data path, both peers in one process on loopback (dist/):
//   npm run build && node --expose-gc --min-semi-space-size=128 --max-semi-space-size=128 \
//     bench/micro/roundtrip-alloc.mjs [--warmup N] [--count N] [--rounds N]
// A channel between two WebRTCPeerConnections carries 64-byte ping-pongs, each side polled from its
// wake callback (as bench/adapters/rtcpeer.mjs does). After `warmup` round trips (JIT), each round
// collects garbage, runs `count` round trips and reports the heap growth per round trip. With a young
// generation of 128 MiB nothing is collected during a round, so the growth is what the round trips
// allocated (node's own UDP ping-pong included). Also the wall time per round trip.
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';

const { WebRTCPeerConnection, WebRTCDataChannel, nodeBinding } = await import(new URL('../../dist/index.js', import.meta.url).href);

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const WARMUP = arg('--warmup', 6000);
const COUNT = arg('--count', 4000);
const ROUNDS = arg('--rounds', 3);
if (typeof globalThis.gc !== 'function') {
  console.error('run with --expose-gc (and --min-semi-space-size=128 --max-semi-space-size=128)');
  process.exit(2);
}

const env = nodeBinding({ addresses: ['127.0.0.1'] });
const a = new WebRTCPeerConnection({ env });
const b = new WebRTCPeerConnection({ env });
a.initialize({ iceServers: [] });
b.initialize({ iceServers: [] });
const dcA = a.createDataChannel('alloc');
let dcB;
a.connect('session_description_created', (type, sdp) => b.setRemoteDescription(type, sdp));
b.connect('session_description_created', (type, sdp) => a.setRemoteDescription(type, sdp));
a.connect('ice_candidate_created', (mid, index, c) => b.addIceCandidate(mid, index, c));
b.connect('ice_candidate_created', (mid, index, c) => a.addIceCandidate(mid, index, c));
b.connect('data_channel_received', (dc) => (dcB = dc));

let onA = () => {};
let onB = () => {};
/** Polls `pc` and its channel in a microtask after each wake; packets go to `on`. */
function autoPoll(pc, channel, on) {
  let scheduled = false;
  const tick = () => {
    scheduled = false;
    pc.poll();
    const ch = channel();
    if (!ch) return;
    ch.poll();
    while (ch.getAvailablePacketCount() > 0) on(ch.getPacket());
  };
  pc.setWakeCallback(() => {
    if (scheduled) return;
    scheduled = true;
    globalThis.queueMicrotask(tick);
  });
}
autoPoll(a, () => dcA, (p) => onA(p));
autoPoll(b, () => dcB, (p) => onB(p));

a.createOffer();
a.poll();
const OPEN = WebRTCDataChannel.STATE_OPEN;
const t0 = performance.now();
while (!(dcB && dcA.getReadyState() === OPEN && dcB.getReadyState() === OPEN)) {
  if (performance.now() - t0 > 10_000) throw new Error('channel not open after 10 s');
  a.poll();
  b.poll();
  await new Promise((r) => setImmediate(r));
}

const payload = new Uint8Array(64).fill(1);
onB = (p) => dcB.putPacket(p);
const roundTrips = (n) =>
  new Promise((resolve) => {
    let done = 0;
    onA = () => {
      if (++done >= n) resolve();
      else dcA.putPacket(payload);
    };
    dcA.putPacket(payload);
  });

await roundTrips(WARMUP);
for (let r = 0; r < ROUNDS; r++) {
  globalThis.gc();
  const h0 = process.memoryUsage().heapUsed;
  const w0 = performance.now();
  await roundTrips(COUNT);
  const perRt = (process.memoryUsage().heapUsed - h0) / COUNT;
  console.log(`round ${r + 1}: heap growth ${(perRt / 1024).toFixed(2)} KB per round trip, ${(((performance.now() - w0) * 1000) / COUNT).toFixed(1)} µs per round trip`);
}
a.close();
b.close();
process.exit(0);
