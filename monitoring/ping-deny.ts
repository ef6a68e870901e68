/**
 * What counts as a rejected ping and when it raises the alarm: the metric filter and the alarm rule
 * of the walkthrough, defined once. The MetricFilterAlarm construct deploys these values; the offline
 * engine (`flowlogs test-pattern` / `flowlogs replay`) evaluates the very same objects.
 */
import { FLOW_LOG_FIELDS, PROTOCOL, type FlowLogField } from "./flow-log-fields";
import { positionalPattern } from "./positional-pattern";

export interface MetricFilterDefinition {
  readonly filterName: string;
  readonly pattern: string;
  readonly metricNamespace: string;
  readonly metricName: string;
  /** Value published per matching event ("1", or "$field" to publish a field's value). */
  readonly metricValue: string;
  /** Value published for a period in which events arrived but none matched. */
  readonly defaultValue: number;
}

export type ComparisonOperator =
  "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

export type TreatMissingData = "missing" | "notBreaching" | "breaching" | "ignore";

export type Statistic = "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum";

export interface AlarmRule {
  readonly alarmName: string;
  readonly description: string;
  readonly statistic: Statistic;
  readonly periodSeconds: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

/**
 * The walkthrough's filter for a format's fields: ICMP (protocol 1) REJECT records. For the default
 * format it is the walkthrough's pattern verbatim (14 positional fields); the extended format names
 * its other fields after them.
 */
export function pingDenyFilter(fields: readonly FlowLogField[]): MetricFilterDefinition {
  return {
    filterName: "Lab-VPC-Flow-Log-Ping-Deny",
    pattern: positionalPattern(fields, { protocol: `protocol="${PROTOCOL.ICMP}"`, action: 'action="REJECT"' }),
    metricNamespace: "Lab-VPC-Flow-Log-Ping",
    metricName: "Ping-Deny",
    metricValue: "1",
    defaultValue: 0,
  };
}

/** The walkthrough's filter, on the default format. */
export const PING_DENY_FILTER: MetricFilterDefinition = pingDenyFilter(FLOW_LOG_FIELDS);

/**
 * The walkthrough's alarm: Sum over 1 minute >= 1. Missing data (no flow-log events at all in a
 * minute) counts as not breaching, so the alarm settles in OK instead of INSUFFICIENT_DATA.
 */
export const PING_DENY_ALARM: AlarmRule = {
  alarmName: "CloudWatch-Alarm-Ping-Deny",
  description: "Rejected outbound pings (ICMP REJECT records) in the VPC flow logs",
  statistic: "Sum",
  periodSeconds: 60,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  threshold: 1,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  treatMissingData: "notBreaching",
};
