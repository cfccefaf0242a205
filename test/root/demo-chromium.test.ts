/**
 * `npm start` end to end in the lab: the demo program (signaling server, web page, rtcpeer bot) runs
 * in namespace `b` (198.18.2.2, the bot gathers only there); headless Chromium runs in namespace `a`
 * (198.18.1.2; Chromium gathers no loopback candidates), loads the demo page over HTTP, joins the
 * bot's lobby with its own RTCPeerConnection, chats with the bot and sees round-trip times; then it
 * creates a lobby of its own (mesh, then client/server) and invites the bot. Needs root and /usr/bin/chromium; skips otherwise.
 * Namespaces and processes (demo by PID, Chromium through Playwright and netns.sh down) go away
 * whatever happens.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { demoArgs, demoEnv, parseDemoOutput } from '../demo/helpers.js';
import { Lab, labSkipReason } from './lab.js';

const skip = labSkipReason() ?? (existsSync('/usr/bin/chromium') ? undefined : 'needs /usr/bin/chromium (apt-get install chromium)');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface PageState {
  readonly myId: number;
  readonly lobby: string;
  readonly lines: readonly string[];
  readonly peers: readonly { readonly id: number; readonly open: boolean; readonly rtts: readonly number[]; readonly state: string }[];
}

function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { demo: { myId: number; lobby: string; lines: string[]; peers: Map<number, { open: boolean; rtts: number[]; pc: { connectionState: string } }> } }).demo;
    return { myId: d.myId, lobby: d.lobby, lines: [...d.lines], peers: [...d.peers].map(([id, p]) => ({ id, open: p.open, rtts: [...p.rtts], state: p.pc.connectionState })) };
  });
}

async function waitPage(page: Page, what: string, done: (s: PageState) => boolean, ms = 30_000): Promise<PageState> {
  const end = performance.now() + ms;
  let s = await pageState(page);
  while (!done(s)) {
    if (performance.now() > end) assert.fail(`timed out: ${what}; page state ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
    s = await pageState(page);
  }
  return s;
}

/** Joins (or creates) from the page, then checks connection, greeting, chat replies and RTT. */
async function chatWithBot(page: Page, action: '#join' | '#create', word: string): Promise<{ bot: number; rtts: readonly number[] }> {
  const from = (await pageState(page)).lines.length; // only lines of this round count
  await page.click(action);
  const s = await waitPage(page, 'bot connected', (st) => st.peers.some((p) => p.open) && st.lines.slice(from).some((l) => /I am the rtcpeer bot/.test(l)));
  const bot = s.peers.find((p) => p.open)?.id ?? 0;
  assert.ok(s.lines.slice(from).some((l) => l.startsWith(`peer ${bot}: hello peer ${s.myId}, I am the rtcpeer bot`)), s.lines.join('\n'));
  for (const text of [word, '/peers']) {
    await page.fill('#chat', text);
    await page.press('#chat', 'Enter');
  }
  const after = await waitPage(page, 'bot replies', (st) => st.lines.slice(from).some((l) => l.startsWith(`peer ${bot}: peers of the bot`)));
  const lines = after.lines.slice(from);
  assert.ok(lines.includes(`peer ${bot}: you said "${word}" (${[...word].length} characters)`), lines.join('\n'));
  assert.ok(lines.includes(`peer ${bot}: peers of the bot: ${s.myId}`), lines.join('\n'));
  const rtt = await waitPage(page, 'round trips', (st) => (st.peers.find((p) => p.id === bot)?.rtts.length ?? 0) >= 2);
  return { bot, rtts: rtt.peers.find((p) => p.id === bot)?.rtts ?? [] };
}

test('npm start demo: Chromium in a namespace chats with the rtcpeer bot through the demo page', { skip, timeout: 180_000 }, async () => {
  const lab = Lab.create({ name: 'rtd' });
  const userDataDir = mkdtempSync(join(tmpdir(), 'rtcpeer-demo-chromium-'));
  let ctx: BrowserContext | undefined;
  try {
    const host = lab.addr('b');
    const demo = lab.spawn('b', process.execPath, demoArgs(['--host', host, '--bot-address', host, '--port', '9080', '--http-port', '8080']), { env: demoEnv() });
    await demo.waitFor(/open\s+http:\S+/, 60_000);
    const info = parseDemoOutput(demo.stdout);
    assert.ok(info, demo.stdout);
    assert.equal(info.pageUrl, `http://${host}:8080/`);
    ctx = await chromium.launchPersistentContext(userDataDir, { ...lab.chromium('a'), headless: true, args: FLAGS });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('console', (m) => console.log(`[page] ${m.text()}`));
    await page.goto(info.pageUrl);
    assert.equal(await page.inputValue('#lobby'), info.lobby);

    const first = await chatWithBot(page, '#join', 'hello from Chromium ✓');
    const joined = await pageState(page);
    assert.equal(joined.lobby, info.lobby);
    console.log(`Chromium (peer ${joined.myId}) <-> bot (peer ${first.bot}) in lobby ${info.lobby}: rtt ${first.rtts.map((r) => r.toFixed(2)).join(', ')} ms`);

    const second = await chatWithBot(page, '#create', 'my own lobby');
    const created = await pageState(page);
    assert.notEqual(created.lobby, info.lobby);
    assert.ok(created.lines.includes('the bot was invited'));
    console.log(`Chromium (peer ${created.myId}) <-> bot (peer ${second.bot}) in created lobby ${created.lobby}: rtt ${second.rtts.map((r) => r.toFixed(2)).join(', ')} ms`);
    // Client/server: the page hosts (id 1, create_server) and the bot joins as a client.
    await page.uncheck('#mesh');
    const third = await chatWithBot(page, '#create', 'client/server');
    const cs = await pageState(page);
    assert.equal(cs.myId, 1);
    assert.ok(cs.lines.includes('you are peer 1 (server)'), cs.lines.join('\n'));
    console.log(`Chromium (server, peer 1) <-> bot (client, peer ${third.bot}) in lobby ${cs.lobby}: rtt ${third.rtts.map((r) => r.toFixed(2)).join(', ')} ms`);
    assert.match(demo.stdout, /peer \d+: hello from Chromium ✓/);
    await ctx.close();
    ctx = undefined;
    await demo.stop();
    assert.equal(await demo.exited, 0, `demo exit: ${demo.stdout} ${demo.stderr}`);
  } finally {
    await ctx?.close().catch(() => undefined);
    await lab.destroy();
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
