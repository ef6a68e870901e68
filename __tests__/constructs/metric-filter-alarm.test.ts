import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import type { Construct } from "constructs";
import { MetricFilterAlarm } from "../../constructs/metric-filter-alarm";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import { PING_DENY_ALARM, PING_DENY_FILTER } from "../../monitoring/ping-deny";
import { only, parse, ref, synthConstruct } from "../helpers";

/** The log group and topic the alarm is wired to. */
function targets(scope: Construct) {
  return {
    logGroup: new CloudwatchLogGroup(scope, "group", { name: "Lab-VPC-Flow-Log-Group" }),
    topic: new SnsTopic(scope, "topic", { name: "CloudWatch_Alarms_Ping_Deny" }),
    filter: PING_DENY_FILTER,
    alarm: PING_DENY_ALARM,
  };
}

const WALKTHROUGH_PATTERN =
  '[version, account, eni, source, destination, srcport, destport, protocol="1", packets, bytes, starttime, endtime, action="REJECT", flowlogstatus]';

describe("MetricFilterAlarm with the walkthrough's definitions", () => {
  const json = synthConstruct((scope) => new MetricFilterAlarm(scope, "ping", targets(scope)));
  const tf = parse(json);

  test("metric filter Lab-VPC-Flow-Log-Ping-Deny with exactly the walkthrough's pattern", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
      name: "Lab-VPC-Flow-Log-Ping-Deny",
      log_group_name: ref(tf, "aws_cloudwatch_log_group", "name"),
      pattern: WALKTHROUGH_PATTERN,
      metric_transformation: { namespace: "Lab-VPC-Flow-Log-Ping", name: "Ping-Deny", value: "1", default_value: "0" },
    });
  });

  test("the pattern has one field per record field, in the deployed format's order", () => {
    const names = PING_DENY_FILTER.pattern
      .slice(1, -1)
      .split(",")
      .map((f) => f.trim().split("=")[0]);
    expect(names).toHaveLength(FLOW_LOG_FIELDS.length);
    expect(names.indexOf("protocol")).toBe(FLOW_LOG_FIELDS.findIndex((f) => f.field === "protocol"));
    expect(names.indexOf("action")).toBe(FLOW_LOG_FIELDS.findIndex((f) => f.field === "action"));
  });

  test("alarm CloudWatch-Alarm-Ping-Deny: Sum over 60 s >= 1, notifies the topic on ALARM", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "CloudWatch-Alarm-Ping-Deny",
      namespace: "Lab-VPC-Flow-Log-Ping",
      metric_name: "Ping-Deny",
      statistic: "Sum",
      period: 60,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      alarm_actions: [ref(tf, "aws_sns_topic", "arn")],
    });
  });

  test("missing data does not leave the alarm in INSUFFICIENT_DATA", () => {
    expect(only(tf, "aws_cloudwatch_metric_alarm").body.treat_missing_data).toBe("notBreaching");
  });

  test("the alarm is created after the filter that defines its metric", () => {
    expect(only(tf, "aws_cloudwatch_metric_alarm").body.depends_on).toEqual([
      `aws_cloudwatch_log_metric_filter.${only(tf, "aws_cloudwatch_log_metric_filter").id}`,
    ]);
  });
});

test("filter and alarm definitions can be replaced", () => {
  const json = synthConstruct(
    (scope) =>
      new MetricFilterAlarm(scope, "ping", {
        ...targets(scope),
        filter: { ...PING_DENY_FILTER, filterName: "f", metricNamespace: "ns" },
        alarm: { ...PING_DENY_ALARM, alarmName: "a", threshold: 5, evaluationPeriods: 3 },
      }),
  );
  expect(json).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
    name: "f",
    metric_transformation: { namespace: "ns", name: "Ping-Deny", value: "1", default_value: "0" },
  });
  expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
    alarm_name: "a",
    namespace: "ns",
    threshold: 5,
    evaluation_periods: 3,
  });
});
