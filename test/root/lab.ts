/**
 * The namespace lab for root-only tests (test/root/): a TypeScript handle on scripts/lab/netns.sh.
 *
 * ```ts
 * if (labSkipReason()) return t.skip(labSkipReason());
 * await withLab({ nat: 'cone' }, async (lab) => {
 *   const srv = lab.spawn('b', process.execPath, ['test/root/lab-udp.mjs', 'server', '9000']);
 *   await srv.waitFor(/listening/);
 *   const out = await lab.run('a', process.execPath, ['test/root/lab-udp.mjs', 'client', lab.addr('b'), '9000', '100', '2']);
 *   lab.loss('a', 10);                              // nftables: drop 10 % of what a sends
 *   lab.wanem({ delayMs: 40, jitterMs: 5 });        // TUN shim in the router: every forwarded packet
 * });                                               // namespaces and child processes are gone here, pass or fail
 * ```
 *
 * Hosts: a 198.18.1.2, b 198.18.2.2, turn 198.18.3.2 (`turn: true`), nat 198.18.4.2 and priv
 * 198.19.0.2 behind it (`nat: 'cone' | 'symmetric'`), c 198.18.5.2 and d 198.18.5.3 on one switched
 * link (`lan: true`: mDNS multicast reaches the other host). Each lab has a unique name, so labs may run in
 * parallel. Cleanup kills every child this helper started, by PID, then whatever still runs in the
 * lab's namespaces (netns.sh down), then deletes them; it also runs on process exit and SIGINT/SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type LabHost = 'a' | 'b' | 'turn' | 'nat' | 'priv' | 'c' | 'd';
/** Hosts whose link goes straight to the router: loss(), rate() and wanem() apply to them. */
export type RoutedHost = 'a' | 'b' | 'turn' | 'nat';

export const LAB_ADDRESSES: Readonly<Record<LabHost, string>> = {
  a: '198.18.1.2',
  b: '198.18.2.2',
  turn: '198.18.3.2',
  nat: '198.18.4.2',
  priv: '198.19.0.2',
  c: '198.18.5.2',
  d: '198.18.5.3',
};

export interface LabOptions {
  /** Put `priv` behind a NAT box `nat` (Linux masquerade: cone keeps ports, symmetric randomises them). */
  readonly nat?: 'cone' | 'symmetric';
  /** Add the `turn` host. */
  readonly turn?: boolean;
  /** Add hosts `c` and `d` on one switched link (a bridge in the router), so link-local multicast
   * such as mDNS passes between them. */
  readonly lan?: boolean;
  /** Lab name prefix (default `rtl`); a unique suffix is always added. */
  readonly name?: string;
}

/** wanem.py settings (see scripts/lab/wanem.py); percentages are 0..100. */
export interface WanemOptions {
  readonly delayMs?: number;
  readonly jitterMs?: number;
  readonly lossPct?: number;
  readonly dupPct?: number;
  readonly reorderPct?: number;
  readonly reorderDelayMs?: number;
  readonly rateKbps?: number;
  /** Impair only packets from these CIDRs (e.g. `198.18.1.0/24` = what `a` sends). */
  readonly matchSrc?: readonly string[];
  readonly matchDst?: readonly string[];
  readonly seed?: number;
}

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NETNS_SH = fileURLToPath(new URL('../../scripts/lab/netns.sh', import.meta.url));
/** playwright-core `executablePath` that runs Chromium in the namespace named by $LAB_NS. */
export const CHROMIUM_NS_SH = fileURLToPath(new URL('../../scripts/lab/chromium-ns.sh', import.meta.url));
const STATE_ROOT = process.env['LAB_STATE_DIR'] ?? '/run/rtcpeer-lab';

