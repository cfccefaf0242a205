// Child process for libjuice.test.ts: a node-datachannel (libdatachannel/libjuice) PeerConnection
// bound to 127.0.0.1. JSON lines on stdout: {offer} or {answer}, {candidate}, {ice}. On stdin:
// {answer} or {offer}, {candidate, mid}. Argument 'answerer': wait for an offer instead of making one. The parent kills this process by PID when done (libdatachannel's threads can
// keep a process alive for seconds after close()).
import nodeDataChannel from 'node-datachannel';
import { createInterface } from 'node:readline';

const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const pc = new nodeDataChannel.PeerConnection('ndc', { iceServers: [], bindAddress: '127.0.0.1', enableIceUdpMux: false });
pc.onLocalDescription((sdp, type) => out({ [String(type).toLowerCase()]: sdp }));
pc.onLocalCandidate((candidate) => out({ candidate }));
pc.onIceStateChange((ice) => out({ ice }));
if (process.argv[2] !== 'answerer') pc.createDataChannel('probe');
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.answer) pc.setRemoteDescription(m.answer, 'answer');
  if (m.offer) pc.setRemoteDescription(m.offer, 'offer');
  if (m.candidate) pc.addRemoteCandidate(m.candidate, m.mid);
});
