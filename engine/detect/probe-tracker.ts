import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import type { ProbeSpec } from "../../monitoring/port-scan";

/**
 * The probes of each window: flat triples (source, destination port, destination), addresses as
 * unsigned 32-bit numbers, by window start (epoch seconds). Plain arrays of numbers: the worker
 * threads hand them over cheaply, and a window holds only the records that are probes.
 */
export type ProbeWindows = Record<number, number[]>;

const at = (field: string) => FLOW_LOG_FIELDS.findIndex((f) => f.field === field);
const SOURCE = at("srcaddr");
const DESTINATION = at("dstaddr");
const SOURCE_PORT = at("srcport");
const DESTINATION_PORT = at("dstport");
const ACTION = at("action");

/** `a.b.c.d` as an unsigned 32-bit number; NaN for anything else (IPv6, "-"). */
export function ipv4Number(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return NaN;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return NaN;
    } else return NaN;
  }
  return dots === 3 && digits > 0 ? value * 256 + octet : NaN;
}

/**
 * Collects the probes (monitoring/port-scan.ts) of the records it is given, by window: the exact
 * offline form of the port-scan detection. Messages are in the default field order.
 */
export class ProbeTracker {
  private readonly windows: ProbeWindows = {};
  private readonly vpcSize: number;
  /** ` REJECT `: a record without it is no probe, whatever else it holds (checked before any split). */
  private readonly actionNeedle: string;

  constructor(private readonly spec: ProbeSpec) {
    this.vpcSize = 2 ** (32 - spec.vpcPrefix);
    this.actionNeedle = ` ${spec.action} `;
  }

  addMessage(timestampSeconds: number, message: string): void {
    if (!message.includes(this.actionNeedle)) return;
    const fields = message.split(" ");
    const spec = this.spec;
    if (fields[ACTION] !== spec.action) return;
    const sourcePort = Number(fields[SOURCE_PORT]);
    const port = Number(fields[DESTINATION_PORT]);
    if (!(sourcePort >= spec.minSourcePort && port <= spec.maxDestinationPort && port >= 0)) return;
    const destination = ipv4Number(fields[DESTINATION]);
    const offset = destination - spec.vpcAddress;
    if (!(offset >= 0 && offset < this.vpcSize)) return;
    // A destination in the VPC's IPv4 block means an IPv4 source.
    const source = ipv4Number(fields[SOURCE]);
    if (Number.isNaN(source)) return;
    const window = Math.floor(timestampSeconds / spec.periodSeconds) * spec.periodSeconds;
    (this.windows[window] ??= []).push(source, port, destination);
  }

  /** Adds what another tracker (over other records) collected. */
  merge(other: ProbeWindows): void {
    for (const [window, probes] of Object.entries(other)) {
      const mine = (this.windows[Number(window)] ??= []);
      for (const value of probes) mine.push(value);
    }
  }

  result(): ProbeWindows {
    return this.windows;
  }
}
