// Root-only lab (issue 8): mDNS host candidates between real peers on one switched link (`lan: true`:
// `c` 198.18.5.2 and `d` 198.18.5.3, so 224.0.0.251 passes between them).
//  1. Headless Chromium in `c` with its DEFAULT mDNS obfuscation offers `<uuid>.local` host
//     candidates; rtcpeer (public facade, default nodeBinding mDNS resolver) in `d` resolves them with
//     a real multicast query and the pair it selects has a remote candidate of type host at Chromium's
//     address (its getIceStats() extension), not a peer-reflexive guess.
//  2. rtcpeer <-> rtcpeer through the facade: the `c` side signals its host candidates under
//     `<uuid>.local` names and answers for them (nodeBinding `mdnsPublish`), the `d` side resolves
//     them through the facade's multicast resolver.
// A passive listener on the mDNS group in `d` shows the query from `d` and the answer from `c`.
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerProcess } from '../interop/harness/peer-process.js';
import { connect, transfer } from '../interop/harness/session.js';
import { labSkipReason, withLab, type Lab } from './lab.js';
import { candidateTypes, chromiumIn, chromiumSkipReason, chromiumStats, facadeIn, facadeReport, facadeReportWhen, facadeSelected, stopAll, trickled, withLogs, type FacadeReport } from './lab-peers.js';
import { describeMdns, listenMdns, type MdnsPacket } from './mdns-wire.js';

interface Seen {
  /** Host candidates the `c` side signalled: [address, port]. */
  readonly hosts: readonly (readonly [string, number])[];
  /** d's selected pair from its getIceStats(). */
  readonly selected: ReturnType<typeof facadeSelected>;
}

function hostCandidates(lines: readonly string[]): [string, number][] {
  return lines.filter((l) => / typ host/.test(l)).map((l) => {
    const f = l.split(' ');
    return [f[4] ?? '', Number(f[5])];
  });
}

/**
 * d's report once its selected remote candidate (getIceStats()) is host, or after 5 s. With Chromium
 * the pair is usually up through a peer-reflexive candidate before the name resolves: Chromium
 * announces its name as it gathers and then multicasts that record again only a second later (RFC
 * 6762 §6 rate limit), so d's query right after the announcement is answered ~1 s later; the
 * resolved candidate then turns the prflx remote into host.
 */
function settledReport(p: PeerProcess): Promise<FacadeReport> {
  return facadeReportWhen(p, (r) => facadeSelected(r)?.remote.type === 'host', 5000);
}

/** `c` (publishing names) and `d` (rtcpeer facade, resolving them) connect, `c` offering or answering,
 * move data both ways; returns c's signalled host candidates and what d's facade selected. */
async function mdnsSession(lab: Lab, c: PeerProcess, d: PeerProcess, cOffers: boolean): Promise<Seen> {
  const [offerer, answerer] = cOffers ? [c, d] : [d, c];
  try {
    const bind = [lab.addr(cOffers ? 'c' : 'd'), lab.addr(cOffers ? 'd' : 'c')] as const;
    const { answererKey } = await connect(offerer, answerer, { trickle: true, bind, connectTimeoutMs: 25_000 });
    const key = (p: PeerProcess): string => (p === offerer ? 'main' : answererKey);
    await transfer(c, key(c), d, key(d), { text: false, size: 1000, seed: 3, count: 10 });
    await transfer(d, key(d), c, key(c), { text: true, size: 200, seed: 4, count: 10 });
    const report = await settledReport(d);
    console.log(`c signalled ${JSON.stringify(trickled(c))}`);
    console.log(`d's log about mDNS:\n${d.stderr.split('\n').filter((l) => /mdns|\.local/i.test(l) && !/cannot open socket/.test(l)).join('\n')}`);
    console.log(`d (rtcpeer facade) signalled ${JSON.stringify(candidateTypes(trickled(d)))}; getIceStats() selected ${JSON.stringify(facadeSelected(report) ?? null)}`);
    return { hosts: hostCandidates(trickled(c)), selected: facadeSelected(report) };
  } catch (e) {
    throw withLogs(e, c, d);
  }
}

