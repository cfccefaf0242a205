import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { RawClient, withGuard } from './helpers.js';

/** Starting node with tsx takes seconds on a loaded machine. */
const SPAWN_MS = 30_000;
const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;

describe('rtcpeer signal (command line)', () => {
  it('serves the protocol on the given port and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'signal', '--port', '0', '--host', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const port = await withGuard(new Promise<number>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
      }), 'the listening line', SPAWN_MS);
      const c = await RawClient.open(port);
      c.send(0, 0, '');
      assert.deepEqual(await c.next(), { type: 1, id: 1, data: 'true' });
      child.kill('SIGINT');
      const [code] = (await withGuard(once(child, 'exit'), 'exit', SPAWN_MS)) as [number | null];
      assert.equal(code, 0);
      assert.equal((await c.closedWithin()).code, 1001);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects unknown commands and arguments with exit code 2', async () => {
    for (const args of [['bogus'], ['signal', '--port', 'x'], ['signal', '--nope']]) {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: 'ignore' });
      const [code] = (await withGuard(once(child, 'exit'), 'exit', SPAWN_MS)) as [number | null];
      assert.equal(code, 2, args.join(' '));
    }
  });
});
