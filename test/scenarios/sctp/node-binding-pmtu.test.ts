// PLPMTUD end to end through the public Node binding over REAL loopback UDP: the binding must give
// the SCTP association the selected pair's cap (src/stack/layers.ts pathMaxPacketSize), so two rtcpeer
// peers on 127.0.0.1 move bulk data in packets of up to 16384 bytes; with `sctp: { plpmtud: false }`
// every packet stays at 1200. The SCTP packet sizes are read where they enter DTLS (a wrapped factory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, formatLogRecord } from '../../../src/core/logger.js';
import { GodotError, WebRTCDataChannel, WebRTCPeerConnection } from '../../../src/facade/index.js';
import { nodeBinding, type NodeBindingOptions } from '../../../src/facade/node-binding.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { dtlsFactory } from '../../../src/stack/dtls-binding.js';
import type { DtlsPort } from '../../../src/stack/ports.js';
import { pollUntil, wireMinimal } from '../stack/minimal.js';

const logger = createLogger((r) => console.log(formatLogRecord(r)), 'error');

/** Runs a 1 MiB transfer between two peers of one binding; returns the largest SCTP packet either sent. */
async function largestPacket(sctp: NodeBindingOptions['sctp']): Promise<number> {
  let largest = 0;
  const env = nodeBinding({
    addresses: ['127.0.0.1'],
    ...(sctp ? { sctp } : {}),
    dtls: (rng) => {
      const f = dtlsFactory({ rng, crypto: nodeDtlsCrypto });
      return {
        fingerprint: f.fingerprint,
        create: (role, fps, log): DtlsPort => {
          const d = f.create(role, fps, log);
          const send = d.send.bind(d);
          d.send = (now, data) => {
            largest = Math.max(largest, data.length);
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
    wireMinimal(p1, p2);
    assert.equal(p1.createOffer(), GodotError.OK);
    assert.ok(await pollUntil(() => ch1.getReadyState() === WebRTCDataChannel.STATE_OPEN && ch2.getReadyState() === WebRTCDataChannel.STATE_OPEN, [p1, p2]));
    // let the probes run (a few round trips on loopback), then send
    await pollUntil(() => false, [p1, p2], 200);
    const msg = new Uint8Array(16384).fill(9);
    let got = 0;
    for (let i = 0; i < 64; i++) assert.equal(ch1.putPacket(msg), GodotError.OK);
    assert.ok(await pollUntil(() => {
      while (ch2.getAvailablePacketCount() > 0) got += ch2.getPacket().length;
      return got === 64 * 16384;
    }, [p1, p2], 20_000), `received ${got}`);
    return largest;
  } finally {
    p1.close();
    p2.close();
  }
}

test('node binding on a loopback pair: PLPMTUD raises SCTP packets to one full DTLS record', async () => {
  const n = await largestPacket(undefined);
  assert.ok(n > 8192 && n <= 16384, `largest SCTP packet ${n}`);
});

test('node binding with sctp.plpmtud false: every SCTP packet stays at 1200', async () => {
  const n = await largestPacket({ plpmtud: false });
  assert.ok(n <= 1200 && n > 1000, `largest SCTP packet ${n}`);
});
