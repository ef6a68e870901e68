import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import { alarmRuleProps } from "./alarm-rule-props";
import { INCOMING_LOG_EVENTS } from "../monitoring/flow-log-silence";
import type { AlarmRule } from "../monitoring/ping-deny";

export interface LogGroupSilenceAlarmProps {
  /** The log group whose incoming events are watched. */
  readonly logGroup: CloudwatchLogGroup;
  /** SNS topic notified when the alarm goes to ALARM. */
  readonly topic: SnsTopic;
  /** The rule (monitoring/flow-log-silence.ts: flowLogSilenceAlarm). */
  readonly alarm: AlarmRule;
}

/**
 * An alarm on a log group's own metric, AWS/Logs IncomingLogEvents: no metric filter, AWS publishes
 * it for every group. With missing data breaching, a group that stops receiving events raises it.
 */
export class LogGroupSilenceAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: LogGroupSilenceAlarmProps) {
    super(scope, id);
    const rule = props.alarm;
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      ...alarmRuleProps(rule),
      namespace: INCOMING_LOG_EVENTS.namespace,
      metricName: INCOMING_LOG_EVENTS.metricName,
      dimensions: { LogGroupName: props.logGroup.name },
      alarmActions: [props.topic.arn],
    });
  }
}
