/** IPv4 CIDR arithmetic for validating network settings before anything is synthesized. */

export interface Ipv4Cidr {
  readonly address: number; // network address as an unsigned 32-bit integer
  readonly prefix: number;
  readonly text: string;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** Parses `a.b.c.d/n`; returns an error text (what is wrong) or the parsed block. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | string {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return "an IPv4 CIDR block such as 10.0.0.0/24";
  const address = parseIpv4(match[1]);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) return "an IPv4 CIDR block such as 10.0.0.0/24";
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  if (network !== address) {
    return `a network address with no host bits set (did you mean ${formatIpv4(network)}/${prefix}?)`;
  }
  return { address, prefix, text };
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  if (inner.prefix < outer.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return inner.address >= outer.address && inner.address < outer.address + size;
}
