/**
 * Two peer processes joined by an in-test signalling channel: offer/answer and (optionally)
 * trickled candidates, queued until the receiving side has its remote description.
 */
import { payload, sha256 } from '../peers/stdio.mjs';
import type { PeerEvent, PeerProcess } from './peer-process.js';

export interface SessionOptions {
  /** Candidates trickled (true) or all in the SDP (false). */
  readonly trickle: boolean;
  /** Address each side binds: [offerer, answerer]. */
  readonly bind: readonly [string, string];
  readonly connectTimeoutMs?: number;
}

/** Forwards `from`'s candidate events to `to`, holding them until `to` has a remote description. */
function relayCandidates(from: PeerProcess, to: PeerProcess, ready: Promise<unknown>, errors: string[]): () => void {
  return from.onEvent((e) => {
    if (e.ev !== 'candidate') return;
    void ready
      .then(() => to.request('candidate', { candidate: e['candidate'], mid: e['mid'] }))
      .catch((err: unknown) => errors.push(`${to.name} refused ${String(e['candidate'])}: ${String(err)}`));
  });
}

/** Signals offerer -> answerer; the offerer creates channel `main` first. Resolves when both see it open. */
export async function connect(offerer: PeerProcess, answerer: PeerProcess, o: SessionOptions): Promise<{ answererKey: string; errors: string[]; offer: string; answer: string }> {
  const timeout = o.connectTimeoutMs ?? 20_000;
  await Promise.all([
    offerer.request('init', { bind: o.bind[0], trickle: o.trickle }, 30_000),
    answerer.request('init', { bind: o.bind[1], trickle: o.trickle }, 30_000),
  ]);
  await offerer.request('channel', { key: 'main', label: 'main', options: {} });
  const errors: string[] = [];
  let answererReady!: () => void;
  let offererReady!: () => void;
  const aReady = new Promise<void>((r) => (answererReady = r));
  const oReady = new Promise<void>((r) => (offererReady = r));
  if (o.trickle) {
    relayCandidates(offerer, answerer, aReady, errors);
    relayCandidates(answerer, offerer, oReady, errors);
  }
  const offer = String((await offerer.request('offer', {}, timeout))['sdp']);
  const answer = String((await answerer.request('answer', { sdp: offer }, timeout))['sdp']);
  answererReady();
  await offerer.request('remote', { type: 'answer', sdp: answer }, timeout);
  offererReady();
  await offerer.waitEvent((e) => e.ev === 'open' && e.key === 'main', timeout, 'main open at offerer');
  const ch = await answerer.waitEvent((e) => e.ev === 'channel' && e['label'] === 'main', timeout, 'main announced at answerer');
  const key = String(ch.key);
  await answerer.waitEvent((e) => e.ev === 'open' && e.key === key, timeout, 'main open at answerer');
  return { answererKey: key, errors, offer, answer };
}

export interface Send {
  readonly text: boolean;
  readonly size: number;
  readonly seed: number;
  readonly count?: number;
}

export const expectedSha = (size: number, seed: number): string => sha256(payload(size, seed));

/** Messages `to` has received on `key`, in arrival order. */
export function received(to: PeerProcess, key: string): PeerEvent[] {
  return to.events.filter((e) => e.ev === 'message' && e.key === key);
}

/**
 * Sends `s` from `from` (channel `fromKey`) and waits until `to` has all of them on `toKey`, byte-exact
 * (sha-256 and length) and of the right kind (text/binary). `ordered`: also in sending order.
 */
export async function transfer(from: PeerProcess, fromKey: string, to: PeerProcess, toKey: string, s: Send, opts: { ordered?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const count = s.count ?? 1;
  const before = received(to, toKey).length;
  const want = Array.from({ length: count }, (_, i) => expectedSha(s.size, s.seed + i));
  const timeoutMs = opts.timeoutMs ?? 6_000 + (s.size * (s.count ?? 1)) / 1000;
  await from.request('send', { key: fromKey, text: s.text, size: s.size, seed: s.seed, count }, timeoutMs);
  const got = await to.waitUntil(() => {
    const r = received(to, toKey).slice(before);
    return r.length >= count ? r : undefined;
  }, timeoutMs, `${count} message(s) of ${s.size} bytes on ${toKey}`);
  const shas = got.slice(0, count).map((e) => String(e['sha']));
  for (const e of got) {
    if (e['len'] !== s.size) throw new Error(`length ${String(e['len'])}, sent ${s.size}`);
    if (e['text'] !== s.text) throw new Error(`received as ${e['text'] ? 'text' : 'binary'}, sent as ${s.text ? 'text' : 'binary'}`);
  }
  if (got.length > count) throw new Error(`${got.length - count} extra message(s) on ${toKey}`);
  if (opts.ordered !== false) {
    const bad = shas.findIndex((h, i) => h !== want[i]);
    if (bad >= 0) throw new Error(`message ${bad} of ${count} differs (or out of order)`);
  } else if ([...shas].sort().join() !== [...want].sort().join()) {
    throw new Error('unordered messages differ from what was sent');
  }
}

/** a=max-message-size of a description (RFC 8841 §6: 64 KiB when absent, 0 = no limit). */
export function maxMessageSize(sdp: string): number {
  const m = /a=max-message-size:(\d+)/.exec(sdp);
  const v = m ? Number(m[1]) : 65536;
  return v === 0 ? 1 << 30 : v;
}
