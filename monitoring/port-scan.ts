/**
 * Port scan (MITRE ATT&CK T1046 Network Service Discovery): one source probing at least N distinct
 * destination ports of the VPC within 5 minutes. Defined once: the Contributor Insights rules and the
 * alarm the stack deploys, and the probe the offline engine counts exactly (`flowlogs detect`).
 *
 * A probe is a REJECT record to a destination in the VPC, from an unprivileged source port (>= 1024,
 * as clients and scanners use), to a port below the ephemeral range (<= 32767). That leaves out a busy
 * server's replies: a DNS resolver or web server answers from its service port (53, 443: below 1024)
 * to the clients' ephemeral ports (32768 and up on Linux, 49152 and up on Windows), and replies to
 * accepted connections are accepted (security groups are stateful), so even a server answering
 * thousands of clients on thousands of ports probes nothing.
 *
 * What the probe cannot tell: a scan that hides behind source port 53 or 80 (nmap -g), a scan of
 * ephemeral ports only, and a rejected reply from an unprivileged server port to a client port
 * below 32768 (a NAT gateway's, which uses 1024-65535, behind a network ACL that denies the replies).
 *
 * AWS cannot count distinct values per contributor, so the deployed form is a bound: two rules count,
 * per 5 minutes, the distinct (source, port) pairs and the distinct sources of the probes, and the alarm
 * watches the smaller of pairs - sources + 1 (the sum over sources of their ports - 1, plus 1) and the
 * most probes any one source sent (the sources rule's MaxContributorValue). Each is never below the
 * largest number of ports one source probed, so with exact counts, whenever the offline form finds a
 * scan, the alarm fires too. The first alone would add up the internet's background (20 sources with 2
 * ports each make 21); the second alone, one source's repeated tries on a port; both must be high. It
 * can still fire when one source sends many probes while many sources together probe many ports. The
 * rules filter the destination by its string prefix (Contributor Insights has no CIDR match): for a VPC
 * block not on an octet boundary, the enclosing /8, /16 or /24 (see destinationPrefix).
 */
import type { Ipv4Cidr } from "../config/cidr";
import { formatIpv4 } from "../config/cidr";
import { contributorRule, type ContributorRule } from "./contributor-rules";
import { DETECTION_PERIOD_SECONDS } from "./detection-metrics";
import type { AlarmRule } from "./ping-deny";

/** Its names (the naming catalogue, config/names.ts, adds a deployment's suffix). */
export const PORT_SCAN_NAMES = {
  portsRuleName: "Lab-VPC-Flow-Log-Port-Scan-Ports",
  sourcesRuleName: "Lab-VPC-Flow-Log-Port-Scan-Sources",
  alarmName: "CloudWatch-Alarm-Port-Scan",
} as const;

/** What a probe is: plain data, so that the engine's worker threads receive it as it is. */
export interface ProbeSpec {
  /** The VPC's block, as network address and prefix length (the offline form matches it exactly). */
  readonly vpcAddress: number;
  readonly vpcPrefix: number;
  readonly action: "REJECT";
  /** Lowest source port of a probe: clients and scanners send from unprivileged ports. */
  readonly minSourcePort: number;
  /** Highest destination port of a probe: above it lie the clients' ephemeral ports, where replies go. */
  readonly maxDestinationPort: number;
  /** Length of a window, on the clock (the alarm's period). */
  readonly periodSeconds: number;
}

export const PORT_SCAN_PERIOD_SECONDS = DETECTION_PERIOD_SECONDS;

export function probeSpec(vpc: Ipv4Cidr): ProbeSpec {
  return {
    vpcAddress: vpc.address,
    vpcPrefix: vpc.prefix,
    action: "REJECT",
    minSourcePort: 1024,
    maxDestinationPort: 32767,
    periodSeconds: PORT_SCAN_PERIOD_SECONDS,
  };
}

/**
 * The string prefix Contributor Insights matches destinations with: the VPC block widened to the
 * octet boundary at or above its prefix (10.0.0.0/16 -> "10.0."; 10.0.16.0/20 -> "10.0."; 10.0.0.0/28
 * -> "10.0.0."), since a CIDR block in general needs more than the rule's 10 prefixes.
 */
