import { FLOW_LOG_FIELDS, PROTOCOL } from "../../monitoring/flow-log-fields";
import { seededRandom } from "./prng";

export interface SyntheticOptions {
  readonly seed: number;
  /** Epoch seconds of the first minute. */
  readonly startSeconds: number;
  readonly recordsPerMinute: number;
  readonly account: string;
}

/** The header line of a default-format (v2) file: the fields, in order, as AWS writes them. */
export const DEFAULT_HEADER = FLOW_LOG_FIELDS.map((f) => f.field).join(" ");

const ENIS = [
  "eni-0a1b2c3d4e5f60001",
  "eni-0a1b2c3d4e5f60002",
  "eni-0a1b2c3d4e5f60003",
  "eni-0a1b2c3d4e5f60004",
  "eni-0a1b2c3d4e5f60005",
  "eni-0a1b2c3d4e5f60006",
];
const TCP_PORTS = [443, 443, 443, 80, 22, 3389, 8080, 5432];
const UDP_PORTS = [53, 53, 123, 514];

/**
 * Realistic default-format records: several ENIs, in- and outbound TCP/UDP/ICMP over IPv4 and IPv6,
 * ACCEPT and REJECT (more REJECTs on admin ports), and NODATA / SKIPDATA records. Records come in
 * start-time order, `recordsPerMinute` per one-minute aggregation interval.
 */
export function* syntheticRecords(
  count: number,
  options: SyntheticOptions,
): Generator<{ line: string; start: number }> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const publicV4 = () => `${pick([3, 18, 34, 52, 142, 172, 203])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  const publicV6 = () => `2600:1f18:${int(0, 0xffff).toString(16)}::${int(1, 0xffff).toString(16)}`;
  for (let i = 0; i < count; i++) {
    const minute = Math.floor(i / options.recordsPerMinute);
    const start = options.startSeconds + minute * 60 + int(0, 5);
    const end = start + int(50, 60);
    const e = int(0, ENIS.length - 1);
    const eni = ENIS[e];
    const head = `2 ${options.account} ${eni}`;
    const kind = random();
    if (kind < 0.03 || (kind < 0.035 && e === 5)) {
      const status = kind < 0.03 ? "NODATA" : "SKIPDATA";
      yield { line: `${head} - - - - - - - ${start} ${end} - ${status}`, start };
      continue;
    }
    const ipv6 = random() < 0.1;
    const local = ipv6 ? `2600:1f18:abcd:100::${(e + 1).toString(16)}` : `10.0.0.${10 + e}`;
    const remote = ipv6 ? publicV6() : publicV4();
    const p = random();
    const protocol = p < 0.65 ? PROTOCOL.TCP : p < 0.85 ? PROTOCOL.UDP : ipv6 ? PROTOCOL.ICMPV6 : PROTOCOL.ICMP;
    const inbound = random() < 0.5;
    let srcport = 0;
    let dstport = 0;
    if (protocol === PROTOCOL.TCP || protocol === PROTOCOL.UDP) {
      const service = protocol === PROTOCOL.TCP ? pick(TCP_PORTS) : pick(UDP_PORTS);
      // Either way the client (remote inbound, local outbound) uses an ephemeral port.
      srcport = int(32768, 65535);
      dstport = service;
    }
    const adminPort = dstport === 22 || dstport === 3389;
    const action = random() < (inbound && adminPort ? 0.4 : 0.12) ? "REJECT" : "ACCEPT";
    const packets = action === "REJECT" ? int(1, 5) : int(1, 900);
    const bytes = packets * int(40, 1500);
    const [src, dst] = inbound ? [remote, local] : [local, remote];
    yield {
      line: `${head} ${src} ${dst} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} OK`,
      start,
    };
  }
}
