// Peer-connection creation and offer/answer CPU, both peers in one process on loopback (dist/):
//   npm run build && node bench/micro/negotiate.mjs [--count N] [--open] [--json]
// Each round: A = new WebRTCPeerConnection + initialize + createDataChannel + createOffer (offer read
// in poll()), B = new + initialize + setRemoteDescription(offer) (answer read in poll()), then
// A.setRemoteDescription(answer); trickled candidates are handed over as they come. Wall time of
// each synchronous step, for the first round of the process (cold: lazy initialisation such as the
// certificate) and the median of the others (warm). `--open` also waits for the channel to be open on
// both sides (the whole setup in one process) and reports that time. CPU per round (process.cpuUsage,
// every thread: GC included) and how many candidates the offer and answer carried are reported too.
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import { json } from './timing.mjs';

const { WebRTCPeerConnection, WebRTCDataChannel, nodeBinding } = await import(new URL('../../dist/index.js', import.meta.url).href);

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const COUNT = arg('--count', 200);
const OPEN = process.argv.includes('--open');
const env = nodeBinding({ addresses: ['127.0.0.1'] });

const candidatesIn = (sdp) => sdp.split('\n').filter((l) => l.startsWith('a=candidate:')).length;

/** Polls a peer (and its channels) whenever its wake callback fires, until stopped. */
function autoPoll(pc, channels) {
  let scheduled = false;
  let stopped = false;
  const tick = () => {
    scheduled = false;
    if (stopped) return;
    pc.poll();
    for (const c of channels) c.poll();
  };
  pc.setWakeCallback(() => {
    if (scheduled) return;
    scheduled = true;
    globalThis.queueMicrotask(tick);
  });
  return {
    tick,
    stop: () => {
      stopped = true;
      pc.setWakeCallback(null);
    },
  };
}

const waitFor = (cond) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const check = () => {
    if (cond()) return resolve(performance.now());
    if (performance.now() - t0 > 5000) return reject(new Error('timed out (5 s)'));
    setImmediate(check);
  };
  check();
});

async function round() {
  const t = [performance.now()];
  const mark = () => t.push(performance.now());
  const a = new WebRTCPeerConnection({ env });
  a.initialize({ iceServers: [] });
  mark();
  const dcA = a.createDataChannel('bench');
  mark();
  const aChannels = [dcA];
  const bChannels = [];
  let offer;
  let answer;
  let b;
  a.connect('session_description_created', (type, sdp) => void (offer = sdp));
  a.connect('ice_candidate_created', (mid, i, c) => b?.addIceCandidate(mid, i, c));
  a.createOffer();
  a.poll();
  mark();
  b = new WebRTCPeerConnection({ env });
  b.initialize({ iceServers: [] });
  b.connect('session_description_created', (type, sdp) => void (answer = sdp));
  b.connect('ice_candidate_created', (mid, i, c) => a.addIceCandidate(mid, i, c));
  b.connect('data_channel_received', (dc) => bChannels.push(dc));
  mark();
  // An implementation may hold the description until its sockets are bound: wait for it.
  const polA = autoPoll(a, aChannels);
  const polB = autoPoll(b, bChannels);
  if (offer === undefined) await waitFor(() => (a.poll(), offer !== undefined));
  const tOffer = performance.now();
  b.setRemoteDescription('offer', offer);
  b.poll();
  mark();
  if (answer === undefined) await waitFor(() => (b.poll(), answer !== undefined));
  const tAnswer = performance.now();
  a.setRemoteDescription('answer', answer);
  a.poll();
  mark();
  let tOpen = NaN;
  if (OPEN) {
    const OPEN_STATE = WebRTCDataChannel.STATE_OPEN;
    tOpen = (await waitFor(() => {
      polA.tick();
      polB.tick();
      return dcA.getReadyState() === OPEN_STATE && bChannels[0]?.getReadyState() === OPEN_STATE;
    })) - t[0];
  }
  polA.stop();
  polB.stop();
  a.close();
  b.close();
  const d = (i) => t[i + 1] - t[i];
  return {
    create: d(0),
    createDataChannel: d(1),
    createOffer: d(2),
    createB: d(3),
    answer: t[5] - tOffer,
    applyAnswer: t[6] - tAnswer,
    offerWait: tOffer - t[4],
    answerWait: tAnswer - t[5],
    open: tOpen,
    offerCandidates: candidatesIn(offer),
    answerCandidates: candidatesIn(answer),
  };
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const cold = await round();
const warm = [];
const c0 = process.cpuUsage();
const w0 = performance.now();
for (let i = 0; i < COUNT; i++) {
  warm.push(await round());
  await new Promise((r) => setImmediate(r)); // let the closed sockets go
}
const cpu = process.cpuUsage(c0);
const wall = performance.now() - w0;
const keys = Object.keys(cold);
const result = {
  count: COUNT,
  cold,
  warm: Object.fromEntries(keys.map((k) => [k, median(warm.map((r) => r[k]))])),
  cpuMsPerRound: (cpu.user + cpu.system) / 1000 / COUNT,
  wallMsPerRound: wall / COUNT,
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`\nNegotiation, both peers in one process (Node ${process.version}), ${COUNT} warm rounds${OPEN ? ', until open' : ''}`);
  console.log(`  ${'step (ms)'.padEnd(22)} ${'cold'.padStart(9)} ${'warm median'.padStart(12)}`);
  for (const k of keys) console.log(`  ${k.padEnd(22)} ${cold[k].toFixed(3).padStart(9)} ${result.warm[k].toFixed(3).padStart(12)}`);
  console.log(`  CPU per round ${result.cpuMsPerRound.toFixed(3)} ms, wall per round ${result.wallMsPerRound.toFixed(3)} ms`);
}
