/**
 * rtcpeer (side A, through its public facade in a child process) against node-datachannel and
 * werift (side B), on 127.0.0.1 only, rtcpeer as offerer and as answerer: the issue-5 matrix.
 * Runs as any user.
 */
import { after, test } from 'node:test';
import { PeerProcess } from './harness/peer-process.js';
import type { PeerKind } from './harness/peer-process.js';
import { WERIFT_BUGS, printMatrix, runPair } from './harness/matrix.js';

after(() => printMatrix('rtcpeer (A) vs node-datachannel / werift (B), loopback 127.0.0.1'));

const PEERS: readonly [PeerKind, string][] = [
  ['ndc', 'node-datachannel 0.33.4'],
  ['werift', 'werift 0.25.2'],
];

for (const [kind, label] of PEERS) {
  for (const offerer of ['a', 'b'] as const) {
    test(`rtcpeer ${offerer === 'a' ? 'offers to' : 'answers'} ${label}`, { timeout: 300_000 }, async (t) => {
      await runPair(t, {
        peer: label,
        offerer,
        start: () => [PeerProcess.start('rtcpeer', 'rtcpeer'), PeerProcess.start(kind, kind)],
        bindA: '127.0.0.1',
        bindB: '127.0.0.1',
        ...(kind === 'werift' ? { knownPeerBugs: WERIFT_BUGS.empty } : {}),
      });
    });
  }
}
