import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import { alarmRuleProps } from "./alarm-rule-props";
import { ContributorInsightRule } from "./contributor-insight-rule";
import type { ContributorDetection } from "../monitoring/detections";
import { portScanQueries, type MathAlarmRule } from "../monitoring/port-scan";

export interface InsightRuleAlarmProps {
  /** The log group the rules read (the CloudWatch flow log's). */
  readonly logGroup: CloudwatchLogGroup;
  /** SNS topic notified when the alarm goes to ALARM. */
  readonly topic: SnsTopic;
  /** The detection (monitoring/detections.ts: port-scan). */
  readonly detection: ContributorDetection;
  /** Physical names (the naming catalogue's). */
  readonly portsRuleName: string;
  readonly sourcesRuleName: string;
  readonly alarm: MathAlarmRule;
}

/**
 * A detection that counts distinct values per contributor, deployed: its two Contributor Insights rules
 * on the flow-log group, and an alarm on a metric math expression over their UniqueContributors.
 */
export class InsightRuleAlarm extends Construct {
  readonly portsRule: ContributorInsightRule;
  readonly sourcesRule: ContributorInsightRule;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: InsightRuleAlarmProps) {
    super(scope, id);
    const { logGroup, detection } = props;
    this.portsRule = new ContributorInsightRule(this, "ports-rule", {
      logGroup,
      rule: detection.rules.ports,
      ruleName: props.portsRuleName,
    });
    this.sourcesRule = new ContributorInsightRule(this, "sources-rule", {
      logGroup,
      rule: detection.rules.sources,
      ruleName: props.sourcesRuleName,
    });
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      ...alarmRuleProps(props.alarm),
      metricQuery: portScanQueries({ ports: props.portsRuleName, sources: props.sourcesRuleName }),
      alarmActions: [props.topic.arn],
      // INSIGHT_RULE_METRIC reads the rules: they exist first.
      dependsOn: [this.portsRule.rule, this.sourcesRule.rule],
    });
  }
}
