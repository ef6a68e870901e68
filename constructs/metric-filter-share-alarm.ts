import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import { alarmRuleProps } from "./alarm-rule-props";
import type { MetricFilterDefinition } from "../monitoring/ping-deny";
import type { MathAlarmRule } from "../monitoring/port-scan";
import { skipDataQueries } from "../monitoring/skipdata-share";

export interface MetricFilterShareAlarmProps {
  /** Log group that receives the VPC flow-log records (default format). */
  readonly logGroup: CloudwatchLogGroup;
  /** SNS topic notified when the alarm goes to ALARM. */
  readonly topic: SnsTopic;
  /** What counts (the detection's filter: monitoring/skipdata-share.ts). */
  readonly filter: MetricFilterDefinition;
  /** When its share of the group's records raises the alarm. */
  readonly alarm: MathAlarmRule;
}

/**
 * A metric filter and an alarm on its matches' share of all the log group's records: the filter's Sum
 * over the group's AWS/Logs IncomingLogEvents, in percent (monitoring/skipdata-share.ts).
 */
export class MetricFilterShareAlarm extends Construct {
  readonly metricFilter: CloudwatchLogMetricFilter;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricFilterShareAlarmProps) {
    super(scope, id);
    const { filter } = props;
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
    const queries = skipDataQueries({ metricNamespace: filter.metricNamespace, logGroupName: props.logGroup.name });
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      ...alarmRuleProps(props.alarm),
      metricQuery: queries.map((q) =>
        "metric" in q
          ? {
              id: q.id,
              label: q.label,
              returnData: q.returnData,
              metric: {
                namespace: q.metric.namespace,
                metricName: q.metric.metricName,
                dimensions: q.metric.dimensions,
                stat: q.metric.stat,
                period: q.metric.period,
              },
            }
          : q,
      ),
      alarmActions: [props.topic.arn],
      // The metric exists only once the filter does.
      dependsOn: [this.metricFilter],
    });
  }
}
