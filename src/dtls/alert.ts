import { AlertDescription } from './constants.js';

const NAMES = new Map<number, string>(Object.entries(AlertDescription).map(([k, v]) => [v, k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]));

/** `bad-certificate` for 42, `alert-N` for values we do not name (RFC 5246 §7.2). */
export function alertName(desc: number): string {
  return NAMES.get(desc) ?? `alert-${desc}`;
}
