// BENCH_TIMELINE=<n>: the rtcpeer adapter prints a timeline of the n-th peer connection each peer
// process creates (both processes use the same shared monotonic clock, process.hrtime): the adapter's
// own steps (create, offer/answer, candidates, signals in, open), every record of rtcpeer's logger at
// all levels, and every UDP datagram sent or received while that connection is the newest (STUN
// method, DTLS content type and handshake type, length). Lines go to stderr, at exit, as
//   T <ms> <pid> <what>
// Merge both processes with: node bench/run.mjs --only setup --stacks rtcpeer 2>&1 | grep '^T ' | sort -k2 -n
// A diagnostic for where setup time goes (docs/performance.md); off unless the variable is set.
import dgram from 'node:dgram';

const wanted = Number(process.env.BENCH_TIMELINE ?? 0);
let created = 0;
let mark = () => {};

// Lines are kept in memory and written when the process exits: a write to a pipe is a synchronous
// system call on Linux (50 µs or more here), and writing each line at once made the traced connection
// take 19 ms against a 9.5 ms median of the untraced ones (12 to 13 ms with the lines kept).
const lines = [];
const line = (what) => lines.push(`T ${(Number(process.hrtime.bigint()) / 1e6).toFixed(3)} ${process.pid} ${what}\n`);
if (wanted > 0) process.on('exit', () => process.stderr.write(lines.join('')));

/** What a datagram is: STUN message type, DTLS content type (and handshake type), else its first byte. */
function kind(b) {
  const x = b[0];
  if (x < 4) return `stun ${((b[0] << 8) | b[1]).toString(16)}`;
  if (x >= 20 && x <= 63) return `dtls ct${x}${x === 22 ? ` hs${b[13]}` : ''}`;
  return `?${x}`;
}

if (wanted > 0) {
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function (msg, ...rest) {
    mark(`  send ${kind(msg)} len ${msg.length}`);
    return send.call(this, msg, ...rest);
  };
  const emit = dgram.Socket.prototype.emit;
  dgram.Socket.prototype.emit = function (ev, msg, ...rest) {
    if (ev === 'message') mark(`  recv ${kind(msg)} len ${msg.length}`);
    return emit.call(this, ev, msg, ...rest);
  };
}

/** One step of the traced connection (a no-op for the others). */
export const step = (what) => mark(what);

/** Call when a peer connection is created: a logger for it when it is the traced one, else undefined. */
export function traceNext() {
  created++;
  mark = () => {};
  if (wanted === 0 || created !== wanted) return undefined;
  mark = line;
  line('create');
  const logger = { enabled: () => true, log: (_level, msg, fields) => line(`${msg} ${JSON.stringify(fields ?? {}).slice(0, 120)}`), child: () => logger };
  return logger;
}
