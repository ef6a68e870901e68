import type { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { logMetricFilter } from "./log-metric-filter";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import { alarmRuleProps } from "./alarm-rule-props";
import type { AlarmRule, MetricFilterDefinition } from "../monitoring/ping-deny";

export interface MetricFilterAlarmProps {
  /** Log group that receives the VPC flow-log records (default format). */
  readonly logGroup: CloudwatchLogGroup;
  /** SNS topic notified when the alarm goes to ALARM. */
  readonly topic: SnsTopic;
  /** What counts (a detection's filter: monitoring/detections.ts). */
  readonly filter: MetricFilterDefinition;
  /** When it raises the alarm. */
  readonly alarm: AlarmRule;
}

/**
 * One detection deployed: a metric filter that counts the matching flow-log records and an alarm on
 * its statistic. The definitions live in monitoring/, where the offline engine reads them too.
 */
export class MetricFilterAlarm extends Construct {
  readonly metricFilter: CloudwatchLogMetricFilter;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricFilterAlarmProps) {
    super(scope, id);
    const { filter, alarm: rule } = props;

    this.metricFilter = logMetricFilter(this, "metric-filter", props.logGroup, filter);

    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      ...alarmRuleProps(rule),
      namespace: filter.metricNamespace,
      metricName: filter.metricName,
      alarmActions: [props.topic.arn],
      // The metric exists only once the filter does.
      dependsOn: [this.metricFilter],
    });
  }
}
