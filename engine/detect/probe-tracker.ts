import { fieldIndex, type FlowLogField } from "../../monitoring/flow-log-fields";
import type { ProbeSpec } from "../../monitoring/port-scan";
import { fieldStart } from "../replay/field-start";

/**
 * The probes of each window: flat triples (source, destination port, destination), addresses as
 * unsigned 32-bit numbers, by window start (epoch seconds). Plain arrays of numbers: the reader
 * processes hand them over cheaply, and a window holds only the records that are probes.
 */
export type ProbeWindows = Record<number, number[]>;

/** Where the scan below reads: source, destination and the two ports are four adjacent fields (both formats). */
function positions(fields: readonly FlowLogField[]) {
  const source = fieldIndex(fields, "srcaddr");
  if (["dstaddr", "srcport", "dstport"].some((f, i) => fieldIndex(fields, f) !== source + 1 + i))
    throw new Error("probe-tracker: srcaddr, dstaddr, srcport and dstport are no longer adjacent");
  const action = fieldIndex(fields, "action");
  if (fieldIndex(fields, "log-status") !== action + 1)
    throw new Error("probe-tracker: log-status no longer follows action");
  // The default format ends with action and log-status: a rejected record ends with ` REJECT OK`.
  return { source, action, actionLast: action === fields.length - 2 };
}

/** The whole number in text[start, end), or NaN. */
function numberAt(text: string, start: number, end: number): number {
  if (end <= start) return NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** `a.b.c.d` as an unsigned 32-bit number; NaN for anything else (IPv6, "-"). */
export function ipv4Number(text: string, start = 0, end = text.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
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
 * offline form of the port-scan detection. Messages are in the deployed format's field order (`fields`).
 */
export class ProbeTracker {
  private readonly windows: ProbeWindows = {};
  private readonly vpcSize: number;
  /**
   * ` REJECT OK`: the end of every rejected record (a record with an action has the status OK; NODATA
   * and SKIPDATA records have none), checked before anything is parsed: most records stop here.
   */
  private readonly tail: string;
  private readonly at: ReturnType<typeof positions>;

  /** `fields`: the messages' fields (the deployed format's). */
  constructor(
    private readonly spec: ProbeSpec,
    fields: readonly FlowLogField[],
  ) {
    this.vpcSize = 2 ** (32 - spec.vpcPrefix);
    this.at = positions(fields);
    this.tail = this.at.actionLast ? ` ${spec.action} OK` : `${spec.action} OK `;
  }

  addMessage(timestampSeconds: number, message: string): void {
    if (
      this.at.actionLast
        ? !message.endsWith(this.tail)
        : !message.startsWith(this.tail, fieldStart(message, this.at.action))
    )
      return;
    const spec = this.spec;
    const from = fieldStart(message, this.at.source);
    const sourceEnd = message.indexOf(" ", from);
    const destinationEnd = message.indexOf(" ", sourceEnd + 1);
    const sourcePortEnd = message.indexOf(" ", destinationEnd + 1);
    const portEnd = message.indexOf(" ", sourcePortEnd + 1);
    if (from === 0 || portEnd < 0) return;
    const sourcePort = numberAt(message, destinationEnd + 1, sourcePortEnd);
    const port = numberAt(message, sourcePortEnd + 1, portEnd);
    if (!(sourcePort >= spec.minSourcePort && port <= spec.maxDestinationPort)) return;
    const offset = ipv4Number(message, sourceEnd + 1, destinationEnd) - spec.vpcAddress;
    if (!(offset >= 0 && offset < this.vpcSize)) return;
    // A destination in the VPC's IPv4 block means an IPv4 source.
    const source = ipv4Number(message, from, sourceEnd);
    if (Number.isNaN(source)) return;
    const window = Math.floor(timestampSeconds / spec.periodSeconds) * spec.periodSeconds;
    (this.windows[window] ??= []).push(source, port, offset + spec.vpcAddress);
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
