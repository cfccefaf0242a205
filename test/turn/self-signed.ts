/**
 * A throwaway self-signed certificate for TURN-over-TLS tests, made with the openssl CLI into a
 * temporary directory (removed by `cleanup()`). SANs: the given DNS names and IP addresses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
  cleanup(): void;
}

/** Undefined when openssl is missing (callers skip and say why). */
export function opensslSkipReason(): string | undefined {
  return spawnSync('openssl', ['version']).status === 0 ? undefined : 'needs the openssl CLI';
}

export function makeSelfSigned(names: readonly string[], ips: readonly string[]): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'rtcpeer-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const san = [...names.map((n) => `DNS:${n}`), ...ips.map((i) => `IP:${i}`)].join(',');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${names[0] ?? ips[0] ?? 'turn'}`, '-addext', `subjectAltName=${san}`, '-keyout', keyFile, '-out', certFile], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl failed: ${r.stderr}`);
  }
  return { dir, certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
