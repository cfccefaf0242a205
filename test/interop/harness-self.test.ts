/**
 * The harness checked against itself: node-datachannel (side A) against werift (side B) on
 * loopback, both roles, the whole matrix. When this passes the harness is right, so an rtcpeer
 * failure in the other files is rtcpeer's (or a peer's) and not the harness's.
 */
import { after, test } from 'node:test';
import { PeerProcess } from './harness/peer-process.js';
import { WERIFT_BUGS, printMatrix, runPair } from './harness/matrix.js';

after(() => printMatrix('harness self-check, node-datachannel (A) vs werift (B), loopback'));

for (const offerer of ['a', 'b'] as const) {
  test(`harness: node-datachannel ${offerer === 'a' ? 'offers' : 'answers'} to werift`, { timeout: 300_000 }, async (t) => {
    await runPair(t, {
      peer: 'werift 0.25.2',
      offerer,
      start: () => [PeerProcess.start('ndc', 'ndc'), PeerProcess.start('werift', 'werift')],
      bindA: '127.0.0.1',
      bindB: '127.0.0.1',
      // node-datachannel does not work around werift's W2 (rtcpeer does), so both bugs show here.
      knownPeerBugs: { ...WERIFT_BUGS.empty, ...WERIFT_BUGS.reset },
    });
  });
}
