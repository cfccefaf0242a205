/**
 * rtcpeer (side A) against headless Chromium (side B), each in its own network namespace of the
 * lab (test/root/lab.ts: Chromium gathers no loopback candidates): rtcpeer in `b` 198.18.2.2,
 * Chromium in `a` 198.18.1.2, with Chromium's mDNS host candidates on and off, rtcpeer offering and
 * answering, and with Chromium's SNAP (a=sctp-init) and DTLS-in-STUN (goog-sped-v1) on. A harness
 * check (node-datachannel vs Chromium) runs first. Needs root; skips otherwise.
 */
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { Lab, labSkipReason } from '../root/lab.js';
import { PeerProcess, driverCommand } from './harness/peer-process.js';
import type { PeerKind } from './harness/peer-process.js';
import { printMatrix, runPair } from './harness/matrix.js';

const skip = labSkipReason() ?? (existsSync('/usr/bin/chromium') ? undefined : 'needs /usr/bin/chromium (apt-get install chromium)');
after(() => printMatrix('Chromium in a namespace (B) vs rtcpeer / node-datachannel (A), 198.18.0.0/15'));

function inLab(lab: Lab, host: 'a' | 'b', name: string, kind: PeerKind, args: readonly string[] = []): PeerProcess {
  const [cmd, argv] = driverCommand(kind, args);
  const p = lab.spawn(host, cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  return new PeerProcess(name, p.child);
}

/** Chromium with SNAP (a=sctp-init, draft-hancke-tsvwg-snap) enabled: rtcpeer offering and answering. */
const SNAP_RUNS: readonly ('a' | 'b')[] = ['a', 'b'];

const SUBJECTS: readonly [PeerKind, string][] = [
  ['ndc', 'harness: node-datachannel'],
  ['rtcpeer', 'rtcpeer'],
];

// The harness check (node-datachannel vs Chromium) passed all four combinations (docs/interop.md);
// by default one of them runs as a sanity check of the lab and the driver, INTEROP_FULL=1 runs all.
const full = process.env['INTEROP_FULL'] === '1';
const wanted = (subject: PeerKind, mdns: boolean, offerer: 'a' | 'b'): boolean => full || subject !== 'ndc' || (mdns && offerer === 'a');

for (const [subject, subjectName] of SUBJECTS) {
  for (const mdns of [true, false]) {
    for (const offerer of ['a', 'b'] as const) {
      if (!wanted(subject, mdns, offerer)) continue;
      const name = `${subjectName} ${offerer === 'a' ? 'offers to' : 'answers'} Chromium (mDNS ${mdns ? 'on' : 'off'})`;
      test(name, { skip, timeout: 400_000 }, async (t) => {
        const lab = Lab.create({ name: 'rti' });
        try {
          await runPair(t, {
            peer: `Chromium mDNS ${mdns ? 'on' : 'off'}${subject === 'ndc' ? ' (vs ndc)' : ''}`,
            offerer,
            start: () => [inLab(lab, 'b', subject, subject), inLab(lab, 'a', 'chromium', 'chromium', mdns ? [] : ['--no-mdns'])],
            bindA: lab.addr('b'),
            bindB: lab.addr('a'),
          });
        } finally {
          await lab.destroy();
        }
      });
    }
  }
}

for (const offerer of SNAP_RUNS) {
  // chromium.mjs --snap fails the case unless both descriptions carry a=sctp-init: the SCTP association
  // then comes up on both sides without INIT or COOKIE chunks, or not at all (no fallback exists)
  test(`rtcpeer ${offerer === 'a' ? 'offers to' : 'answers'} Chromium with SNAP (a=sctp-init)`, { skip, timeout: 400_000 }, async (t) => {
    const lab = Lab.create({ name: 'rts' });
    try {
      await runPair(t, {
        peer: 'Chromium mDNS on SNAP',
        offerer,
        start: () => [inLab(lab, 'b', 'rtcpeer', 'rtcpeer'), inLab(lab, 'a', 'chromium', 'chromium', ['--snap'])],
        bindA: lab.addr('b'),
        bindB: lab.addr('a'),
      });
    } finally {
      await lab.destroy();
    }
  });
}

for (const withSnap of [false, true]) {
  for (const offerer of SNAP_RUNS) {
    // Chromium's DTLS-in-STUN (draft-hancke-webrtc-sped; its field trial WebRTC-IceHandshakeDtls, ice-option
    // goog-sped-v1), alone and with SNAP: chromium.mjs --sped fails the case unless both descriptions name
    // the option, and rtcpeer.mjs --sped fails it unless a DTLS packet of Chromium's reached rtcpeer inside
    // a STUN message.
    test(`rtcpeer ${offerer === 'a' ? 'offers to' : 'answers'} Chromium with DTLS in STUN (goog-sped-v1)${withSnap ? ' and SNAP' : ''}`, { skip, timeout: 400_000 }, async (t) => {
      const lab = Lab.create({ name: 'rtd' });
      try {
        await runPair(t, {
          peer: `Chromium mDNS on SPED${withSnap ? '+SNAP' : ''}`,
          offerer,
          start: () => [inLab(lab, 'b', 'rtcpeer', 'rtcpeer', ['--sped']), inLab(lab, 'a', 'chromium', 'chromium', withSnap ? ['--sped', '--snap'] : ['--sped'])],
          bindA: lab.addr('b'),
          bindB: lab.addr('a'),
        });
      } finally {
        await lab.destroy();
      }
    });
  }
}
