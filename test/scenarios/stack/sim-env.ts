/**
 * A StackBinding over the simulator (test/sim): the stack is attached to a simulated host, its
 * transmits and deadlines are driven by the simulator, its events go to the facade after every
 * simulator call and after every user call (`pump`). The whole real stack runs: ICE, DTLS, SCTP.
 */
import type { Host, Sim } from '../../sim/index.js';
import type { StackBinding } from '../../../src/facade/index.js';
import { nodeCrypto } from '../../../src/io/node-crypto.js';
import { nodeDtlsCrypto } from '../../../src/io/node-dtls-crypto.js';
import { dtlsFactory } from '../../../src/stack/dtls-binding.js';
import { realLayers } from '../../../src/stack/layers.js';
import type { RealLayerOptions } from '../../../src/stack/layers.js';
import type { StackLayers } from '../../../src/stack/ports.js';
import { PeerStack, type PeerStackOptions } from '../../../src/stack/peer-stack.js';

/** `observe`: lets a test wrap the layers and the stack it gets (to watch what is made when). */
export function simEnv(
  sim: Sim,
  host: Host,
  extra: Pick<RealLayerOptions, 'sctp' | 'ice'> & { readonly stack?: Pick<PeerStackOptions, 'sctpSnap' | 'dtlsInStun'>; readonly observe?: (layers: StackLayers, build: (layers: StackLayers) => PeerStack) => PeerStack } = {},
): StackBinding {
  const { stack: stackOptions, observe, ...layerOptions } = extra;
  return {
    now: () => sim.now,
    createStack(_config, logger) {
      const rng = sim.rng.fork();
      const layers = realLayers({ ...layerOptions, rng, crypto: nodeCrypto, dtls: dtlsFactory({ rng, crypto: nodeDtlsCrypto }) });
      const build = (l: StackLayers): PeerStack => new PeerStack(l, { rng, logger, ...stackOptions });
      return observe ? observe(layers, build) : build(layers);
    },
    attach(stack, onEvent) {
      let closed = false;
      sim.attach(host, stack, { onEvent: (ev) => void (closed || onEvent(ev)) });
      stack.addLocalAddress(sim.now, { address: host.address(), port: 5000 });
      const pump = (): void => {
        for (let ev = stack.pollEvent(); ev; ev = stack.pollEvent()) if (!closed) onEvent(ev);
      };
      pump();
      return { pump, close: () => void (closed = true) };
    },
  };
}
