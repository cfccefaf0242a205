// Workload "many": as many concurrent connections (one open channel each) as the process pair can
// establish within `limitMs`, up to `max`, with at most `window` handshakes in flight. A connection
// counts once its channel is open on both sides. RSS per connection = (RSS after - RSS before) /
// open connections, per side, measured once in-flight handshakes settled (≤ `graceMs`).
// With `shared` (default), side B plays a server: when its adapter has useSharedSocket() (rtcpeer),
// all its connections share one UDP socket; side A keeps a port per connection, as browsers do.
// Each side reports its open file descriptors at the measurement.
import { readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { answerer, dial } from '../lib/conn.mjs';

export const params = (quick) => ({ max: quick ? 10 : 1000, limitMs: quick ? 5000 : 60000, window: 50, perConnTimeoutMs: 20000, graceMs: 5000, shared: true });

/** Open file descriptors of this process (Linux /proc; undefined elsewhere). */
function openFds() {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}
export const timeoutMs = (p) => p.limitMs + p.graceMs + 60000;

export async function A(ctx) {
  const { max, limitMs, window, perConnTimeoutMs, graceMs } = ctx.params;
  const rss0 = process.memoryUsage().rss;
  const t0 = ctx.now();
  const bOpen = new Map();
  void (async () => {
    for (;;) {
      const m = await ctx.recv('open');
      bOpen.get(m.id)?.();
    }
  })();
  const peers = [];
  let established = 0;
  let tLast = t0;
  let failed = 0;
  let error;
  let inflight = 0;
  let next = 0;
  const one = async (id) => {
    inflight++;
    const onB = new Promise((r) => bOpen.set(id, r));
    const timeout = delay(perConnTimeoutMs).then(() => 'timeout');
    try {
      const c = await Promise.race([dial(ctx, id, `c${id}`), timeout]);
      if (c === 'timeout') return void failed++;
      peers.push(c.peer);
      if ((await Promise.race([onB, timeout])) === 'timeout') return void failed++;
      if (ctx.now() - t0 <= limitMs) {
        established++;
        tLast = ctx.now();
      }
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/not open after/.test(msg)) failed++;
      else error = msg; // e.g. out of file descriptors: stop opening more
    } finally {
      inflight--;
    }
  };
  while (next < max && ctx.now() - t0 < limitMs && error === undefined) {
    if (inflight < window) void one(next++);
    else await delay(1);
  }
  while (inflight > 0 && ctx.now() - t0 < limitMs + graceMs) await delay(5);
  if (established === 0) throw new Error(`no connection established in ${limitMs / 1000} s${error ? ` (${error})` : ''} (${failed} failed)`);
  ctx.post({ kind: 'measure' });
  const rss = process.memoryUsage().rss;
  const fds = openFds();
  await ctx.recv('measured');
  return { started: next, established, seconds: (tLast - t0) / 1000, failed, error, rss0, rss, open: peers.length, fds };
}

export async function B(ctx) {
  const rss0 = process.memoryUsage().rss;
  const shared = ctx.params.shared === true && typeof ctx.adapter.useSharedSocket === 'function';
  if (shared) ctx.adapter.useSharedSocket();
  const acc = answerer(ctx);
  let open = 0;
  void (async () => {
    for (;;) {
      const c = await acc.next();
      open++;
      ctx.post({ kind: 'open', id: c.id });
    }
  })();
  await ctx.recv('measure');
  const rss = process.memoryUsage().rss;
  const fds = openFds();
  ctx.post({ kind: 'measured' });
  return { rss0, rss, open, fds, shared };
}

const KiB = 1024;
export function summarize(p, a, b) {
  const per = (s) => (s.open > 0 ? (s.rss - s.rss0) / s.open / KiB : NaN);
  return [
    { key: 'many.established', label: `many: open in ${p.limitMs / 1000} s (max ${p.max})`, unit: 'conns', better: 'higher', value: a.established },
    { key: 'many.seconds', label: 'many: time to open them', unit: 's', better: 'lower', value: a.seconds },
    { key: 'many.rssOfferer', label: 'many: RSS/conn offerer', unit: 'KiB', better: 'lower', value: per(a) },
    { key: 'many.rssAnswerer', label: 'many: RSS/conn answerer', unit: 'KiB', better: 'lower', value: per(b) },
    { key: 'many.failed', label: 'many: handshakes timed out', unit: 'conns', better: 'lower', value: a.failed },
    ...(a.fds !== undefined ? [{ key: 'many.fdsOfferer', label: 'many: open fds offerer', unit: 'fds', better: 'lower', value: a.fds }] : []),
    ...(b.fds !== undefined ? [{ key: 'many.fdsAnswerer', label: 'many: open fds answerer', unit: 'fds', better: 'lower', value: b.fds }] : []),
    ...(a.error ? [{ key: 'many.error', label: 'many: stopped by', unit: '', better: 'none', value: a.error }] : []),
  ];
}
