/**
 * Flow-log pipeline health, the other half: the share of SKIPDATA records. A flow log writes a
 * SKIPDATA record when it skipped records of an aggregation interval (an internal capacity limit or
 * error): the traffic happened, and no detection saw it. Deployed as a metric filter that counts
 * SKIPDATA records and an alarm on a metric math expression, their share of the log group's incoming
 * events (AWS/Logs IncomingLogEvents: every record is one event) per 5 minutes, in percent. The
 * engine computes the same share from the records (flowlogs detect, replay --detection).
 */
import type { MetricFilterDefinition } from "./ping-deny";
import { INCOMING_LOG_EVENTS } from "./flow-log-silence";
import type { MathAlarmRule, MetricQuery } from "./port-scan";

/** Its names (the naming catalogue, config/names.ts, adds a deployment's suffix). */
export const SKIPDATA_NAMES = {
  filterName: "Lab-VPC-Flow-Log-SkipData",
  metricName: "SkipData",
  alarmName: "CloudWatch-Alarm-Flow-Logs-SkipData",
} as const;

export const SKIPDATA_PERIOD_SECONDS = 300;

/** SKIPDATA records: the 14 positional fields of the default format, the last one SKIPDATA. */
export function skipDataFilter(metricNamespace: string): MetricFilterDefinition {
  return {
    filterName: SKIPDATA_NAMES.filterName,
    pattern:
      '[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, starttime, endtime, action, flowlogstatus="SKIPDATA"]',
    metricNamespace,
    metricName: SKIPDATA_NAMES.metricName,
    metricValue: "1",
    defaultValue: 0,
  };
}

/** At least `percent` of a 5-minute period's records are SKIPDATA; no records is the silence alarm's business. */
export function skipDataAlarm(percent: number): MathAlarmRule {
  return {
    alarmName: SKIPDATA_NAMES.alarmName,
    description: `At least ${percent}% of the flow-log records in 5 minutes are SKIPDATA (the flow log skipped traffic it could not record)`,
    periodSeconds: SKIPDATA_PERIOD_SECONDS,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: percent,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: "notBreaching",
  };
}

/** The alarm's queries: the filter's Sum and the group's incoming events per period, and the share. */
export function skipDataQueries(target: {
  readonly metricNamespace: string;
  readonly logGroupName: string;
}): (MetricQuery | MetricStatQuery)[] {
  const period = SKIPDATA_PERIOD_SECONDS;
  return [
    {
      id: "skipped",
      label: "SKIPDATA records",
      returnData: false,
      metric: { namespace: target.metricNamespace, metricName: SKIPDATA_NAMES.metricName, stat: "Sum", period },
    },
    {
      id: "events",
      label: "Flow-log records (incoming log events)",
      returnData: false,
      metric: {
        namespace: INCOMING_LOG_EVENTS.namespace,
        metricName: INCOMING_LOG_EVENTS.metricName,
        dimensions: { LogGroupName: target.logGroupName },
        stat: "Sum",
        period,
      },
    },
    {
      id: "share",
      expression: "IF(events > 0, 100 * skipped / events, 0)",
      label: "SKIPDATA share of the records (%)",
      returnData: true,
      period,
    },
  ];
}

/** One query of a metric math alarm that reads a metric (PutMetricAlarm's MetricDataQuery with MetricStat). */
export interface MetricStatQuery {
  readonly id: string;
  readonly label: string;
  readonly returnData: boolean;
  readonly metric: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions?: Readonly<Record<string, string>>;
    readonly stat: "Sum";
    readonly period: number;
  };
}
