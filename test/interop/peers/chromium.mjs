/* global window, navigator, RTCPeerConnection, TextDecoder, TextEncoder, crypto */
// Peer driver: headless Chromium (Debian's /usr/bin/chromium via playwright-core), its page's own
// RTCPeerConnection, over the JSON-lines protocol of stdio.mjs. Start it inside a lab network
// namespace: Chromium gathers no loopback candidates. Signalling goes through page.evaluate.
// Op `stats` returns Chromium's selected candidate pair and candidates from getStats().
//   node chromium.mjs [--no-mdns] [--snap]   (--no-mdns adds --disable-features=WebRtcHideLocalIpsWithMdns;
//   --snap enables Chromium's SNAP, a=sctp-init (draft-hancke-tsvwg-snap), with
//   --enable-blink-features=WebRtcSctpSnap, and fails an offer or answer where either side lacks the line;
//   --sped enables Chromium's DTLS-in-STUN, draft-hancke-webrtc-sped, with its field trial
//   WebRTC-IceHandshakeDtls, and fails an offer or answer without the ice-option goog-sped-v1)
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, serve } from './stdio.mjs';
import { payload } from './stdio.mjs';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const noMdns = process.argv.includes('--no-mdns');
const snap = process.argv.includes('--snap');
const sped = process.argv.includes('--sped');
/** With --snap both descriptions must carry a=sctp-init, with --sped goog-sped-v1, or the case did not test it. */
function needInit(sdp, whose) {
  if (snap && !/\r?\na=sctp-init:/.test(sdp)) throw new Error(`SNAP: ${whose} has no a=sctp-init`);
  if (sped && !/\r?\na=ice-options:[^\r\n]*\bgoog-sped-v1\b/.test(sdp)) throw new Error(`SPED: ${whose} has no ice-option goog-sped-v1`);
  return sdp;
}
const userDataDir = mkdtempSync(join(tmpdir(), 'rtcpeer-chromium-'));
let ctx;
let page;

// Runs in the page. Channels by key; events go back through the exposed `emitEv` binding.
function pageSetup(payloadSrc) {
  const payload = new Function(`return (${payloadSrc})`)();
  const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const enc = new TextEncoder();
  const lab = (window.lab = { channels: new Map(), inCount: 0, chain: Promise.resolve(), gathered: null });
  const ev = (e) => window.emitEv(e);
  lab.watch = (key, dc, announce) => {
    lab.channels.set(key, dc);
    dc.binaryType = 'arraybuffer';
    if (announce) ev({ ev: 'channel', key, label: dc.label, protocol: dc.protocol, sid: dc.id, ordered: dc.ordered, maxRetransmits: dc.maxRetransmits, maxPacketLifeTime: dc.maxPacketLifeTime, negotiated: dc.negotiated });
    const opened = () => ev({ ev: 'open', key, sid: dc.id });
    if (dc.readyState === 'open') opened();
    else dc.onopen = opened;
    dc.onclose = () => { lab.chain = lab.chain.then(() => ev({ ev: 'closed', key })); };
    dc.onmessage = (e) => {
      const text = typeof e.data === 'string';
      const bytes = text ? enc.encode(e.data) : new Uint8Array(e.data);
      lab.chain = lab.chain
        .then(async () => ev({ ev: 'message', key, text, len: bytes.length, sha: hex(await crypto.subtle.digest('SHA-256', bytes)) }))
        .catch((err) => console.log(`message report failed: ${err}`));
    };
  };
  lab.init = (trickle) => {
    const pc = (lab.pc = new RTCPeerConnection({ iceServers: [] }));
    lab.trickle = trickle;
    lab.gathered = new Promise((res) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && res()));
    pc.onicecandidate = (e) => { if (e.candidate && e.candidate.candidate && trickle) ev({ ev: 'candidate', candidate: e.candidate.candidate, mid: e.candidate.sdpMid }); };
    pc.onconnectionstatechange = () => ev({ ev: 'state', state: pc.connectionState });
    pc.ondatachannel = (e) => lab.watch(`in${lab.inCount++}`, e.channel, true);
    return navigator.userAgent;
  };
  lab.local = async () => {
    if (!lab.trickle) await lab.gathered;
    return lab.pc.localDescription.sdp;
  };
  lab.send = async (key, text, size, seed, count) => {
    const dc = lab.channels.get(key);
    for (let i = 0; i < count; i++) {
      while (dc.bufferedAmount > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 2));
      const bytes = payload(size, seed + i);
      dc.send(text ? new TextDecoder('latin1').decode(bytes) : bytes);
    }
  };
}

