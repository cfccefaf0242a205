/** Serial number arithmetic for 32-bit TSNs and 16-bit SSNs (RFC 9260 §1.6, RFC 1982). */
export function tsnLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function tsnLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
export function tsnAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
/** b - a as a signed distance. */
export function tsnDiff(b: number, a: number): number {
  return (b - a) | 0;
}
export function ssnLe(a: number, b: number): boolean {
  return ((((a - b) << 16) >> 16) | 0) <= 0;
}
