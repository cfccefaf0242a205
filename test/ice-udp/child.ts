/**
 * The second process of the two-process ICE test: a controlled agent on 127.0.0.1 that talks JSON
 * lines over stdio (first line out: our SignalMessage; first line in: the parent's; then `{"state"}`
 * lines out), and echoes every datagram it receives back over the selected pair with its second
 * byte incremented. Exits on `quit` or when stdin closes.
 */
import { createInterface } from 'node:readline';
import { systemClock } from '../../src/io/clock.js';
import type { SignalMessage } from './udp-peer.js';
import { applyRemote, describeLocal, startUdpPeer } from './udp-peer.js';

const peer = await startUdpPeer(false);
peer.onEvent((ev) => {
  if (ev.type === 'state') process.stdout.write(`${JSON.stringify({ state: ev.state })}\n`);
  if (ev.type !== 'data') return;
  const reply = ev.data.slice();
  reply[1] = ((reply[1] as number) + 1) & 0xff;
  // Called from inside the driver's event drain: the next pump sends it; pump now to be prompt.
  queueMicrotask(() => {
    peer.agent.send(systemClock.now(), reply);
    peer.driver.pump();
  });
});
await peer.waitFor((e) => e.type === 'gathering-complete', 5000, 'gathering');
process.stdout.write(`${JSON.stringify(describeLocal(peer))}\n`);
const rl = createInterface({ input: process.stdin });
const stop = (): void => void peer.close().then(() => process.exit(0));
rl.on('close', stop);
rl.on('line', (line) => {
  if (line === 'quit') stop();
  else applyRemote(peer, JSON.parse(line) as SignalMessage);
});
