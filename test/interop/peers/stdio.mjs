// JSON-lines control protocol shared by the peer drivers (test/interop/README in docs/interop.md).
// stdin:  {"id": 1, "op": "createOffer", ...}       one request per line
// stdout: {"id": 1, "ok": true, ...result}  the reply to request 1 (or {"id":1,"ok":false,"error":"..."});
//         events never carry "id" (a channel id is "sid")
//         {"ev": "candidate", ...}                   unsolicited events (candidates, channels, messages, states)
// Anything else a peer library prints goes to stderr, so stdout stays parseable.
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';

/** The bytes every driver sends for (size, seed): printable ASCII, so text and binary share it. */
export function payload(size, seed) {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761 + 1) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = 33 + (x % 94);
  }
  return out;
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const realLog = console.log.bind(console);
console.log = (...a) => console.error(...a);
console.info = (...a) => console.error(...a);
console.debug = (...a) => console.error(...a);

export function emit(ev) {
  realLog(JSON.stringify(ev));
}

/** Serves requests with `handlers[op](msg)` (sync or async); exits when stdin closes. */
export function serve(handlers, onEnd = () => process.exit(0)) {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    const h = handlers[msg.op];
    Promise.resolve()
      .then(() => (h ? h(msg) : Promise.reject(new Error(`unknown op ${msg.op}`))))
      .then((r) => realLog(JSON.stringify({ id: msg.id, ok: true, ...(r ?? {}) })))
      .catch((e) => realLog(JSON.stringify({ id: msg.id, ok: false, error: String(e?.stack ?? e) })));
  });
  rl.on('close', onEnd);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
