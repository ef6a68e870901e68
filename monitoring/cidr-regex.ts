/**
 * An IPv4 CIDR block as a regular expression over dotted-decimal addresses, in the subset CloudWatch
 * Logs filter patterns accept: no parentheses (so alternatives are whole expressions joined by `|`),
 * character classes, `^`, `$`, `\.`. Any prefix length is exact: the octet the prefix splits becomes
 * a decimal range (`1[0-5]`), the octets before it literals.
 */
import type { Ipv4Cidr } from "../config/cidr";

/** The alternatives, each a regex for the decimal numbers lo..hi (0-255, no leading zeros). */
export function decimalRange(lo: number, hi: number): string[] {
  const out: string[] = [];
  // One digit count at a time: 0-9, 10-99, 100-255.
  for (const [min, max] of [
    [0, 9],
    [10, 99],
    [100, 999],
  ]) {
    const a = Math.max(lo, min);
    const b = Math.min(hi, max);
    if (a <= b) out.push(...sameLength(String(a), String(b)));
  }
  return out;
}

/** Numbers from `a` to `b`, written with the same number of digits. */
function sameLength(a: string, b: string): string[] {
  if (a === b) return [a];
  if (a.length === 1) return [digits(a, b)];
  if (a[0] === b[0]) return sameLength(a.slice(1), b.slice(1)).map((rest) => a[0] + rest);
  const rest = a.length - 1;
  const low = "0".repeat(rest);
  const high = "9".repeat(rest);
  const out: string[] = [];
  let first = Number(a[0]);
  let last = Number(b[0]);
  // The ends that do not cover their whole tail, then the first digits that do.
  if (a.slice(1) !== low) {
    out.push(...sameLength(a.slice(1), high).map((tail) => a[0] + tail));
    first++;
  }
  const lastPart = b.slice(1) !== high ? sameLength(low, b.slice(1)).map((tail) => b[0] + tail) : [];
  if (lastPart.length > 0) last--;
  if (first <= last) out.push(digits(String(first), String(last)) + "[0-9]".repeat(rest));
  return [...out, ...lastPart];
}

const digits = (a: string, b: string) => (a === b ? a : `[${a}-${b}]`);

/** `^10\.0\.` for 10.0.0.0/16; `^10\.0\.[0-9]\.|^10\.0\.1[0-5]\.` for 10.0.0.0/20. */
export function cidrRegex(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.address / 2 ** shift) % 256);
  const whole = Math.floor(cidr.prefix / 8);
  const head = (count: number) => `^${octets.slice(0, count).join("\\.")}`;
  if (cidr.prefix === 32) return `${head(4)}$`;
  if (cidr.prefix % 8 === 0) return `${head(whole)}\\.`;
  const size = 2 ** (8 - (cidr.prefix % 8));
  const split = octets[whole];
  const end = whole === 3 ? "$" : "\\.";
  const before = whole === 0 ? "^" : `${head(whole)}\\.`;
  return decimalRange(split, split + size - 1)
    .map((range) => `${before}${range}${end}`)
    .join("|");
}