export function destinationPrefix(vpc: Ipv4Cidr): string {
  const octets = Math.floor(vpc.prefix / 8);
  if (octets === 0) return "";
  return `${formatIpv4(vpc.address).split(".").slice(0, octets).join(".")}.`;
}

/** The rules' filters: the probe, as Contributor Insights filters (at most four, ANDed). */
function probeFilters(spec: ProbeSpec, vpc: Ipv4Cidr): object[] {
  const prefix = destinationPrefix(vpc);
  return [
    { Match: "action", In: [spec.action] },
    { Match: "srcport", GreaterThan: spec.minSourcePort - 1 },
    { Match: "dstport", LessThan: spec.maxDestinationPort + 1 },
    ...(prefix ? [{ Match: "dstaddr", StartsWith: [prefix] }] : []),
  ];
}

/** The two rules: probes counted by (source, port), and by source. */
export function portScanRules(vpc: Ipv4Cidr): { readonly ports: ContributorRule; readonly sources: ContributorRule } {
  const spec = probeSpec(vpc);
  const fields = ["srcaddr", "dstaddr", "srcport", "dstport", "action"] as const;
  const body = (keys: string[]) => ({
    Contribution: { Keys: keys, Filters: probeFilters(spec, vpc) },
    AggregateOn: "Count",
  });
  return {
    ports: contributorRule(PORT_SCAN_NAMES.portsRuleName, fields, body(["srcaddr", "dstport"])),
    sources: contributorRule(PORT_SCAN_NAMES.sourcesRuleName, fields, body(["srcaddr"])),
  };
}

/** An alarm on a metric math expression: the AlarmRule's evaluation, without a metric of its own. */
export type MathAlarmRule = Omit<AlarmRule, "statistic">;

/** At least `ports` on the bound in one 5-minute period; no probes at all is no scan. */
export function portScanAlarm(ports: number): MathAlarmRule {
  return {
    alarmName: PORT_SCAN_NAMES.alarmName,
    description: `A source may have probed at least ${ports} ports of the VPC in 5 minutes (T1046 Network Service Discovery): the smaller of distinct rejected (source, port) pairs - sources + 1 and the busiest source's probes, from Contributor Insights`,
    periodSeconds: PORT_SCAN_PERIOD_SECONDS,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: ports,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "notBreaching",
  };
}

/** One query of a metric math alarm (PutMetricAlarm's MetricDataQuery, an expression). */
export interface MetricQuery {
  readonly id: string;
  readonly expression: string;
  readonly label: string;
  readonly returnData: boolean;
  readonly period: number;
}

/**
 * The alarm's queries for the deployed rules' names: each rule's UniqueContributors, the busiest
 * source's probes, and the bound (0 when no probe was seen: no sources, no scan).
 */
export function portScanQueries(ruleNames: { readonly ports: string; readonly sources: string }): MetricQuery[] {
  const period = PORT_SCAN_PERIOD_SECONDS;
  return [
    {
      id: "pairs",
      expression: `INSIGHT_RULE_METRIC("${ruleNames.ports}", "UniqueContributors")`,
      label: "Distinct (source, port) probes",
      returnData: false,
      period,
    },
    {
      id: "sources",
      expression: `INSIGHT_RULE_METRIC("${ruleNames.sources}", "UniqueContributors")`,
      label: "Distinct probing sources",
      returnData: false,
      period,
    },
    {
      id: "busiest",
      expression: `INSIGHT_RULE_METRIC("${ruleNames.sources}", "MaxContributorValue")`,
      label: "Most probes from one source",
      returnData: false,
      period,
    },
    {
      id: "spread",
      expression: "pairs - sources + 1",
      label: "Ports beyond each source's first, plus one",
      returnData: false,
      period,
    },
    {
      id: "bound",
      expression: "IF(sources > 0, MIN([spread, busiest]), 0)",
      label: "Most ports one source may have probed",
      returnData: true,
      period,
    },
  ];
}
