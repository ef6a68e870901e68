/**
 * Flow-log pipeline health: the log group stops receiving records. Deployed as an alarm on the log
 * group's own metric (AWS/Logs IncomingLogEvents, Sum per 5 minutes below 1), missing data counted
 * as breaching, so a delivery that stops (a deleted flow log, a broken role, a throttled account)
 * raises it after LAB_FLOW_LOG_SILENCE_MINUTES. A live flow log writes records every aggregation
 * interval while the VPC has a network interface (NODATA records when no traffic), so silence means
 * the pipeline, not a quiet network. The periods are 5 minutes on the clock: a silence is seen once
 * it spans that many whole periods (15 minutes: after 15 to 20 minutes).
 */
import { DETECTION_PERIOD_SECONDS } from "./detection-metrics";
import type { AlarmRule, MetricFilterDefinition } from "./ping-deny";

export const FLOW_LOG_SILENCE_NAMES = { alarmName: "CloudWatch-Alarm-Flow-Logs-Silent" } as const;

/** The log group metric the alarm watches (with the dimension LogGroupName). */
export const INCOMING_LOG_EVENTS = { namespace: "AWS/Logs", metricName: "IncomingLogEvents" } as const;

/** Silence of `minutes` (a multiple of 5) raises the alarm. */
export function flowLogSilenceAlarm(minutes: number): AlarmRule {
  const periods = (minutes * 60) / DETECTION_PERIOD_SECONDS;
  return {
    alarmName: FLOW_LOG_SILENCE_NAMES.alarmName,
    description: `No flow-log records reached the log group for ${minutes} minutes (the flow-log pipeline stopped)`,
    statistic: "Sum",
    periodSeconds: DETECTION_PERIOD_SECONDS,
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    treatMissingData: "breaching",
  };
}

/**
 * IncomingLogEvents as the offline engine computes it: every record is one log event, so a filter
 * that matches every event (the empty pattern) publishing 1 counts them. Not deployed: AWS publishes
 * the metric itself.
 */
export const INCOMING_LOG_EVENTS_FILTER: MetricFilterDefinition = {
  filterName: "IncomingLogEvents",
  pattern: "",
  metricNamespace: INCOMING_LOG_EVENTS.namespace,
  metricName: INCOMING_LOG_EVENTS.metricName,
  metricValue: "1",
  defaultValue: 0,
};
