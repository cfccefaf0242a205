#!/usr/bin/env node
// npm start: two rtcpeer peers in two processes on loopback connect through the Godot-style facade
// and report connect time, round-trip time and throughput, then exit cleanly.
//
//   node examples/loopback-demo.mjs            # parent: offers, measures, prints
//   node examples/loopback-demo.mjs answer     # child (spawned by the parent): answers and echoes
//
// Signaling is JSON lines over the child's stdin/stdout. Only 127.0.0.1 is used.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';
import { TextDecoder, TextEncoder } from 'node:util';
import { WebRTCDataChannel, createPeerConnection, nodeBinding, consoleLogger } from '../dist/index.js';

const BULK_BYTES = Number(process.env.DEMO_BYTES ?? 32 * 1024 * 1024);
const CHUNK = 16 * 1024;
const PINGS = 200;
const env = nodeBinding({ addresses: ['127.0.0.1'] });
const logger = consoleLogger('warn');

/** Runs fn on every turn of the event loop until it returns true (or the deadline passes). */
function loop(fn, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + timeoutMs;
    const tick = () => {
      try {
        if (fn()) return resolve();
        if (Date.now() > end) return reject(new Error(`timed out: ${what}`));
        setImmediate(tick);
      } catch (e) {
        reject(e);
      }
    };
    tick();
  });
}

function wireSignaling(pc, input, output) {
  const send = (m) => output.write(`${JSON.stringify(m)}\n`);
  pc.connect('session_description_created', (type, sdp) => send({ sdp: { type, sdp } }));
  pc.connect('ice_candidate_created', (media, index, name) => send({ ice: { media, index, name } }));
  const rl = createInterface({ input });
  rl.on('line', (line) => {
    const m = JSON.parse(line);
    if (m.sdp) pc.setRemoteDescription(m.sdp.type, m.sdp.sdp);
    if (m.ice) pc.addIceCandidate(m.ice.media, m.ice.index, m.ice.name);
    if (m.quit) rl.emit('quit');
  });
  return rl;
}

async function answer() {
  const pc = createPeerConnection({ env, logger });
  const ping = pc.createDataChannel('ping', { negotiated: true, id: 1 });
  let bulk;
  let received = 0;
  let quit = false;
  pc.connect('data_channel_received', (ch) => (bulk = ch));
  wireSignaling(pc, process.stdin, process.stdout).on('quit', () => (quit = true));
  await loop(() => {
    pc.poll();
    while (ping.getAvailablePacketCount() > 0) ping.putPacket(ping.getPacket()); // echo
    while (bulk && bulk.getAvailablePacketCount() > 0) {
      received += bulk.getPacket().length;
      if (received === BULK_BYTES) {
        ping.writeMode = WebRTCDataChannel.WRITE_MODE_TEXT;
        ping.putPacket(new TextEncoder().encode(`got ${received}`));
        ping.writeMode = WebRTCDataChannel.WRITE_MODE_BINARY;
      }
    }
    return quit;
  }, 120_000, 'quit from the parent');
  pc.close();
  process.stdin.destroy();
}

async function offer() {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [self, 'answer'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const childExit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const pc = createPeerConnection({ env, logger });
  try {
    wireSignaling(pc, child.stdout, child.stdin);
    const ping = pc.createDataChannel('ping', { negotiated: true, id: 1 });
    const bulk = pc.createDataChannel('bulk', { ordered: true });
    const t0 = performance.now();
    pc.createOffer();
    await loop(() => (pc.poll(), ping.getReadyState() === WebRTCDataChannel.STATE_OPEN && bulk.getReadyState() === WebRTCDataChannel.STATE_OPEN), 15_000, 'channels open');
    const connectMs = performance.now() - t0;

    const rtts = [];
    for (let i = 0; i < PINGS; i++) {
      const sent = performance.now();
      ping.putPacket(Uint8Array.of(i & 255));
      await loop(() => ping.getAvailablePacketCount() > 0, 5000, 'pong');
      ping.getPacket();
      rtts.push(performance.now() - sent);
    }
    rtts.sort((a, b) => a - b);

    const chunk = new Uint8Array(CHUNK);
    let queued = 0;
    let done = false;
    const b0 = performance.now();
    await loop(() => {
      pc.poll();
      while (queued < BULK_BYTES && bulk.getBufferedAmount() < 1024 * 1024) {
        const n = Math.min(CHUNK, BULK_BYTES - queued);
        if (bulk.putPacket(n === CHUNK ? chunk : chunk.subarray(0, n)) !== 0) break;
        queued += n;
      }
      while (ping.getAvailablePacketCount() > 0) done = new TextDecoder().decode(ping.getPacket()) === `got ${BULK_BYTES}` || done;
      return done;
    }, 120_000, 'bulk transfer');
    const bulkMs = performance.now() - b0;

    child.stdin.write(`${JSON.stringify({ quit: true })}\n`);
    const code = await Promise.race([childExit, new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
    pc.close();
    const mib = BULK_BYTES / (1024 * 1024);
    console.log(`rtcpeer loopback demo (two processes, 127.0.0.1, ICE + DTLS 1.2 + SCTP + DCEP)`);
    console.log(`  connect time : ${connectMs.toFixed(1)} ms (createOffer -> both channels open)`);
    console.log(`  round trip   : median ${rtts[rtts.length >> 1].toFixed(3)} ms, p95 ${rtts[Math.floor(rtts.length * 0.95)].toFixed(3)} ms over ${PINGS} pings`);
    console.log(`  throughput   : ${mib.toFixed(0)} MiB in ${(bulkMs / 1000).toFixed(2)} s = ${((mib * 8) / (bulkMs / 1000)).toFixed(1)} Mbit/s (reliable ordered, ${CHUNK}-byte messages)`);
    console.log(`  child exit   : ${code}`);
    if (code !== 0) process.exitCode = 1;
  } catch (e) {
    console.error(`demo failed: ${e.message}`);
    process.exitCode = 1;
    pc.close();
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

if (process.argv[2] === 'answer') await answer();
else await offer();
