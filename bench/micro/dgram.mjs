// UDP datagram rate between two Node processes on 127.0.0.1:   node bench/micro/dgram.mjs [--json]
// The parent sends for `SECONDS` per case; a forked receiver counts what arrives. Cases: datagram
// size x sends per event-loop turn (1, 8, 32, then setImmediate), unconnected (address per send)
// vs connected sockets. Back-pressure: the sender yields while libuv's send queue is not empty.
import { fork } from 'node:child_process';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';
import { json } from './timing.mjs';

const SECONDS = Number(process.env.DGRAM_SECONDS ?? 1.5);

if (process.argv[2] === 'recv') {
  const sock = dgram.createSocket('udp4');
  let n = 0;
  let bytes = 0;
  sock.on('message', (m) => {
    n++;
    bytes += m.length;
  });
  sock.bind(0, '127.0.0.1', () => process.send({ port: sock.address().port, rcvbuf: sock.getRecvBufferSize() }));
  process.on('message', (m) => {
    if (m === 'reset') n = bytes = 0;
    if (m === 'report') process.send({ n, bytes });
    if (m === 'exit') process.exit(0);
  });
} else {
  const child = fork(new URL(import.meta.url).pathname, ['recv']);
  const ask = (m) => new Promise((r) => {
    child.once('message', r);
    if (m) child.send(m);
  });
  const { port, rcvbuf } = await ask();
  const rows = [];
  for (const connected of [false, true]) {
    const sock = dgram.createSocket('udp4');
    await new Promise((r) => sock.bind(0, '127.0.0.1', r));
    if (connected) await new Promise((r) => sock.connect(port, '127.0.0.1', r));
    for (const size of [1200, 4096, 16384, 65000]) {
      for (const burst of [1, 8, 32]) {
        const buf = Buffer.alloc(size, 7);
        child.send('reset');
        await new Promise((r) => setTimeout(r, 50));
        let sent = 0;
        const t0 = performance.now();
        while (performance.now() - t0 < SECONDS * 1000) {
          for (let i = 0; i < burst; i++) {
            if (connected) sock.send(buf);
            else sock.send(buf, port, '127.0.0.1');
          }
          sent += burst;
          do await new Promise((r) => setImmediate(r));
          while (sock.getSendQueueCount() > 0);
        }
        const secs = (performance.now() - t0) / 1000;
        await new Promise((r) => setTimeout(r, 100));
        const { n } = await ask('report');
        rows.push({ size, burst, connected, sentPerSec: sent / secs, recvPerSec: n / secs, recvMBps: (n * size) / secs / 1e6, lostPct: (100 * (sent - n)) / sent });
      }
    }
    sock.close();
  }
  child.send('exit');
  if (json) console.log(JSON.stringify({ rcvbuf, rows }));
  else {
    console.log(`\nUDP 127.0.0.1, two processes, ${SECONDS} s per case (Node ${process.version}, receiver SO_RCVBUF ${rcvbuf} B)`);
    console.log('  size   sends/turn  socket        sent/s      recv/s   recv MB/s   lost');
    for (const r of rows) {
      console.log(`  ${String(r.size).padStart(5)}  ${String(r.burst).padStart(10)}  ${(r.connected ? 'connected' : 'unconnected').padEnd(11)} ${Math.round(r.sentPerSec).toString().padStart(9)}  ${Math.round(r.recvPerSec).toString().padStart(9)}  ${r.recvMBps.toFixed(1).padStart(9)}  ${r.lostPct.toFixed(1).padStart(5)}%`);
    }
  }
}
