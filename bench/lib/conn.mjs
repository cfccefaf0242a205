// Connection helpers shared by the workloads. The offerer side ("A") dials; the answerer side ("B")
// creates a peer for each connection id it first hears about. Times are ctx.now() (shared clock).

import { setTimeout, clearTimeout } from 'node:timers';

/** Rejects when a connection is not open on the dialling side within this time. */
export const CONNECT_TIMEOUT_MS = 15000;

/** Closes a connection; later signalling for its id is ignored (not answered by a new peer). */
function closeConn(ctx, id, peer) {
  ctx.signalHandlers.set(id, () => {});
  peer.close();
}

/** A: creates a peer and a channel, starts negotiation; resolves when the channel is open on A. */
export function dial(ctx, id, label, opts = {}) {
  const t0 = ctx.now();
  const peer = ctx.adapter.createPeer({ onSignal: (msg) => ctx.post({ kind: 'sig', id, msg }), onChannel: () => {} });
  ctx.signalHandlers.set(id, (msg) => peer.signal(msg));
  const ch = peer.createChannel(label, opts);
  const opened = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connection ${id} not open after ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve({ id, peer, ch, t0, tOpen: ctx.now(), close: () => closeConn(ctx, id, peer) });
    };
    if (ch.isOpen()) done();
    else ch.onOpen(done);
  });
  peer.start();
  return opened;
}

/** B: answers every new connection id; `next()` resolves with the next channel open on B. */
export function answerer(ctx) {
  const ready = [];
  const waiting = [];
  const all = new Map();
  const deliver = (c) => (waiting.length > 0 ? waiting.shift()(c) : ready.push(c));
  ctx.onNewConnection = (id) => {
    const peer = ctx.adapter.createPeer({
      onSignal: (msg) => ctx.post({ kind: 'sig', id, msg }),
      onChannel: (ch) => {
        // Take messages from the start; the workload replaces this handler before asking for data.
        ch.onMessage(() => {});
        const done = () => deliver({ id, peer, ch, tOpen: ctx.now(), close: () => closeConn(ctx, id, peer) });
        if (ch.isOpen()) done();
        else ch.onOpen(done);
      },
    });
    all.set(id, peer);
    ctx.signalHandlers.set(id, (msg) => peer.signal(msg));
  };
  return {
    next: () => (ready.length > 0 ? Promise.resolve(ready.shift()) : new Promise((r) => waiting.push(r))),
    peers: all,
  };
}
