/**
 * coturn (Debian package `coturn`) for tests: a config written into a temp dir, started by PID,
 * stopped by PID in `stop()` (call it in `finally`; also on process exit). Loopback by default; the
 * root lab runs it inside a namespace through `spawnIn`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface CoturnOptions {
  /** Address to listen and relay on (default 127.0.0.1). */
  readonly ip?: string;
  readonly port: number;
  /** TLS port (needs cert/key); absent = no TLS listener. */
  readonly tlsPort?: number;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly minPort: number;
  readonly maxPort: number;
  /** Command prefix, e.g. ['ip', 'netns', 'exec', 'lab-turn']. */
  readonly prefix?: readonly string[];
}

export interface Coturn {
  readonly proc: ChildProcess;
  readonly dir: string;
  log(): string;
  stop(): Promise<void>;
}

export const TURN_USER = 'lab';
export const TURN_PASS = 'labpass';

export function coturnSkipReason(): string | undefined {
  return spawnSync('sh', ['-c', 'command -v turnserver']).status === 0 ? undefined : 'needs coturn (apt-get install coturn)';
}

function config(o: CoturnOptions, dir: string): string {
  const ip = o.ip ?? '127.0.0.1';
  const lines = [
    `listening-ip=${ip}`,
    `relay-ip=${ip}`,
    `listening-port=${o.port}`,
    `min-port=${o.minPort}`,
    `max-port=${o.maxPort}`,
    'lt-cred-mech',
    `user=${TURN_USER}:${TURN_PASS}`,
    'realm=lab.test',
    'fingerprint',
    'no-dtls',
    'no-cli',
    'no-multicast-peers',
    `userdb=${join(dir, 'turndb')}`,
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `log-file=${join(dir, 'turnserver.log')}`,
    'simple-log',
    'verbose',
  ];
  if (ip.startsWith('127.')) lines.push('allow-loopback-peers', 'allowed-peer-ip=127.0.0.1');
  else lines.push('allowed-peer-ip=198.18.0.0-198.19.255.255');
  if (o.tlsPort !== undefined && o.certFile && o.keyFile) lines.push(`tls-listening-port=${o.tlsPort}`, `cert=${o.certFile}`, `pkey=${o.keyFile}`);
  else lines.push('no-tls');
  return `${lines.join('\n')}\n`;
}

async function waitTcp(host: string, port: number, ms: number, prefix: readonly string[]): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok =
      prefix.length > 0
        ? spawnSync(prefix[0] as string, [...prefix.slice(1), 'sh', '-c', `exec 3<>/dev/tcp/${host}/${port}`], { shell: false }).status === 0 ||
          spawnSync(prefix[0] as string, [...prefix.slice(1), 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`]).status === 0
        : await new Promise<boolean>((resolve) => {
            const s = connect({ host, port }, () => (s.destroy(), resolve(true)));
            s.on('error', () => resolve(false));
          });
    if (ok) return true;
    await delay(50);
  }
  return false;
}

export async function startCoturn(o: CoturnOptions): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'rtcpeer-coturn-'));
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(conf, config(o, dir));
  const prefix = o.prefix ?? [];
  const argv = [...prefix, 'turnserver', '-c', conf];
  const proc = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
  const kill = (): void => {
    if (proc.exitCode === null && proc.pid !== undefined) process.kill(proc.pid, 'SIGTERM');
  };
  process.once('exit', kill);
  const log = (): string => {
    try {
      return readFileSync(join(dir, 'turnserver.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    process.off('exit', kill);
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      kill();
      await Promise.race([exited, delay(3000)]);
      if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) process.kill(proc.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitTcp(o.ip ?? '127.0.0.1', o.port, 5000, prefix))) {
    const l = log();
    await stop();
    throw new Error(`coturn did not start listening on ${o.port}: ${l.slice(-800)}`);
  }
  return { proc, dir, log, stop };
}

/**
 * coturn on 127.0.0.1 at a random base port (listening on `base`, TLS on `base + 1`, relays from
 * `base + 10`), tried again at another base when a port was taken meanwhile: the range overlaps the
 * ephemeral ports that the suite's other sockets get (a run failed on errno 98, EADDRINUSE).
 */
export async function startLoopbackCoturn(options: (base: number) => CoturnOptions, attempts = 3): Promise<{ turn: Coturn; base: number }> {
  for (let i = 1; ; i++) {
    const base = 30000 + Math.floor(Math.random() * 20000);
    try {
      return { turn: await startCoturn(options(base)), base };
    } catch (e) {
      if (i >= attempts || !(e instanceof Error && e.message.includes('errno=98'))) throw e;
    }
  }
}