/** Why lab tests cannot run here (not root, tools missing), or undefined when they can. */
export function labSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const tool of ['ip', 'nft', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool} (apt-get install iproute2 nftables python3)`;
  }
  if (!existsSync('/dev/net/tun')) return 'needs /dev/net/tun';
  return undefined;
}

/** A child process started inside a lab namespace. */
export class LabProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  /** How long stop() waits after SIGTERM before SIGKILL (captures get longer to flush their file). */
  graceMs = 1000;
  private exitCode: number | null | undefined;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exitCode = code ?? (signal ? null : 0);
        resolve(this.exitCode);
      });
      child.on('error', (e) => {
        this.stderr += String(e);
        this.exitCode = null;
        resolve(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Resolves when stdout (or stderr) matches `re`; rejects after `timeoutMs` or if the process exits first. */
  waitFor(re: RegExp, timeoutMs = 10_000, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpMatchArray> {
    const source = stream === 'stdout' ? this.child.stdout : this.child.stderr;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = this[stream].match(re);
        if (m) {
          cleanup();
          resolve(m);
        }
        return m !== null;
      };
      const onExit = (): void => {
        if (check()) return;
        cleanup();
        reject(new Error(`process ${this.pid} exited before ${re}: stdout=${this.stdout} stderr=${this.stderr}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timeout waiting for ${re} from ${this.pid}: stdout=${this.stdout} stderr=${this.stderr}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        source?.off('data', check);
        this.child.off('close', onExit);
      };
      source?.on('data', check);
      this.child.on('close', onExit);
      check();
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`, by PID; resolves when the process is gone. */
  async stop(graceMs = this.graceMs): Promise<void> {
    if (!this.running || this.pid === undefined) return;
    signalPid(this.pid, 'SIGTERM');
    const killer = setTimeout(() => signalPid(this.pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}

function signalPid(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

const liveLabs = new Set<Lab>();
let hooksInstalled = false;
let labCounter = 0;

/** Last-resort cleanup when the test process ends without destroy() (crash, signal). */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) lab.destroySync();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const lab of liveLabs) lab.destroySync();
      process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
    });
  }
}

function netns(args: readonly string[], timeoutMs = 30_000): string {
  const r = spawnSync('bash', [NETNS_SH, ...args], { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`netns.sh ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** One lab instance: namespaces, links, impairments and the processes started in it. */
export class Lab {
  private readonly children = new Set<LabProcess>();
  private destroyed = false;

  private constructor(
    readonly name: string,
    readonly options: LabOptions,
  ) {}

  /** Creates the namespaces (throws if that fails, after removing whatever was created). */
  static create(opts: LabOptions = {}): Lab {
    const reason = labSkipReason();
    if (reason !== undefined) throw new Error(`lab unavailable: ${reason}`);
    const name = `${opts.name ?? 'rtl'}${process.pid.toString(36)}x${(labCounter++).toString(36)}`;
    installExitHooks();
    const lab = new Lab(name, opts);
    liveLabs.add(lab);
    try {
      netns(['up', name, ...(opts.nat ? ['--nat', opts.nat] : []), ...(opts.turn ? ['--turn'] : []), ...(opts.lan ? ['--lan'] : [])]);
    } catch (e) {
      lab.destroySync();
      throw e;
    }
    return lab;
  }

  /** The namespace of a host, e.g. for Playwright's `ip netns exec` wrapper. */
  ns(host: LabHost): string {
    return `${this.name}-${host}`;
  }

  addr(host: LabHost): string {
    return LAB_ADDRESSES[host];
  }

