#!/usr/bin/env node
// Runs the test suites on node's test runner (TypeScript through tsx, no type check here: `npm test`
// type-checks first). Usage: node scripts/run-tests.mjs [unit|interop|root|all] [substring filters...]
//   unit    src/**/*.test.ts and test/**/*.test.ts outside test/interop and test/root (default)
//   interop test/interop/**/*.test.ts (real peers: node-datachannel, werift, openssl, Chromium)
//   root    test/root/**/*.test.ts (network namespaces; need root, skip themselves otherwise)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const [suite = 'unit', ...filters] = process.argv.slice(2);

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const all = [...walk(join(root, 'src'), []), ...walk(join(root, 'test'), [])].sort();
const inDir = (f, d) => f.startsWith(`test${sep}${d}${sep}`);
const pick = {
  unit: (f) => !inDir(f, 'interop') && !inDir(f, 'root'),
  interop: (f) => inDir(f, 'interop'),
  root: (f) => inDir(f, 'root'),
  all: () => true,
}[suite];
if (!pick) {
  console.error(`unknown suite ${suite}: use unit, interop, root or all`);
  process.exit(2);
}
const files = all.filter(pick).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files for suite ${suite}`);
  process.exit(1);
}
const concurrency = suite === 'unit' ? '2' : '1';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
