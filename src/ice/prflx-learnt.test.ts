// A remote first learnt as peer-reflexive and signalled later (a trickle race, or an mDNS `.local`
// name that resolves after the pair is up, as with Chromium): the pairs already made with the guess,
// the selected one included, then report the signalled type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRng } from '../core/rng.js';
import { nodeCrypto } from '../io/node-crypto.js';
import { formatCandidate } from './candidate-grammar.js';
import type { IceEvent } from './context.js';
import { IceAgent } from './ice-agent.js';
import { TestWire } from '../../test/scenarios/ice/test-wire.js';

test('a selected peer-reflexive remote signalled later as host is reported as host', () => {
  const wire = new TestWire<IceEvent>(31);
  const rng = new SeededRng(31);
  const mk = (address: string, port: number, controlling: boolean) => {
    const agent = new IceAgent({ rng: rng.fork(), crypto: nodeCrypto, controlling });
    const n = wire.add(agent);
    wire.own(n, { address, port });
    agent.addLocalAddress(0, { address, port });
    agent.gather(0);
    return Object.assign(n, { agent });
  };
  const A = mk('198.18.0.1', 1000, true);
  const B = mk('198.18.0.2', 2000, false);
  wire.pump();
  const lines = (n: typeof A): string[] => n.events.flatMap((e) => (e.type === 'candidate' ? [formatCandidate(e.candidate)] : []));
  // A knows B's credentials but not its candidates: B's checks make B a prflx remote of A.
  A.agent.setRemoteCredentials(0, B.agent.localUfrag, B.agent.localPwd);
  B.agent.setRemoteCredentials(0, A.agent.localUfrag, A.agent.localPwd);
  for (const l of lines(A)) B.agent.addRemoteCandidate(0, l);
  assert.ok(wire.run(5000, () => A.agent.selectedPair !== undefined && B.agent.selectedPair !== undefined));
  assert.equal(A.agent.selectedPair?.remote.type, 'prflx');
  const [hostLine] = lines(B);
  assert.ok(hostLine);
  assert.equal(A.agent.addRemoteCandidate(wire.now, hostLine), 'known');
  assert.equal(A.agent.selectedPair?.remote.type, 'host', 'the selected pair now carries the signalled host candidate');
  assert.deepEqual([A.agent.selectedPair?.remote.address, A.agent.selectedPair?.remote.port], ['198.18.0.2', 2000]);
  assert.equal(A.agent.remoteCandidates.filter((c) => c.address === '198.18.0.2').map((c) => c.type).join(), 'host');
  wire.run(2000);
  assert.ok(['connected', 'completed'].includes(A.agent.state), A.agent.state);
});
