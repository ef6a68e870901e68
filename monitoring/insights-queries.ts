/**
 * CloudWatch Logs Insights queries saved for the flow-log group (the console's "Saved queries"): AWS's
 * sample queries for VPC flow logs (CloudWatch Logs user guide, "Sample queries"), and one per
 * detection that names who is behind an alarm. Field names are those Logs Insights discovers in a
 * flow-log group of the default format (FLOW_LOG_FIELDS' `insights`); AWS documents that discovery
 * for the default fields only, so with the extended format every query first parses the message into
 * the same names (and the others). The detections' conditions come from their definitions, so a query
 * and its alarm cannot drift apart.
 */
import type { Ipv4Cidr } from "../config/cidr";
import { FLOW_LOG_FIELDS, flowLogFields, PROTOCOL, type FlowLogFormatName } from "./flow-log-fields";
import { PORT_SCAN_PERIOD_SECONDS, probeSpec } from "./port-scan";
import { SSH_RDP_PORTS } from "./ssh-rdp-rejected";

export interface InsightsQuery {
  /** Its name under the lab's folder (`<folder>/<name>` in the console). */
  readonly name: string;
  readonly description: string;
  readonly query: string;
}

type FieldName = (typeof FLOW_LOG_FIELDS)[number]["field"];

/** A flow-log field by its format name, as Logs Insights names it. */
export function insightsField(field: FieldName): string {
  const found = FLOW_LOG_FIELDS.find((f) => f.field === field);
  if (!found) throw new Error(`no flow-log field ${field}`);
  return found.insights;
}

const f = insightsField;

/**
 * What a query starts with for a format: nothing for the default one (Logs Insights discovers its
 * fields); for another, a `parse` of the message into every field, by the same names.
 */
export function insightsFields(format: FlowLogFormatName): string {
  if (format === "default") return "";
  const fields = flowLogFields(format);
  return `parse @message "${fields.map(() => "*").join(" ")}" as ${fields.map((field) => field.insights).join(", ")} | `;
}

const topTalkersStats = (limit: number) =>
  `stats sum(${f("bytes")}) as bytesTransferred by ${f("srcaddr")}, ${f("dstaddr")} | sort bytesTransferred desc | limit ${limit}`;

/** Bytes by source and destination, the largest first: the dashboard's table and a saved query. */
export function topTalkersQuery(limit: number, format: FlowLogFormatName): string {
  return insightsFields(format) + topTalkersStats(limit);
}

export interface InsightsQuerySettings {
  readonly vpcCidr: Ipv4Cidr;
  readonly portScanPorts: number;
  /** The fields the flow log writes (LAB_FLOW_LOG_FORMAT). */
  readonly flowLogFormat: FlowLogFormatName;
}

export function insightsQueries(settings: InsightsQuerySettings): InsightsQuery[] {
  const vpc = settings.vpcCidr.text;
  const probe = probeSpec(settings.vpcCidr);
  const source = insightsFields(settings.flowLogFormat);
  const queries: InsightsQuery[] = [
    // AWS's samples.
    {
      name: "Top 15 packet transfers across hosts",
      description: "AWS sample: the source and destination pairs that moved the most packets",
      query: `stats sum(${f("packets")}) as packetsTransferred by ${f("srcaddr")}, ${f("dstaddr")} | sort packetsTransferred desc | limit 15`,
    },
    {
      name: "Top 15 byte transfers from the VPC",
      description: "AWS sample, for the VPC's block: where the VPC's hosts sent the most bytes",
      query: `filter isIpv4InSubnet(${f("srcaddr")}, "${vpc}") | stats sum(${f("bytes")}) as bytesTransferred by ${f("dstaddr")} | sort bytesTransferred desc | limit 15`,
    },
    {
      name: "IP addresses using UDP",
      description: "AWS sample: the sources that send UDP",
      query: `filter ${f("protocol")} = ${PROTOCOL.UDP} | stats count(*) by ${f("srcaddr")}`,
    },
    {
      name: "Skipped flow records per hour",
      description: "AWS sample: SKIPDATA records per hour (what the flow-log-skipdata alarm counts)",
      query: `filter ${f("log-status")} = "SKIPDATA" | stats count(*) by bin(1h) as t | sort t`,
    },
    {
      name: "Top talkers",
      description: "Bytes by source and destination (the top-talkers Contributor Insights rule and Athena query)",
      query: topTalkersStats(25),
    },
    // One per detection: who is behind the alarm.
    {
      name: "Rejected pings",
      description: "The walkthrough's alarm: rejected ICMP records per minute, by source and destination",
      query: `filter ${f("protocol")} = ${PROTOCOL.ICMP} and ${f("action")} = "REJECT" | stats count(*) as rejected by bin(1m), ${f("srcaddr")}, ${f("dstaddr")}`,
    },
    {
      name: "Rejected SSH and RDP from outside the VPC",
      description: "The ssh-rdp-rejected detection's records, by source and target",
      query: `filter ${f("action")} = "REJECT" and ${f("protocol")} = ${PROTOCOL.TCP} and ${f("dstport")} in [${SSH_RDP_PORTS.join(", ")}] and not isIpv4InSubnet(${f("srcaddr")}, "${vpc}") | stats count(*) as attempts by ${f("srcaddr")}, ${f("dstaddr")} | sort attempts desc | limit 25`,
    },
    {
      name: "Port scans",
      description: `The port-scan detection's probes: distinct ports of the VPC per source and 5 minutes, most first (the alarm: ${settings.portScanPorts})`,
      query: `filter ${f("action")} = "${probe.action}" and ${f("srcport")} >= ${probe.minSourcePort} and ${f("dstport")} <= ${probe.maxDestinationPort} and isIpv4InSubnet(${f("dstaddr")}, "${vpc}") | stats count_distinct(${f("dstport")}) as ports by bin(${PORT_SCAN_PERIOD_SECONDS / 60}m) as window, ${f("srcaddr")} | sort ports desc | limit 25`,
    },
  ];
  return queries.map((q) => ({ ...q, query: source + q.query }));
}
