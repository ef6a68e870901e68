/**
 * Rejected SSH and RDP from outside the VPC (brute force, MITRE ATT&CK T1110): a metric filter on
 * REJECT records of TCP to port 22 or 3389 whose source is not in the VPC's block, and an alarm on
 * their sum over 5 minutes. The block is a regular expression (cidrRegex), so any prefix is exact.
 * What the pattern cannot say: an IPv6 VPC block (the lab's VPC has none; every IPv6 source counts as
 * outside), and which side started the connection (a REJECT to port 22 from outside is an attempt in).
 */
import type { Ipv4Cidr } from "../config/cidr";
import { cidrRegex } from "./cidr-regex";
import { DETECTION_PERIOD_SECONDS, DETECTIONS_NAMESPACE } from "./detection-metrics";
import { PROTOCOL, type FlowLogField } from "./flow-log-fields";
import { positionalPattern } from "./positional-pattern";
import type { AlarmRule, MetricFilterDefinition } from "./ping-deny";

export const SSH_RDP_PORTS = [22, 3389] as const;

/** Its names (the naming catalogue, config/names.ts, adds a deployment's suffix). */
export const SSH_RDP_REJECTED_NAMES = {
  filterName: "Lab-VPC-Flow-Log-SSH-RDP-Reject",
  metricNamespace: DETECTIONS_NAMESPACE,
  metricName: "SSH-RDP-Reject",
  alarmName: "CloudWatch-Alarm-SSH-RDP-Reject",
} as const;

/** The filter for a VPC block, positional over the format's fields like the walkthrough's ping filter. */
export function sshRdpRejectedFilter(vpc: Ipv4Cidr, fields: readonly FlowLogField[]): MetricFilterDefinition {
  return {
    filterName: SSH_RDP_REJECTED_NAMES.filterName,
    pattern: positionalPattern(fields, {
      source: `source!=%${cidrRegex(vpc)}%`,
      destport: SSH_RDP_PORTS.map((p) => `destport=${p}`).join(" || "),
      protocol: `protocol=${PROTOCOL.TCP}`,
      action: 'action="REJECT"',
    }),
    metricNamespace: SSH_RDP_REJECTED_NAMES.metricNamespace,
    metricName: SSH_RDP_REJECTED_NAMES.metricName,
    metricValue: "1",
    defaultValue: 0,
  };
}

/** Sum over 5 minutes at or above `threshold` rejected attempts; no flow-log events is not an attack. */
export function sshRdpRejectedAlarm(threshold: number): AlarmRule {
  return {
    alarmName: SSH_RDP_REJECTED_NAMES.alarmName,
    description: `At least ${threshold} rejected SSH/RDP connection attempts from outside the VPC in 5 minutes (T1110 Brute Force)`,
    statistic: "Sum",
    periodSeconds: DETECTION_PERIOD_SECONDS,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "notBreaching",
  };
}
