import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import {
  PING_DENY_ALARM,
  PING_DENY_FILTER,
  type AlarmRule,
  type MetricFilterDefinition,
} from "../monitoring/ping-deny";

export interface PingDenyAlarmProps {
  /** Log group that receives the VPC flow-log records (default format). */
  readonly logGroup: CloudwatchLogGroup;
  /** SNS topic notified when the alarm goes to ALARM. */
  readonly topic: SnsTopic;
  /** @default PING_DENY_FILTER (the walkthrough's filter) */
  readonly filter?: MetricFilterDefinition;
  /** @default PING_DENY_ALARM (the walkthrough's alarm) */
  readonly alarm?: AlarmRule;
}

/**
 * The walkthrough's detection: a metric filter that counts rejected ICMP records and an alarm on its
 * per-minute sum. The definitions live in monitoring/ping-deny.ts, where the offline engine reads them too.
 */
export class PingDenyAlarm extends Construct {
  readonly metricFilter: CloudwatchLogMetricFilter;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: PingDenyAlarmProps) {
    super(scope, id);
    const filter = props.filter ?? PING_DENY_FILTER;
    const rule = props.alarm ?? PING_DENY_ALARM;

    this.metricFilter = new CloudwatchLogMetricFilter(this, "metric-filter", {
      name: filter.filterName,
      logGroupName: props.logGroup.name,
      pattern: filter.pattern,
      metricTransformation: {
        namespace: filter.metricNamespace,
        name: filter.metricName,
        value: filter.metricValue,
        defaultValue: String(filter.defaultValue),
      },
    });

    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: rule.alarmName,
      alarmDescription: rule.description,
      namespace: filter.metricNamespace,
      metricName: filter.metricName,
      statistic: rule.statistic,
      period: rule.periodSeconds,
      comparisonOperator: rule.comparisonOperator,
      threshold: rule.threshold,
      evaluationPeriods: rule.evaluationPeriods,
      datapointsToAlarm: rule.datapointsToAlarm,
      treatMissingData: rule.treatMissingData,
      alarmActions: [props.topic.arn],
      // The metric exists only once the filter does.
      dependsOn: [this.metricFilter],
    });
  }
}