function assertResolvedAsHost(lab: Lab, seen: Seen): void {
  assert.ok(seen.hosts.length > 0, 'c signalled host candidates');
  for (const [addr] of seen.hosts) assert.match(addr, /^[0-9a-f-]{36}\.local$/, 'c hides its host address behind an mDNS name');
  assert.ok(seen.selected, "d's getIceStats() shows a selected pair");
  assert.equal(seen.selected?.remote.type, 'host', "d's selected pair: remote candidate is host (resolved), not prflx");
  assert.equal(seen.selected?.remote.address, lab.addr('c'), "d's selected pair: remote address is c's, resolved from the .local name");
  assert.ok(seen.hosts.some(([, port]) => port === seen.selected?.remote.port), 'the selected remote port is that of a signalled .local candidate');
}

/** What the listener in d heard: a query from d for one of c's names, answered from c with c's address. */
function assertMulticastResolution(lab: Lab, packets: readonly MdnsPacket[], names: readonly string[]): void {
  console.log(`mDNS heard in d:\n${describeMdns(packets)}`);
  const asked = packets.filter((p) => !p.response && p.src === lab.addr('d') && p.names.some((n) => names.includes(n)));
  assert.ok(asked.length > 0, `d multicast a query for ${names.join(',')}`);
  const firstQuery = Math.min(...asked.map((p) => p.ms));
  const answered = packets.filter((p) => p.response && p.ms >= firstQuery && p.src === lab.addr('c') && p.names.some((n) => names.includes(n)) && p.addresses.includes(lab.addr('c')));
  assert.ok(answered.length > 0, `c answered d's query for ${names.join(',')} with ${lab.addr('c')} (an announcement before the query does not count)`);
}

/** Runs `body` with the mDNS listener in d, stopped before `check` gets what it heard. */
async function withListener(lab: Lab, body: () => Promise<Seen>, check: (packets: MdnsPacket[], seen: Seen) => void): Promise<Seen> {
  const listener = await listenMdns(lab, 'd');
  let packets: MdnsPacket[] | undefined;
  try {
    const seen = await body();
    packets = await listener.stop();
    check(packets, seen);
    return seen;
  } finally {
    if (!packets) await listener.stop();
  }
}

const skipChromium = labSkipReason() ?? chromiumSkipReason();
for (const cOffers of [true, false]) {
  const role = cOffers ? 'Chromium offers' : 'rtcpeer offers';
  test(`lab: Chromium's default mDNS host candidates are resolved by rtcpeer (facade) as host candidates (${role})`, { skip: skipChromium, timeout: 90_000 }, async () => {
    await withLab({ lan: true, name: 'rtn' }, async (lab) => {
      const chrome = chromiumIn(lab, 'c', true);
      const rtc = facadeIn(lab, 'd', { config: {}, log: 'info' });
      const check = (packets: MdnsPacket[], seen: Seen): void => {
        assertMulticastResolution(lab, packets, seen.hosts.map(([n]) => n));
        assertResolvedAsHost(lab, seen);
      };
      try {
        await withListener(lab, async () => {
          const seen = await mdnsSession(lab, chrome, rtc, cOffers);
          console.log(`Chromium selected ${JSON.stringify((await chromiumStats(chrome)).selected)}`);
          return seen;
        }, check);
      } finally {
        await stopAll(chrome, rtc);
      }
    });
  });
}

const skipFacade = labSkipReason();
test('lab: rtcpeer <-> rtcpeer, one side publishing mDNS names (nodeBinding mdnsPublish), the other resolving them through the facade', { skip: skipFacade, timeout: 60_000 }, async (t: TestContext) => {
  await withLab({ lan: true, name: 'rtf' }, async (lab) => {
    const pub = facadeIn(lab, 'c', { config: {}, publishMdns: true, log: 'info' });
    const res = facadeIn(lab, 'd', { config: {}, log: 'info' });
    try {
      await withListener(lab, () => mdnsSession(lab, pub, res, true), (packets, seen) => {
        assertMulticastResolution(lab, packets, seen.hosts.map(([n]) => n));
        assertResolvedAsHost(lab, seen);
      });
      const signalled = (await facadeReport(pub)).signalled;
      t.diagnostic(`signalled by c: ${JSON.stringify(signalled)}`);
      const hosts = signalled.filter((c) => / typ host/.test(c));
      assert.ok(hosts.length > 0 && hosts.every((c) => /^candidate:\S+ 1 udp \d+ [0-9a-f-]{36}\.local \d+ typ host/.test(c)), `c signals host candidates by name only: ${hosts.join(' | ')}`);
      assert.ok(!signalled.some((c) => c.includes(lab.addr('c'))), 'c never signals its address');
    } finally {
      await stopAll(pub, res);
    }
  });
});