serve(
  {
    async init(m) {
      ctx = await chromium.launchPersistentContext(userDataDir, {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [...FLAGS, ...(noMdns ? ['--disable-features=WebRtcHideLocalIpsWithMdns'] : []), ...(snap ? ['--enable-blink-features=WebRtcSctpSnap'] : []), ...(sped ? ['--force-fieldtrials=WebRTC-IceHandshakeDtls/Enabled/'] : [])],
      });
      page = ctx.pages()[0] ?? (await ctx.newPage());
      // A secure context (crypto.subtle) without any network: the page is served by Playwright itself.
      await page.route('https://rtcpeer.invalid/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rtcpeer interop</title>' }));
      await page.goto('https://rtcpeer.invalid/');
      await page.exposeBinding('emitEv', (_src, e) => emit(e));
      page.on('console', (msg) => process.stderr.write(`[page] ${msg.text()}\n`));
      await page.evaluate(pageSetup, payload.toString());
      const ua = await page.evaluate((t) => window.lab.init(t), m.trickle !== false);
      return { version: `Chromium ${ctx.browser()?.version() ?? ua.match(/Chrome\/([\d.]+)/)?.[1]}${noMdns ? ' mDNS off' : ' mDNS on'}${snap ? ' SNAP' : ''}${sped ? ' SPED' : ''}` };
    },
    channel(m) {
      return page.evaluate(({ key, label, options }) => void window.lab.watch(key, window.lab.pc.createDataChannel(label, options ?? {}), false), m);
    },
    async offer() {
      const sdp = await page.evaluate(async () => {
        const pc = window.lab.pc;
        await pc.setLocalDescription(await pc.createOffer());
        return window.lab.local();
      });
      return { sdp: needInit(sdp, "Chromium's offer") };
    },
    async answer(m) {
      needInit(m.sdp, 'the offer to Chromium');
      const sdp = await page.evaluate(async (offer) => {
        const pc = window.lab.pc;
        await pc.setRemoteDescription({ type: 'offer', sdp: offer });
        await pc.setLocalDescription(await pc.createAnswer());
        return window.lab.local();
      }, m.sdp);
      return { sdp: needInit(sdp, "Chromium's answer") };
    },
    remote(m) {
      if (m.type === 'answer') needInit(m.sdp, 'the answer to Chromium');
      return page.evaluate(({ type, sdp }) => window.lab.pc.setRemoteDescription({ type, sdp }), m);
    },
    candidate(m) {
      return page.evaluate(({ candidate, mid }) => window.lab.pc.addIceCandidate({ candidate, sdpMid: mid ?? '0' }), m);
    },
    send(m) {
      return page.evaluate(({ key, text, size, seed, count }) => window.lab.send(key, text, size, seed, count ?? 1), m);
    },
    closeChannel(m) {
      return page.evaluate((key) => window.lab.channels.get(key).close(), m.key);
    },
    // The pair Chromium's ICE selected and every candidate it knows (RTCStatsReport; `address` of a
    // remote candidate is what Chromium learned, e.g. a prflx or relay address).
    stats() {
      return page.evaluate(async () => {
        const report = [...(await window.lab.pc.getStats()).values()];
        const byId = new Map(report.map((r) => [r.id, r]));
        const cand = (c) => c && { type: c.candidateType, address: c.address, port: c.port, protocol: c.protocol, relayProtocol: c.relayProtocol };
        const transport = report.find((r) => r.type === 'transport' && r.selectedCandidatePairId);
        const pair = transport ? byId.get(transport.selectedCandidatePairId) : report.find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded');
        return {
          selected: pair ? { local: cand(byId.get(pair.localCandidateId)), remote: cand(byId.get(pair.remoteCandidateId)) } : null,
          local: report.filter((r) => r.type === 'local-candidate').map(cand),
          remote: report.filter((r) => r.type === 'remote-candidate').map(cand),
        };
      });
    },
    info() {
      return page.evaluate(() => ({
        state: window.lab.pc.connectionState,
        channels: [...window.lab.channels].map(([key, dc]) => ({ key, state: dc.readyState, id: dc.id, label: dc.label, buffered: dc.bufferedAmount })),
      }));
    },
    close() {
      return page.evaluate(() => window.lab.pc.close());
    },
    async exit() {
      await ctx?.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      setTimeout(() => process.exit(0), 10);
    },
  },
  async () => {
    await ctx?.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    process.exit(0);
  },
);
