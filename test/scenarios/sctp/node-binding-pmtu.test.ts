// PLPMTUD end to end through the public Node binding over REAL loopback UDP: the binding must give
// the SCTP association the selected pair's cap (src/stack/layers.ts pathMaxPacketSize), so two rtcpeer
// peers on 127.0.0.1 move bulk data in packets of up to one DTLS record: 65000 bytes between rtcpeer
// peers (a=x-dtls-record-limit, src/dtls/constants.ts EXTENDED_MAX_PLAINTEXT), where most 16 KiB
// messages travel whole (one DATA chunk), and 16384 when the peer's description does not say it reads
// larger records (every 16 KiB message split: 28 bytes of headers do not fit); with `sctp: { plpmtud: false }`
// every packet stays at 1200. The SCTP packet sizes are read where they enter DTLS (a wrapped factory).
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, formatLogRecord } from '../../../src/core/logger.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { nodeBinding, type NodeBindingOptions } from '../../../src/facade/node-binding.js';
import { EXTENDED_MAX_PLAINTEXT } from '../../../src/dtls/constants.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { dtlsFactory } from '../../../src/stack/dtls-binding.js';
import type { DtlsPort } from '../../../src/stack/ports.js';
import { pollUntil, wireMinimal } from '../stack/minimal.js';

const logger = createLogger((r) => console.log(formatLogRecord(r)), 'error');

/** DATA chunks of a packet that carry a whole 16 KiB message (flags B and E, header 16 + 16384). */
function wholeMessages(pkt: Uint8Array): number {
  let n = 0;
  for (let o = 12; o + 4 <= pkt.length; ) {
    const len = ((pkt[o + 2] as number) << 8) | (pkt[o + 3] as number);
    if (pkt[o] === 0 && ((pkt[o + 1] as number) & 3) === 3 && len === 16 + 16384) n++;
    o += Math.max(4, (len + 3) & ~3);
  }
  return n;
}

/** The largest a_rwnd of the SACK chunks in a packet (0 without one). */
function sackWindow(pkt: Uint8Array): number {
  let max = 0;
  for (let o = 12; o + 16 <= pkt.length; ) {
    const len = ((pkt[o + 2] as number) << 8) | (pkt[o + 3] as number);
    if (pkt[o] === 3) max = Math.max(max, new DataView(pkt.buffer, pkt.byteOffset + o + 8, 4).getUint32(0));
    o += Math.max(4, (len + 3) & ~3);
  }
  return max;
}

/**
 * Runs a 1 MiB transfer (64 messages of 16 KiB) between two peers of one binding; returns the largest
 * SCTP packet either sent and how many messages went whole in one DATA chunk.
 */
async function transfer(sctp: NodeBindingOptions['sctp'], edit?: (sdp: string) => string, count = 64, extra: Partial<NodeBindingOptions> = {}): Promise<{ largest: number; whole: number; window: number }> {
  let largest = 0;
  let whole = 0;
  let window = 0;
  const env = nodeBinding({
    addresses: ['127.0.0.1'],
    ...extra,
    ...(sctp ? { sctp } : {}),
    dtls: (rng) => {
      const f = dtlsFactory({ rng, crypto: nodeDtlsCrypto });
      return {
        fingerprint: f.fingerprint,
        create: (role, fps, log, peer): DtlsPort => {
          const d = f.create(role, fps, log, peer);
          const send = d.send.bind(d);
          d.send = (now, data) => {
            largest = Math.max(largest, data.length);
            whole += wholeMessages(data);
            window = Math.max(window, sackWindow(data));
            send(now, data);
          };
          return d;
        },
      };
    },
  });
  const p1 = new WebRTCPeerConnection({ env, logger });
  const p2 = new WebRTCPeerConnection({ env, logger });
  try {
    const ch1 = p1.createDataChannel('bulk', { id: 1, negotiated: true });
    const ch2 = p2.createDataChannel('bulk', { id: 1, negotiated: true });
    assert.ok(ch1 && ch2);
    wireMinimal(p1, p2, edit);
    assert.equal(p1.createOffer(), GodotError.OK);
    assert.ok(await pollUntil(() => ch1.getReadyState() === WebRTCDataChannel.STATE_OPEN && ch2.getReadyState() === WebRTCDataChannel.STATE_OPEN, [p1, p2]));
    // let the probes run (a few round trips on loopback), then send
    await pollUntil(() => false, [p1, p2], 200);
    const msg = new Uint8Array(16384).fill(9);
    let got = 0;
    for (let i = 0; i < count; i++) assert.equal(ch1.putPacket(msg), GodotError.OK);
    assert.ok(await pollUntil(() => {
      while (ch2.getAvailablePacketCount() > 0) got += ch2.getPacket().length;
      return got === count * 16384;
    }, [p1, p2], 20_000), `received ${got}`);
    return { largest, whole, window };
  } finally {
    p1.close();
    p2.close();
  }
}

test('node binding on a loopback pair: PLPMTUD raises SCTP packets to one extended DTLS record, most 16 KiB messages whole', async () => {
  const { largest, whole } = await transfer(undefined);
  assert.equal(largest, EXTENDED_MAX_PLAINTEXT, 'the probe of a whole extended record was confirmed');
  // a 65000-byte packet holds three whole 16 KiB messages and the start of the next
  assert.ok(whole >= 40 && whole < 64, `${whole} of 64 messages whole`);
});

test('node binding on a loopback pair without bulk data: no probe above 2^14 (PLPMTUD searches further on demand only)', async () => {
  const { largest } = await transfer(undefined, undefined, 0);
  assert.ok(largest > 8192 && largest <= 16384, `largest SCTP packet ${largest}`);
});

test('node binding on a loopback pair, peer without a=x-dtls-record-limit: packets up to 16384, messages split', async () => {
  const { largest, whole } = await transfer(undefined, (sdp) => sdp.replace(/a=x-dtls-record-limit:\d+\r\n/, ''));
  assert.ok(largest > 8192 && largest <= 16384, `largest SCTP packet ${largest}`);
  assert.equal(whole, 0);
});

test('node binding on a loopback pair: SCTP advertises at most half the receive buffer the kernel reports (socketBufferBytes)', async () => {
  const probe = createSocket('udp4');
  await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
  probe.setRecvBufferSize(65536);
  const reported = probe.getRecvBufferSize();
  probe.close();
  const { window } = await transfer(undefined, undefined, 64, { socketBufferBytes: 65536 });
  assert.ok(window > 0, 'SACKs seen');
  assert.ok(window <= Math.max(65536, reported / 2), `largest advertised window ${window} (socket buffer ${reported})`);
});

test('node binding with sctp.plpmtud false: every SCTP packet stays at 1200', async () => {
  const { largest } = await transfer({ plpmtud: false });
  assert.ok(largest <= 1200 && largest > 1000, `largest SCTP packet ${largest}`);
});
