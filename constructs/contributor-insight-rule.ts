import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchContributorInsightRule } from "@cdktf/provider-aws/lib/cloudwatch-contributor-insight-rule";
import { Construct } from "constructs";
import type { ContributorRule } from "../monitoring/contributor-rules";

export interface ContributorInsightRuleProps {
  /** The log group the rule reads (the CloudWatch flow log's). */
  readonly logGroup: CloudwatchLogGroup;
  /** The rule (monitoring/contributor-rules.ts). */
  readonly rule: ContributorRule;
  /** Physical name (the naming catalogue's). @default rule.name */
  readonly ruleName?: string;
}

/** A Contributor Insights rule on the flow-log group, enabled: its top contributors show in the console. */
export class ContributorInsightRule extends Construct {
  readonly rule: CloudwatchContributorInsightRule;

  constructor(scope: Construct, id: string, props: ContributorInsightRuleProps) {
    super(scope, id);
    this.rule = new CloudwatchContributorInsightRule(this, "rule", {
      ruleName: props.ruleName ?? props.rule.name,
      ruleState: "ENABLED",
      ruleDefinition: props.rule.definition(props.logGroup.name),
    });
  }
}
