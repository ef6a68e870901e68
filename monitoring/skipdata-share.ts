/**
 * Flow-log pipeline health, the other half: the share of SKIPDATA records. A flow log writes a
 * SKIPDATA record when it skipped records of an aggregation interval (an internal capacity limit or
 * error): the traffic happened, and no detection saw it. Deployed as two metric filters, one counting
 * SKIPDATA records and one counting every record, and an alarm on a metric math expression, their
 * ratio per 5 minutes in percent. Both metrics are stamped with the records' own time (a metric
 * filter's datapoint takes its log event's timestamp), so the ratio compares records of one interval;
 * the log group's AWS/Logs IncomingLogEvents counts events as they arrive, minutes later, and would
 * divide one interval's skips by another's records. The engine computes the same share from the
 * records (flowlogs detect, replay --detection).
 */
import { DETECTION_PERIOD_SECONDS } from "./detection-metrics";
import { fieldIndex, type FlowLogField } from "./flow-log-fields";
import { positionalPattern } from "./positional-pattern";
import type { MetricFilterDefinition } from "./ping-deny";
import type { MathAlarmRule, MetricQuery } from "./port-scan";

/** Its names (the naming catalogue, config/names.ts, adds a deployment's suffix). */
export const SKIPDATA_NAMES = {
  filterName: "Lab-VPC-Flow-Log-SkipData",
  metricName: "SkipData",
  recordsFilterName: "Lab-VPC-Flow-Log-Records",
  recordsMetricName: "Records",
  alarmName: "CloudWatch-Alarm-Flow-Logs-SkipData",
} as const;

export const SKIPDATA_PERIOD_SECONDS = DETECTION_PERIOD_SECONDS;

const countOf = (filterName: string, metricName: string, pattern: string, metricNamespace: string) => ({
  filterName,
  pattern,
  metricNamespace,
  metricName,
  metricValue: "1",
  defaultValue: 0,
});

/** SKIPDATA records: the log-status field is SKIPDATA. */
export function skipDataFilter(metricNamespace: string, fields: readonly FlowLogField[]): MetricFilterDefinition {
  const status = fields[fieldIndex(fields, "log-status")].column;
  return countOf(
    SKIPDATA_NAMES.filterName,
    SKIPDATA_NAMES.metricName,
    positionalPattern(fields, { [status]: `${status}="SKIPDATA"` }),
    metricNamespace,
  );
}

/** Every record: the format's fields, no condition (the share's denominator). */
export function recordsFilter(metricNamespace: string, fields: readonly FlowLogField[]): MetricFilterDefinition {
  return countOf(
    SKIPDATA_NAMES.recordsFilterName,
    SKIPDATA_NAMES.recordsMetricName,
    positionalPattern(fields),
    metricNamespace,
  );
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

/** The alarm's queries for the deployed filters: each one's Sum per period, and the share. */
export function skipDataQueries(filters: {
  readonly skipped: Pick<MetricFilterDefinition, "metricNamespace" | "metricName">;
  readonly records: Pick<MetricFilterDefinition, "metricNamespace" | "metricName">;
}): (MetricQuery | MetricStatQuery)[] {
  const period = SKIPDATA_PERIOD_SECONDS;
  const sum = (f: Pick<MetricFilterDefinition, "metricNamespace" | "metricName">) => ({
    namespace: f.metricNamespace,
    metricName: f.metricName,
    stat: "Sum" as const,
    period,
  });
  return [
    { id: "skipped", label: "SKIPDATA records", returnData: false, metric: sum(filters.skipped) },
    { id: "records", label: "Flow-log records", returnData: false, metric: sum(filters.records) },
    {
      id: "share",
      expression: "IF(records > 0, 100 * skipped / records, 0)",
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
    readonly stat: "Sum";
    readonly period: number;
  };
}
