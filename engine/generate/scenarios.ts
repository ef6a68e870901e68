/**
 * Scenario traffic with known answers, for `flowlogs generate --scenario` and the detections' tests:
 * an hour of a quiet VPC (the lab's instance serving HTTPS, resolving names, keeping time, and the
 * internet's usual trickle of rejected SSH probes from ever-changing sources; and busy servers'
 * replies to many ephemeral ports, some rejected by a network ACL, which are no scan), with or without
 * one incident whose source, target and minutes are known (flow-log-gap: twenty minutes with no
 * record, as when delivery stops; flow-log-skipdata: ten minutes in which the flow log skips records;
 * exfiltration: one host sending far more than its baseline, which
 * the top-talkers query and rule rank first). Each detection must fire on its incident, with its
 * source and window, and stay quiet on `quiet`.
 */
import { PROTOCOL } from "../../monitoring/flow-log-fields";
import { seededRandom } from "./prng";

export const SCENARIOS = [
  "quiet",
  "ping-deny",
  "ssh-brute-force",
  "port-scan",
  "exfiltration",
  "flow-log-gap",
  "flow-log-skipdata",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What a scenario holds that a detection should report. */
export interface Incident {
  readonly detection: string;
  readonly source: string;
  readonly target: string;
  /** The incident's first and last minute (epoch seconds of the minutes' starts). */
  readonly firstMinute: number;
  readonly lastMinute: number;
  /** Its records (the evidence a detection should count; for port-scan, the distinct ports probed). */
  readonly records: number;
}

export interface Scenario {
  readonly name: ScenarioName;
  /** Records in start order, as lines of the default format. */
  readonly records: readonly { readonly line: string; readonly start: number }[];
  readonly incidents: readonly Incident[];
}

/** The lab's defaults: its instance in its subnet, and an account. */
const INSTANCE = "10.0.0.10";
/** The VPC's DNS resolver and another server of the subnet, whose replies the instance receives. */
const RESOLVER = "10.0.0.2";
const APP_SERVER = "10.0.0.20";
const ENI = "eni-0a1b2c3d4e5f60001";
const ACCOUNT = "123456789012";
const MINUTES = 60;
/** The incidents start a third of the way in and last ten minutes. */
const INCIDENT_START = 20;
const INCIDENT_MINUTES = 10;
/** flow-log-gap: no record reaches the log group for twenty minutes. */
const GAP_MINUTES = 20;

/**
 * The scenario's records, an hour from `startSeconds` (rounded down to the minute). Reproducible for
 * a seed; the incidents' sources and targets are fixed documentation addresses.
 */
export function scenario(name: ScenarioName, startSeconds: number, seed = 1): Scenario {
  const random = seededRandom(seed);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const first = Math.floor(startSeconds / 60) * 60;
  const records: { line: string; start: number }[] = [];
  const add = (
    minute: number,
    src: string,
    dst: string,
    ports: [number, number],
    protocol: number,
    action: string,
    bytesPerPacket = int(40, 1400),
  ) => {
    const start = first + minute * 60 + int(0, 50);
    const packets = action === "REJECT" ? int(1, 3) : int(2, 400);
    const bytes = packets * bytesPerPacket;
    records.push({
      line: `2 ${ACCOUNT} ${ENI} ${src} ${dst} ${ports[0]} ${ports[1]} ${protocol} ${packets} ${bytes} ${start} ${start + 59} ${action} OK`,
      start,
    });
  };
  const internet = () => `${int(11, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  const ephemeral = () => int(32768, 65535);

  for (let m = 0; m < MINUTES; m++) {
    // HTTPS clients, and the replies to them (to many ephemeral ports: no scan).
    for (let k = 0; k < 20; k++) {
      const client = internet();
      const port = ephemeral();
      add(m, client, INSTANCE, [port, 443], PROTOCOL.TCP, "ACCEPT");
      add(m, INSTANCE, client, [443, port], PROTOCOL.TCP, "ACCEPT");
    }
    // DNS and NTP from the instance, accepted; the resolver's answers to its ephemeral ports.
    const query = ephemeral();
    add(m, INSTANCE, RESOLVER, [query, 53], PROTOCOL.UDP, "ACCEPT");
    add(m, RESOLVER, INSTANCE, [53, query], PROTOCOL.UDP, "ACCEPT");
    // Busy servers' replies to many ephemeral ports, rejected (a network ACL that forgot the return
    // traffic): one source, many distinct destination ports, and still no scan.
    for (let k = 0; k < 6; k++) {
      add(m, RESOLVER, INSTANCE, [53, ephemeral()], PROTOCOL.UDP, "REJECT");
      add(m, APP_SERVER, INSTANCE, [8080, ephemeral()], PROTOCOL.TCP, "REJECT");
    }
    if (m % 8 === 0) add(m, INSTANCE, "169.254.169.123", [ephemeral(), 123], PROTOCOL.UDP, "ACCEPT");
    // The internet's background: now and then a probe on SSH or RDP, each from a new source, rejected.
    if (m % 3 === 0) add(m, internet(), INSTANCE, [ephemeral(), m % 2 ? 22 : 3389], PROTOCOL.TCP, "REJECT");
  }

  const incidents: Incident[] = [];
  const incident = (
    detection: string,
    source: string,
    target: string,
    perMinute: number,
    write: (m: number) => void,
  ) => {
    for (let m = INCIDENT_START; m < INCIDENT_START + INCIDENT_MINUTES; m++)
      for (let k = 0; k < perMinute; k++) write(m);
    incidents.push({
      detection,
      source,
      target,
      firstMinute: first + INCIDENT_START * 60,
      lastMinute: first + (INCIDENT_START + INCIDENT_MINUTES - 1) * 60,
      records: perMinute * INCIDENT_MINUTES,
    });
  };
  if (name === "ping-deny") {
    // The walkthrough's ping from the instance, with outbound ICMP denied by the network ACL.
    incident("ping-deny", INSTANCE, "8.8.8.8", 1, (m) => add(m, INSTANCE, "8.8.8.8", [0, 0], PROTOCOL.ICMP, "REJECT"));
  }
  if (name === "ssh-brute-force") {
    const attacker = "198.51.100.23";
    incident("ssh-rdp-rejected", attacker, INSTANCE, 30, (m) =>
      add(m, attacker, INSTANCE, [ephemeral(), 22], PROTOCOL.TCP, "REJECT"),
    );
  }
  if (name === "port-scan") {
    // One source tries 30 ports a minute (from its ephemeral ports, as nmap does), all rejected: 300
    // distinct ports below 1025 (not 443, which the instance serves) in ten minutes.
    const scanner = "203.0.113.50";
    const ports = Array.from({ length: 1024 }, (_, i) => i + 1).filter((p) => p !== 443);
    for (let i = ports.length - 1; i > 0; i--) {
      const j = int(0, i);
      [ports[i], ports[j]] = [ports[j], ports[i]];
    }
    let next = 0;
    incident("port-scan", scanner, INSTANCE, 30, (m) =>
      add(m, scanner, INSTANCE, [ephemeral(), ports[next++]], PROTOCOL.TCP, "REJECT"),
    );
  }
  if (name === "exfiltration") {
    // The instance sends 9001-byte frames to one outside host, ten flows a minute: several times its
    // whole HTTPS egress, all to one host (a top talker a thousand times any client's share).
    const drop = "198.51.100.77";
    incident("exfiltration", INSTANCE, drop, 10, (m) =>
      add(m, INSTANCE, drop, [ephemeral(), 443], PROTOCOL.TCP, "ACCEPT", 9001),
    );
  }
  if (name === "flow-log-skipdata") {
    // The flow log cannot keep up: besides what it records, 20 SKIPDATA records a minute (no addresses).
    incident("flow-log-skipdata", "", "", 20, (m) => {
      const start = first + m * 60 + int(0, 50);
      records.push({ line: `2 ${ACCOUNT} ${ENI} - - - - - - - ${start} ${start + 59} - SKIPDATA`, start });
    });
  }
  if (name === "flow-log-gap") {
    const [from, to] = [first + INCIDENT_START * 60, first + (INCIDENT_START + GAP_MINUTES) * 60];
    incidents.push({
      detection: "flow-log-silence",
      source: "",
      target: "",
      firstMinute: from,
      lastMinute: to - 60,
      records: 0,
    });
    const kept = records.filter((r) => r.start < from || r.start >= to);
    return { name, records: kept.sort((a, b) => a.start - b.start), incidents };
  }
  records.sort((a, b) => a.start - b.start);
  return { name, records, incidents };
}
