/**
 * RFC 6347 §4.2.4: once finished, only the node that sent the last flight (the server in a full
 * handshake) answers a retransmission of the peer's last flight. A finished client that also
 * answered duplicates of the server's ChangeCipherSpec+Finished kept a ping-pong going (client
 * flight 5 -> server flight 6 -> ...) for as long as a round trip exceeded the resend gap: under load
 * (many handshakes in one process, a busy shared socket) it doubled the handshake traffic (issue 6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecords } from '../../../src/dtls/record/header.js';
import { ContentType } from '../../../src/dtls/constants.js';
import { Pump, makePair } from './pump.js';

const hasCcs = (d: Uint8Array): boolean => decodeRecords(d).some((r) => r.header.contentType === ContentType.changeCipherSpec);

test("a finished client does not answer a duplicate of the server's final flight (no flight 5/6 ping-pong)", () => {
  // 60 ms each way against 100 ms first timers (the WebRTC binding's): every flight is retransmitted
  // once before its answer arrives, so the server gets flight 5 twice and rightly answers both.
  const { client, server } = makePair(81, { client: { initialRetransmitMs: 100 }, server: { initialRetransmitMs: 100 } });
  let serverFinals = 0;
  const p = new Pump(client, server, { tamper: (from, d) => (from === 'b' && hasCcs(d) && serverFinals++, d) }, 81, 60);
  client.start(0);
  server.start(0);
  assert.ok(p.runUntil(() => p.connected('a') && p.connected('b'), 10_000));
  const atConnect = { client: client.stats.retransmittedFlights };
  p.runUntil(() => false, 3_000);
  assert.equal(client.stats.retransmittedFlights, atConnect.client, 'the finished client re-sent nothing');
  assert.equal(serverFinals, 2, 'flight 6, and one answer to the retransmitted flight 5 (it was 26 in 3 s)');
});
