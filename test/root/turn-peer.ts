/**
 * One rtcpeer ICE agent in a lab namespace for test/root/turn-nat.test.ts. Signalling is JSON lines:
 * stdout `{"creds"|"cand"|"eoc"|"up"|"data"|"error"}`, stdin `{"creds"|"cand"|"eoc"|"send"}`.
 * argv: controlling|controlled bindAddress none|udp|tcp|tls [turnIp turnPort policy caFile servername]
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCandidate, formatCandidate } from '../../src/ice/index.js';
import { systemClock } from '../../src/io/clock.js';
import { TURN_PASS, TURN_USER } from '../turn/coturn.js';
import { realPeer, type RealPeer } from '../turn/ice-relay-peers.js';

const [role, bind, transport, turnIp, turnPort, policy, caFile, servername] = process.argv.slice(2);
const out = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const now = (): number => systemClock.now();

async function main(): Promise<void> {
  const server = { address: turnIp ?? '', port: Number(turnPort) };
  const creds = { username: TURN_USER, credential: TURN_PASS };
  const relay =
    transport === 'udp'
      ? { udpTurn: { server, ...creds } }
      : transport === 'tcp' || transport === 'tls'
        ? { stream: { transport: transport as 'tcp' | 'tls', server, ...creds, ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}), ...(servername ? { servername } : {}) } }
        : {};
  const p: RealPeer = await realPeer(role === 'controlling', transport === 'udp' || transport === 'none' ? bind : undefined, relay, policy === 'relay' ? { iceTransportPolicy: 'relay' } : {});
  out({ creds: [p.agent.localUfrag, p.agent.localPwd] });
  let seen = 0;
  let up = false;
  const flush = (): void => {
    for (; seen < p.events.length; seen++) {
      const ev = p.events[seen];
      if (ev?.type === 'candidate') out({ cand: formatCandidate(ev.candidate) });
      else if (ev?.type === 'gathering-complete') out({ eoc: true });
      else if (ev?.type === 'data') out({ data: Array.from(ev.data) });
    }
    const s = p.agent.state;
    if (!up && (s === 'connected' || s === 'completed')) {
      up = true;
      const sel = p.agent.selectedPair;
      out({ up: { local: sel?.local.type, localAddr: `${sel?.local.address}:${sel?.local.port}`, remote: `${sel?.remote.address}:${sel?.remote.port}`, dropped: p.agent.policyStats.droppedTransmits } });
    }
  };
  setInterval(flush, 5);
  setInterval(() => out({ status: p.agent.relayStatus, state: p.agent.state }), 5000).unref();
  for await (const line of createInterface({ input: process.stdin })) {
    const m = JSON.parse(line) as { creds?: [string, string]; cand?: string; eoc?: boolean; send?: number[]; gather?: boolean };
    if (m.creds) p.agent.setRemoteCredentials(now(), m.creds[0], m.creds[1]);
    if (m.cand) p.agent.addRemoteCandidate(now(), parseCandidate(m.cand));
    if (m.eoc) p.agent.endOfRemoteCandidates(now());
    if (m.gather) p.agent.gather(now());
    if (m.send) p.agent.send(now(), Uint8Array.from(m.send));
    p.driver.pump();
  }
  p.close();
  setTimeout(() => process.exit(0), 300);
}

main().catch((e: unknown) => {
  out({ error: String(e) });
  process.exit(1);
});
