/**
 * A passive mDNS listener for lab tests (run inside a namespace by test/root/mdns-wire.ts): joins
 * 224.0.0.251 on port 5353 (shared, SO_REUSEADDR, as every mDNS socket on the host) and prints one
 * JSON line per datagram: `{ ms, src, response, names, addresses }` (names asked in a query, names
 * answered in a response, A/AAAA addresses answered). It sends nothing. `{ ready: true }` once joined.
 */
import { createSocket } from 'node:dgram';
import { decodeDns } from '../../src/mdns/message.js';

const t0 = performance.now();
const out = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const socket = createSocket({ type: 'udp4', reuseAddr: true });
socket.on('message', (msg, rinfo) => {
  const ms = Math.round(performance.now() - t0);
  try {
    const m = decodeDns(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
    const records = [...m.answers, ...m.additionals];
    const names = m.response ? records.map((r) => r.name) : m.questions.map((q) => q.name);
    const addresses = records.flatMap((r) => (r.address !== undefined ? [r.address] : []));
    out({ ms, src: rinfo.address, response: m.response, names: [...new Set(names)], addresses: [...new Set(addresses)] });
  } catch (e) {
    out({ ms, src: rinfo.address, malformed: String(e) });
  }
});
socket.bind(5353, () => {
  socket.addMembership('224.0.0.251');
  out({ ready: true });
});
process.stdin.on('end', () => socket.close()).resume();
