/**
 * Two IceAgents on real sockets in one process for TURN tests: A relays through a TURN server (UDP
 * socket, or a TCP/TLS TurnStream), B gathers host candidates on UDP. Signalling is direct.
 */
import type { Addr } from '../../src/core/types.js';
import { IceAgent } from '../../src/ice/index.js';
import type { IceAgentOptions, IceEvent, TurnServerConfig } from '../../src/ice/index.js';
import { Driver } from '../../src/io/driver.js';
import { CryptoRng, nodeCrypto } from '../../src/io/node-crypto.js';
import { TurnStream, type TurnStreamOptions } from '../../src/io/turn-stream.js';
import { UdpSocketSet } from '../../src/io/udp.js';
import { systemClock } from '../../src/io/clock.js';
import { setTimeout as delay } from 'node:timers/promises';

export interface RealPeer {
  readonly agent: IceAgent;
  readonly driver: Driver<IceEvent>;
  readonly events: IceEvent[];
  close(): void;
}

const now = (): number => systemClock.now();

async function peer(controlling: boolean, bindAddress: string | undefined, relay: { udpTurn?: Omit<TurnServerConfig, 'local'>; stream?: TurnStreamOptions & { username: string; credential: string } }, extra: Partial<IceAgentOptions>): Promise<RealPeer> {
  const events: IceEvent[] = [];
  let stream: TurnStream | undefined;
  let turnServers: TurnServerConfig[] = relay.udpTurn ? [relay.udpTurn] : [];
  if (relay.stream) {
    stream = await TurnStream.connect(relay.stream);
    turnServers = [{ server: relay.stream.server, username: relay.stream.username, credential: relay.stream.credential, transport: relay.stream.transport, local: stream.local }];
  }
  const agent = new IceAgent({ rng: new CryptoRng(), crypto: nodeCrypto, controlling, includeLoopback: true, turnServers, ...extra });
  const sockets = bindAddress !== undefined ? await UdpSocketSet.bind({ addresses: [bindAddress] }) : undefined;
  // Transmits from the stream's local address go into the stream; the rest to the UDP sockets.
  const transport = {
    send: (dg: Parameters<UdpSocketSet['send']>[0]) => (stream && dg.from.port === stream.local.port && dg.from.address === stream.local.address ? stream.send(dg) : (sockets?.send(dg) ?? false)),
    onMessage: undefined as ((dg: Parameters<UdpSocketSet['send']>[0]) => void) | undefined,
  };
  const driver = new Driver(agent, transport, { onEvent: (ev) => events.push(ev) });
  if (sockets) sockets.onMessage = (dg) => transport.onMessage?.(dg);
  if (stream) stream.onMessage = (dg) => transport.onMessage?.(dg);
  for (const a of sockets?.localAddresses ?? []) agent.addLocalAddress(now(), a);
  return {
    agent,
    driver,
    events,
    close: () => {
      agent.close(now());
      driver.pump();
      setTimeout(() => {
        driver.close();
        sockets?.close();
        stream?.close();
      }, 200).unref();
    },
  };
}

/** Wires trickle signalling both ways, gathers, and waits until both are connected (or throws). */
export async function connectPeers(a: RealPeer, b: RealPeer, ms = 15_000): Promise<void> {
  b.agent.setRemoteCredentials(now(), a.agent.localUfrag, a.agent.localPwd);
  a.agent.setRemoteCredentials(now(), b.agent.localUfrag, b.agent.localPwd);
  const forward = (from: RealPeer, to: RealPeer): void => {
    let seen = 0;
    const tick = (): void => {
      for (; seen < from.events.length; seen++) {
        const ev = from.events[seen] as IceEvent;
        if (ev.type === 'candidate') to.agent.addRemoteCandidate(now(), ev.candidate);
        else if (ev.type === 'gathering-complete') to.agent.endOfRemoteCandidates(now());
      }
      to.driver.pump();
    };
    const t = setInterval(tick, 5);
    t.unref();
    closers.push(() => clearInterval(t));
  };
  const closers: Array<() => void> = [];
  forward(a, b);
  forward(b, a);
  a.agent.gather(now());
  a.driver.pump();
  b.agent.gather(now());
  b.driver.pump();
  const up = (p: RealPeer): boolean => p.agent.state === 'connected' || p.agent.state === 'completed';
  const end = Date.now() + ms;
  while (Date.now() < end && !(up(a) && up(b))) await delay(10);
  for (const c of closers) c();
  if (!(up(a) && up(b))) throw new Error(`not connected: ${a.agent.state}/${b.agent.state}; A relays ${JSON.stringify(a.agent.relayStatus)}`);
}

/** A sends a DTLS-looking datagram on the selected pair and B must get it as data. */
export async function dataFlows(a: RealPeer, b: RealPeer): Promise<boolean> {
  const payload = Uint8Array.of(23, 254, 253, 1, 2, 3);
  a.agent.send(now(), payload);
  a.driver.pump();
  const end = Date.now() + 3000;
  while (Date.now() < end) {
    if (b.events.some((e) => e.type === 'data' && e.data.length === 6 && e.data[5] === 3)) return true;
    await delay(10);
  }
  return false;
}

export { peer as realPeer };
export type { Addr };