  /** Starts `cmd args` inside `host`'s namespace (cwd: the repository). Tracked and stopped by PID. */
  spawn(host: LabHost, cmd: string, args: readonly string[] = [], opts: SpawnOptions = {}): LabProcess {
    if (this.destroyed) throw new Error(`lab ${this.name} is destroyed`);
    const child = spawn('ip', ['netns', 'exec', this.ns(host), cmd, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const p = new LabProcess(child);
    this.children.add(p);
    void p.exited.then(() => this.children.delete(p));
    return p;
  }

  /** Runs a command to completion inside `host` (killed after `timeoutMs`). */
  async run(host: LabHost, cmd: string, args: readonly string[] = [], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const p = this.spawn(host, cmd, args);
    const timer = setTimeout(() => void p.stop(), timeoutMs);
    const code = await p.exited;
    clearTimeout(timer);
    return { code, stdout: p.stdout, stderr: p.stderr };
  }

  /** Node with tsx inside `host`, running a TypeScript file of the repository. */
  node(host: LabHost, script: string, args: readonly string[] = []): LabProcess {
    return this.spawn(host, process.execPath, ['--import', 'tsx', script, ...args]);
  }

  /**
   * Launch settings for playwright-core's `chromium.launch({ ...lab.chromium('a'), headless: true, args })`:
   * Chromium then runs inside `host`'s namespace (and is killed by PID with the lab). Pass
   * `--no-sandbox` when root, and `--disable-features=WebRtcHideLocalIpsWithMdns` for plain host IPs.
   */
  chromium(host: LabHost): { executablePath: string; env: Record<string, string> } {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    return { executablePath: CHROMIUM_NS_SH, env: { ...env, LAB_NS: this.ns(host) } };
  }

  /**
   * Captures packets on `host`'s interface to a file (tcpdump: pcap, else dumpcap: pcapng), resolving
   * once the capture is running; stop the returned process (or destroy the lab) to finish the file.
   * Rejects when neither tool exists.
   */
  async capture(host: LabHost, file: string, iface = host === 'nat' ? 'wan' : 'eth0'): Promise<LabProcess> {
    const has = (t: string): boolean => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0;
    let p: LabProcess;
    if (has('tcpdump')) p = this.spawn(host, 'tcpdump', ['-i', iface, '-U', '-w', file]);
    else if (has('dumpcap')) p = this.spawn(host, 'dumpcap', ['-i', iface, '-w', file]);
    else throw new Error('capture needs tcpdump or dumpcap (apt-get install tcpdump)');
    p.graceMs = 10_000;
    await p.waitFor(/listening on|Capturing on/i, 15_000, 'stderr');
    return p;
  }

  /** Drops `pct` % of the packets `host` sends (nftables at the router). Rules add up; clear() resets. */
  loss(host: RoutedHost, pct: number): void {
    netns(['loss', this.name, host, String(pct)]);
  }

  /** Token-bucket rate on both directions of `host`'s link, e.g. '2mbit'. */
  rate(host: RoutedHost, rate: string): void {
    netns(['rate', this.name, host, rate]);
  }

  /** (Re)starts the TUN delay shim in the router with these settings. */
  wanem(o: WanemOptions): void {
    const args: string[] = [];
    const opt = (flag: string, v: number | undefined): void => {
      if (v !== undefined) args.push(flag, String(v));
    };
    opt('--delay', o.delayMs);
    opt('--jitter', o.jitterMs);
    opt('--loss', o.lossPct);
    opt('--dup', o.dupPct);
    opt('--reorder', o.reorderPct);
    opt('--reorder-delay', o.reorderDelayMs);
    opt('--rate', o.rateKbps);
    opt('--seed', o.seed);
    for (const c of o.matchSrc ?? []) args.push('--match-src', c);
    for (const c of o.matchDst ?? []) args.push('--match-dst', c);
    netns(['wanem', this.name, ...args]);
  }

  /** wanem.py's counters (written every second and at exit), or undefined before the first write. */
  wanemStats(): Record<string, number> | undefined {
    const f = `${STATE_ROOT}/${this.name}/wanem.json`;
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, number>) : undefined;
  }

  /** Removes every impairment (loss rules, rates, wanem). */
  clear(): void {
    netns(['clear', this.name]);
  }

  /** Namespaces of this lab that currently exist. */
  namespaces(): string[] {
    const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
    return out.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(`${this.name}-`));
  }

  /** Stops our children by PID (TERM, then KILL), then tears the namespaces down. Idempotent. */
  async destroy(): Promise<void> {
    await Promise.all([...this.children].map((p) => p.stop()));
    this.destroySync();
  }

  /** Synchronous teardown (used on process exit): SIGKILL our children by PID, then netns.sh down. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const p of this.children) signalPid(p.pid, 'SIGKILL');
    spawnSync('bash', [NETNS_SH, 'down', this.name], { encoding: 'utf8', timeout: 30_000 });
    liveLabs.delete(this);
  }
}

/** Creates a lab, runs `fn`, and always destroys the lab afterwards (pass, throw or rejection). */
export async function withLab<T>(opts: LabOptions, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = Lab.create(opts);
  try {
    return await fn(lab);
  } finally {
    await lab.destroy();
  }
}
