import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { flowLogFields, flowLogFormat, type FlowLogFormatName } from "../monitoring/flow-log-fields";
import { AwsContext } from "./aws-context";
import { DEFAULTS, type AggregationIntervalSeconds, type TrafficType } from "./options";
import { policyDocument, trustPolicy } from "./policy-documents";

export interface CloudWatchFlowLogProps {
  /** The VPC to watch (any VPC, not only the lab's). */
  readonly vpcId: string;
  /** @default - the walkthrough's name, "Lab-VPC-Flow-Log-Group" */
  readonly logGroupName?: string;
  /** Days; 0 = never expire. @default 0 (the walkthrough's choice) */
  readonly retentionInDays?: number;
  /** @default - the walkthrough's name, "flowlogsRole" */
  readonly roleName?: string;
  /** @default - the walkthrough's name, "flowlogsPolicy" */
  readonly policyName?: string;
  /** @default - the walkthrough's name, "VPC-Flow-Log-Cloudwatch" */
  readonly flowLogName?: string;
  /** @default "ALL" */
  readonly trafficType?: TrafficType;
  /** @default 60 */
  readonly maxAggregationIntervalSeconds?: AggregationIntervalSeconds;
  /** The records' fields; the log group's metric filters must be built for the same. @default "default" */
  readonly format?: FlowLogFormatName;
  /** Encrypts the log group; its policy must admit CloudWatch Logs (LabKey's does). @default an AWS-owned key */
  readonly key?: KmsKey;
  /** Permissions boundary (policy ARN) of the role; required when a CI role creates it. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * VPC flow log to CloudWatch Logs: the log group, the IAM role that the flow-logs service assumes to
 * write into it, and the flow log. The walkthrough's policy (with its typos fixed) is scoped to this
 * log group; logs:CreateLogGroup is left out so late records cannot re-create a destroyed group.
 */
export class CloudWatchFlowLog extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly policy: IamPolicy;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: CloudWatchFlowLogProps) {
    super(scope, id);
    const aws = AwsContext.of(this);
    const policyName = props.policyName ?? BASE_NAMES.flowLogPolicy;
    const roleName = props.roleName ?? BASE_NAMES.flowLogRole;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: props.logGroupName ?? BASE_NAMES.logGroup,
      retentionInDays: props.retentionInDays ?? DEFAULTS.logRetentionDays,
      kmsKeyId: props.key?.arn,
    });

    this.role = new IamRole(this, "role", {
      name: roleName,
      description: roleName,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: trustPolicy(
        { Service: "vpc-flow-logs.amazonaws.com" },
        {
          StringEquals: { "aws:SourceAccount": aws.accountId },
          ArnLike: { "aws:SourceArn": `arn:${aws.partition}:ec2:${aws.region}:${aws.accountId}:vpc-flow-log/*` },
        },
      ),
    });

    this.policy = new IamPolicy(this, "policy", {
      name: policyName,
      description: policyName,
      policy: policyDocument([
        {
          Sid: "WriteFlowLogRecords",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
        {
          Sid: "FindLogGroup",
          Effect: "Allow",
          Action: ["logs:DescribeLogGroups"],
          Resource: `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:log-group:*`,
        },
      ]),
    });

    const attachment = new IamRolePolicyAttachment(this, "policy-attachment", {
      role: this.role.name,
      policyArn: this.policy.arn,
    });

    this.flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? DEFAULTS.trafficType,
      maxAggregationInterval: props.maxAggregationIntervalSeconds ?? DEFAULTS.aggregationIntervalSeconds,
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      // Positional metric-filter patterns depend on this exact field order.
      logFormat: Fn.rawString(flowLogFormat(flowLogFields(props.format ?? DEFAULTS.flowLogFormat))),
      tags: { Name: props.flowLogName ?? BASE_NAMES.cloudWatchFlowLog },
      // Without the permissions in place, the first deliveries fail and the flow log reports an error.
      dependsOn: [attachment],
    });
  }
}
