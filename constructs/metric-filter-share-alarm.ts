import type { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { logMetricFilter } from "./log-metric-filter";
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
  /** What it is a share of: a filter that counts every record. */
  readonly denominator: MetricFilterDefinition;
  /** When the share raises the alarm. */
  readonly alarm: MathAlarmRule;
}

/**
 * A metric filter, a second one that counts every record, and an alarm on the first's share of the
 * second (monitoring/skipdata-share.ts): both metrics carry the records' own time.
 */
export class MetricFilterShareAlarm extends Construct {
  readonly metricFilter: CloudwatchLogMetricFilter;
  readonly denominatorFilter: CloudwatchLogMetricFilter;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: MetricFilterShareAlarmProps) {
    super(scope, id);
    this.metricFilter = logMetricFilter(this, "metric-filter", props.logGroup, props.filter);
    this.denominatorFilter = logMetricFilter(this, "denominator-filter", props.logGroup, props.denominator);
    const queries = skipDataQueries({ skipped: props.filter, records: props.denominator });
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
                stat: q.metric.stat,
                period: q.metric.period,
              },
            }
          : q,
      ),
      alarmActions: [props.topic.arn],
      // The metrics exist only once the filters do.
      dependsOn: [this.metricFilter, this.denominatorFilter],
    });
  }
}
