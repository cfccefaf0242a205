// Version of an installed package, read from its package.json (some packages do not export it).
import { readFileSync } from 'node:fs';

export function packageVersion(name) {
  const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}
