// js-floor: NOT a WebRTC stack. The least work any JavaScript stack built on node:dgram and
// node:crypto does per message: one UDP datagram and one DTLS 1.2-shaped AES-128-GCM record (sealed
// on send, opened on receive: the same node:crypto calls rtcpeer and werift make per record), and
// nothing else: no ICE, no handshake, no SCTP, no reliability. Both sides share a key sent in the
// "offer". It measures the floor under the round-trip workload (`--stacks js-floor`, not in the
// default set); see docs/performance.md. Only `setup` and `rtt` are meaningful: it has no
// back-pressure or retransmission, so the other workloads refuse it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

export const name = 'js-floor';

const WORKLOADS = ['setup', 'rtt'];

export async function load({ workload } = {}) {
  if (workload !== undefined && !WORKLOADS.includes(workload)) return { unavailable: `js-floor: only ${WORKLOADS.join(' and ')} (no reliability)` };
  return { version: `node:crypto + node:dgram, ${process.version}` };
}

const HEADER = 13; // type, version, epoch + 48-bit sequence, length (RFC 6347 §4.1)
const EXPLICIT = 8; // the record's explicit nonce (RFC 5288)
const TAG = 16;

/** One direction's AES-128-GCM state: key, 4-byte salt, sequence number. */
function direction(key, salt) {
  let seq = 0;
  const nonce = Buffer.alloc(12);
  salt.copy(nonce, 0);
  const aad = Buffer.alloc(13);
  return {
    seal(plain) {
      const out = Buffer.allocUnsafe(HEADER + EXPLICIT + plain.length + TAG);
      out[0] = 23;
      out[1] = 0xfe;
      out[2] = 0xfd;
      out.writeUInt16BE(1, 3);
      out.writeUIntBE(++seq, 5, 6);
      out.writeUInt16BE(EXPLICIT + plain.length + TAG, 11);
      out.copy(nonce, 4, 3, 11); // explicit nonce = epoch + sequence
      out.copy(out, HEADER, 3, 11);
      out.copy(aad, 0, 3, 11);
      aad[8] = 23;
      aad[9] = 0xfe;
      aad[10] = 0xfd;
      aad.writeUInt16BE(plain.length, 11);
      const c = createCipheriv('aes-128-gcm', key, nonce);
      c.setAAD(aad);
      const n = c.update(plain).copy(out, HEADER + EXPLICIT);
      c.final();
      c.getAuthTag().copy(out, HEADER + EXPLICIT + n);
      return out;
    },
    open(rec) {
      if (rec.length < HEADER + EXPLICIT + TAG || rec[0] !== 23) return undefined;
      const len = rec.length - HEADER - EXPLICIT - TAG;
      rec.copy(nonce, 4, HEADER, HEADER + EXPLICIT);
      rec.copy(aad, 0, 3, 11);
      aad[8] = 23;
      aad[9] = 0xfe;
      aad[10] = 0xfd;
      aad.writeUInt16BE(len, 11);
      const d = createDecipheriv('aes-128-gcm', key, nonce);
      d.setAAD(aad);
      d.setAuthTag(rec.subarray(rec.length - TAG));
      const plain = d.update(rec.subarray(HEADER + EXPLICIT, rec.length - TAG));
      try {
        d.final();
      } catch {
        return undefined;
      }
      return plain;
    },
  };
}

export function createPeer({ onSignal, onChannel }) {
  const sock = dgram.createSocket('udp4');
  const bound = new Promise((r) => sock.bind(0, '127.0.0.1', r));
  let remotePort = 0;
  let tx;
  let rx;
  let onMessage = () => {};
  let onOpen = () => {};
  const channel = {
    send: (u8) => {
      if (remotePort) sock.send(tx.seal(u8), remotePort, '127.0.0.1');
    },
    bufferedAmount: () => sock.getSendQueueSize(),
    setLowThreshold: () => {},
    onLow: () => {},
    onOpen: (cb) => void (onOpen = cb),
    isOpen: () => remotePort !== 0,
    onMessage: (cb) => void (onMessage = cb),
    close: () => {},
  };
  sock.on('message', (m) => {
    const plain = rx?.open(m);
    if (plain) onMessage(plain);
  });
  // keys[0] protects offerer -> answerer, keys[1] the other way
  const keys = (hex) => [0, 1].map((i) => [Buffer.from(hex.slice(i * 40, i * 40 + 32), 'hex'), Buffer.from(hex.slice(i * 40 + 32, i * 40 + 40), 'hex')]);
  let secret = '';
  return {
    createChannel: () => channel,
    start: () => {
      secret = randomBytes(40).toString('hex');
      void bound.then(() => onSignal({ kind: 'desc', type: 'offer', sdp: JSON.stringify({ port: sock.address().port, secret }) }));
    },
    signal: (msg) => {
      if (msg.kind !== 'desc') return;
      const d = JSON.parse(msg.sdp);
      const [ab, ba] = keys(d.secret ?? secret);
      const [mine, theirs] = msg.type === 'offer' ? [ba, ab] : [ab, ba];
      tx = direction(...mine);
      rx = direction(...theirs);
      remotePort = d.port;
      if (msg.type === 'offer') {
        void bound.then(() => {
          onSignal({ kind: 'desc', type: 'answer', sdp: JSON.stringify({ port: sock.address().port }) });
          onChannel(channel);
        });
      } else onOpen();
    },
    close: () => sock.close(),
  };
}
