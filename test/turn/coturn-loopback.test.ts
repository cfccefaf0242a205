// A real TURN server (coturn) on 127.0.0.1 with ephemeral-range ports: our ICE agent relays through
// it over UDP, TCP and TLS (self-signed certificate made here, trusted through `ca`), relay-only so
// nothing but TURN traffic leaves it. Skips when coturn or openssl is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coturnSkipReason, startLoopbackCoturn, TURN_PASS, TURN_USER } from './coturn.js';
import { connectPeers, dataFlows, realPeer } from './ice-relay-peers.js';
import { makeSelfSigned, opensslSkipReason } from './self-signed.js';

const skip = coturnSkipReason() ?? opensslSkipReason();

test('coturn on loopback: relay-only ICE over UDP, TCP and TLS; wrong password reported', { skip }, async () => {
  const cert = makeSelfSigned(['turn.test'], ['127.0.0.1']);
  const { turn, base } = await startLoopbackCoturn((b) => ({ port: b, tlsPort: b + 1, certFile: cert.certFile, keyFile: cert.keyFile, minPort: b + 10, maxPort: b + 60 }));
  const server = { address: '127.0.0.1', port: base };
  const creds = { username: TURN_USER, credential: TURN_PASS };
  try {
    const cases = [
      { name: 'udp', relay: { udpTurn: { server, ...creds, url: `turn:127.0.0.1:${base}` } }, bind: '127.0.0.1' },
      { name: 'tcp', relay: { stream: { transport: 'tcp' as const, server, ...creds } }, bind: undefined },
      { name: 'tls', relay: { stream: { transport: 'tls' as const, server: { address: '127.0.0.1', port: base + 1 }, servername: 'turn.test', ca: cert.cert, ...creds } }, bind: undefined },
    ];
    for (const c of cases) {
      const a = await realPeer(true, c.bind, c.relay, { iceTransportPolicy: 'relay' });
      const b = await realPeer(false, '127.0.0.1', {}, {});
      try {
        await connectPeers(a, b);
        assert.equal(a.agent.selectedPair?.local.type, 'relay', c.name);
        assert.deepEqual(a.events.filter((e) => e.type === 'candidate').map((e) => (e.type === 'candidate' ? e.candidate.type : '')), ['relay'], c.name);
        assert.ok(await dataFlows(a, b), `${c.name}: data through the relay`);
        assert.ok(await dataFlows(b, a), `${c.name}: data back through the relay`);
        assert.equal(a.agent.policyStats.droppedTransmits, 0);
        console.log(`${c.name}: connected, A selected ${a.agent.selectedPair?.local.type} ${a.agent.selectedPair?.local.address}:${a.agent.selectedPair?.local.port} -> B ${a.agent.selectedPair?.remote.address}:${a.agent.selectedPair?.remote.port}`);
      } finally {
        a.close();
        b.close();
      }
    }
    const bad = await realPeer(true, '127.0.0.1', { udpTurn: { server, username: TURN_USER, credential: 'wrong', url: `turn:127.0.0.1:${base}` } }, { iceTransportPolicy: 'relay' });
    try {
      bad.agent.gather(performance.now());
      bad.driver.pump();
      const end = Date.now() + 5000;
      while (Date.now() < end && bad.agent.relayStatus[0]?.state !== 'failed') await new Promise((r) => setTimeout(r, 20));
      const st = bad.agent.relayStatus[0];
      assert.equal(st?.error?.code, 401, JSON.stringify(st));
      assert.match(st?.error?.reason ?? '', /wrong username or credential/);
      console.log(`wrong password: ${st?.url} ${st?.error?.reason}`);
    } finally {
      bad.close();
    }
    assert.match(turn.log(), /ALLOCATE processed, success/);
  } finally {
    await turn.stop();
    cert.cleanup();
  }
});
