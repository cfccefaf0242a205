// A tiny UDP tool for the namespace lab, in plain JavaScript so it starts fast inside a namespace
// (`node test/root/lab-udp.mjs ...`; no tsx):
//
//   server PORT                          echo every datagram; answer `whoami` with the sender's addr:port
//   client HOST PORT COUNT INTERVAL_MS   send COUNT numbered probes; print {sent, received, lossPct, rttMs, outOfOrder}
//                                        (ends when all replies are in, or 500 ms after the last send)
//   whoami HOST PORT [TIMEOUT_MS]        print {seenAs, local}: the source the server saw (behind NAT: the mapping)
//
// Output is one JSON line on stdout; the server prints {"listening":PORT} once bound.
import { createSocket } from 'node:dgram';

const [mode, ...args] = process.argv.slice(2);

function server(port) {
  const s = createSocket('udp4');
  s.on('message', (msg, rinfo) => {
    const reply = msg.toString() === 'whoami' ? Buffer.from(`${rinfo.address}:${rinfo.port}`) : msg;
    s.send(reply, rinfo.port, rinfo.address);
  });
  s.bind(port, () => console.log(JSON.stringify({ listening: port })));
  process.on('SIGTERM', () => s.close(() => process.exit(0)));
}

function client(host, port, count, intervalMs) {
  const s = createSocket('udp4');
  const sentAt = new Map();
  const rtts = [];
  let lastSeq = -1;
  let outOfOrder = 0;
  let seq = 0;
  let settle;
  const done = () => {
    clearTimeout(settle);
    const received = rtts.length;
    const r = (x) => Math.round(x * 100) / 100;
    const avg = received ? rtts.reduce((a, b) => a + b, 0) / received : 0;
    const rttMs = { min: r(received ? Math.min(...rtts) : 0), avg: r(avg), max: r(received ? Math.max(...rtts) : 0) };
    console.log(JSON.stringify({ sent: count, received, lossPct: r((100 * (count - received)) / count), rttMs, outOfOrder }));
    s.close();
  };
  s.on('message', (msg) => {
    if (msg.length < 4) return;
    const n = msg.readUInt32BE(0);
    const t = sentAt.get(n);
    if (t === undefined) return;
    sentAt.delete(n);
    rtts.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (n < lastSeq) outOfOrder++;
    lastSeq = Math.max(lastSeq, n);
    if (seq === count && sentAt.size === 0) done();
  });
  const tick = () => {
    const b = Buffer.alloc(32);
    b.writeUInt32BE(seq, 0);
    sentAt.set(seq, process.hrtime.bigint());
    s.send(b, port, host);
    seq++;
    if (seq < count) setTimeout(tick, intervalMs);
    else settle = setTimeout(done, 500);
  };
  s.bind(0, tick);
}

function whoami(host, port, timeoutMs) {
  const s = createSocket('udp4');
  const timer = setTimeout(() => {
    console.log(JSON.stringify({ error: 'no reply' }));
    s.close();
  }, timeoutMs);
  s.on('message', (msg) => {
    clearTimeout(timer);
    console.log(JSON.stringify({ seenAs: msg.toString(), local: s.address().port }));
    s.close();
  });
  s.bind(0, () => s.send('whoami', port, host));
}

const num = (i, dflt) => (args[i] === undefined ? dflt : Number(args[i]));
if (mode === 'server') server(num(0));
else if (mode === 'client') client(args[0], num(1), num(2), num(3, 1));
else if (mode === 'whoami') whoami(args[0], num(1), num(2, 1000));
else {
  console.error('usage: lab-udp.mjs server PORT | client HOST PORT COUNT INTERVAL_MS | whoami HOST PORT [TIMEOUT_MS]');
  process.exit(2);
}
