import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Rng } from '../core/rng.js';
import { SeededRng } from '../core/rng.js';
import { SignalingServerCore, type SignalingAction } from './server-core.js';

function drain(core: SignalingServerCore): SignalingAction[] {
  const out: SignalingAction[] = [];
  for (let a = core.pollAction(); a; a = core.pollAction()) out.push(a);
  return out;
}

function frames(actions: SignalingAction[], conn: number): unknown[] {
  return actions.flatMap((a) => (a.kind === 'send' && a.conn === conn ? [JSON.parse(a.text)] : []));
}

const msg = (type: number, id: number, data = ''): string => JSON.stringify({ type, id, data });

/** An rng replaying fixed values (to force id and lobby-name collisions). */
function scripted(values: number[]): Rng {
  let i = 0;
  return { u32: () => values[i++ % values.length] as number, bytes: (n) => new Uint8Array(n) };
}

describe('SignalingServerCore (virtual clock)', () => {
  it('closes a peer exactly at the join timeout, not before, and never after it joined', () => {
    const core = new SignalingServerCore(new SeededRng(1), { joinTimeoutMs: 1000, pingIntervalMs: 0 });
    core.handleConnect(0, 1);
    core.handleConnect(0, 2);
    assert.equal(core.pollTimeout(), 1000);
    core.handleMessage(500, 2, msg(0, 0, ''));
    drain(core);
    core.handleTimeout(999);
    assert.deepEqual(drain(core), []);
    core.handleTimeout(1000);
    assert.deepEqual(drain(core), [{ kind: 'close', conn: 1, code: 4000, reason: 'Have not joined lobby yet' }]);
    assert.equal(core.pollTimeout(), undefined);
  });

  it('closes every member with 1000 "Seal complete" exactly sealCloseMs after SEAL', () => {
    const core = new SignalingServerCore(new SeededRng(2), { sealCloseMs: 10_000, pingIntervalMs: 0 });
    core.handleConnect(0, 1);
    core.handleConnect(0, 2);
    core.handleMessage(1, 1, msg(0, 0, ''));
    const lobby = (frames(drain(core), 1)[1] as { data: string }).data;
    core.handleMessage(2, 2, msg(0, 0, lobby));
    drain(core);
    core.handleMessage(100, 1, msg(7, 0));
    const sealed = drain(core);
    assert.deepEqual(frames(sealed, 1), [{ type: 7, id: 0, data: '' }]);
    assert.deepEqual(frames(sealed, 2), [{ type: 7, id: 0, data: '' }]);
    assert.equal(core.pollTimeout(), 10_100);
    core.handleTimeout(10_099);
    assert.deepEqual(drain(core), []);
    core.handleTimeout(10_100);
    assert.deepEqual(drain(core), [
      { kind: 'close', conn: 1, code: 1000, reason: 'Seal complete' },
      { kind: 'close', conn: 2, code: 1000, reason: 'Seal complete' },
    ]);
    // The host's disconnect deletes the lobby; the member's own close is not doubled.
    core.handleDisconnect(10_101, 1);
    assert.deepEqual(drain(core), []);
    assert.equal(core.lobbyCount, 0);
  });

  it('after SEAL a member leaving is not announced (the mesh outlives signaling)', () => {
    const core = new SignalingServerCore(new SeededRng(6), { pingIntervalMs: 0 });
    for (const conn of [1, 2, 3]) core.handleConnect(0, conn);
    core.handleMessage(0, 1, msg(0, 0, ''));
    const lobby = (frames(drain(core), 1)[1] as { data: string }).data;
    core.handleMessage(0, 2, msg(0, 0, lobby));
    core.handleMessage(0, 3, msg(0, 0, lobby));
    drain(core);
    core.handleDisconnect(1, 3);
    assert.equal(frames(drain(core), 1).length, 1, 'before SEAL: PEER_DISCONNECT to the host');
    core.handleMessage(2, 1, msg(7, 0));
    drain(core);
    core.handleDisconnect(3, 2);
    assert.deepEqual(drain(core), []);
  });

  it('a host leaving cancels the seal timer', () => {
    const core = new SignalingServerCore(new SeededRng(3), { pingIntervalMs: 0 });
    core.handleConnect(0, 1);
    core.handleMessage(0, 1, msg(0, 0, ''));
    core.handleMessage(0, 1, msg(7, 0));
    drain(core);
    assert.notEqual(core.pollTimeout(), undefined);
    core.handleDisconnect(5, 1);
    assert.equal(core.pollTimeout(), undefined);
  });

  it('pings every connection each interval', () => {
    const core = new SignalingServerCore(new SeededRng(4), { pingIntervalMs: 10_000, joinTimeoutMs: 50_000 }, 0);
    core.handleConnect(0, 1);
    core.handleConnect(0, 2);
    assert.equal(core.pollTimeout(), 10_000);
    core.handleTimeout(10_000);
    assert.deepEqual(drain(core), [{ kind: 'ping', conn: 1 }, { kind: 'ping', conn: 2 }]);
    assert.equal(core.pollTimeout(), 20_000);
  });

  it('refills the rate bucket with time', () => {
    const core = new SignalingServerCore(new SeededRng(5), { rateBurst: 2, ratePerSecond: 10, pingIntervalMs: 0 });
    core.handleConnect(0, 1);
    core.handleMessage(0, 1, msg(0, 0, ''));
    core.handleMessage(0, 1, msg(4, 1, 'a'));
    core.handleMessage(100, 1, msg(4, 1, 'b')); // one token back after 100 ms
    assert.ok(drain(core).every((a) => a.kind === 'send'));
    core.handleMessage(100, 1, msg(4, 1, 'c'));
    assert.deepEqual(drain(core), [{ kind: 'close', conn: 1, code: 4000, reason: 'Too many messages' }]);
  });

  it('never hands out 0, 1 or a taken id, even when the rng repeats itself', () => {
    // u32 0 maps to id 2 (ids are 2 + u32 mod (2^31 - 2)); the second peer draws 0 twice more
    // (taken) before 5, which gives 7.
    const core = new SignalingServerCore(scripted([0, 0, 0, 5]), { pingIntervalMs: 0 });
    core.handleConnect(0, 1);
    core.handleConnect(0, 2);
    core.handleMessage(0, 1, msg(0, 0, ''));
    const lobby = (frames(drain(core), 1)[1] as { data: string }).data;
    core.handleMessage(0, 2, msg(0, 0, lobby));
    const out = drain(core);
    assert.deepEqual(frames(out, 2)[0], { type: 1, id: 7, data: 'true' });
    assert.deepEqual(frames(out, 1), [{ type: 2, id: 7, data: '' }]);
    core.handleMessage(0, 2, msg(4, 2, 'to the host by its real id'));
    assert.deepEqual(frames(drain(core), 1), [{ type: 4, id: 7, data: 'to the host by its real id' }]);
  });

  it('random frames never throw and leave the core consistent', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.oneof(fc.string(), fc.constantFrom(
        msg(0, 0, ''), msg(0, 1, ''), msg(7, 0), msg(4, 1, 'x'), msg(5, 2, 'y'), msg(6, 1, '\n0\n0\nc'), msg(3, 0),
      ))), { maxLength: 40 }), (steps) => {
        const core = new SignalingServerCore(new SeededRng(9), { pingIntervalMs: 0 });
        for (let c = 1; c <= 4; c++) core.handleConnect(0, c);
        let t = 0;
        for (const [conn, text] of steps) {
          core.handleMessage((t += 10), conn, text);
          for (const a of drain(core)) if (a.kind === 'close') core.handleDisconnect(t, a.conn);
        }
        core.handleTimeout(t + 60_000);
        for (const a of drain(core)) if (a.kind === 'close') core.handleDisconnect(t, a.conn);
        assert.ok(core.peerCount <= 4);
      }),
      { numRuns: 300 },
    );
  });
});
