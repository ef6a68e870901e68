import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { AwsContext } from "./aws-context";
import { policyDocument, type PolicyStatement } from "./policy-documents";

export interface LabKeyProps {
  /** @default "alias/Lab-VPC-Flow-Logs" */
  readonly aliasName?: string;
  /** Log groups (by name) whose events this key may encrypt. @default [] */
  readonly logGroupNames?: readonly string[];
  /** Let CloudWatch alarms publish to SNS topics encrypted with this key. @default true */
  readonly allowCloudWatchAlarms?: boolean;
}

/**
 * The lab's customer-managed KMS key (rotated yearly): encrypts the flow-log log group and the alarm
 * topic. Its policy admits CloudWatch Logs only for the named log groups (by encryption context) and
 * CloudWatch alarms only from this account. One key keeps the lab at one key's monthly cost.
 */
export class LabKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: LabKeyProps = {}) {
    super(scope, id);
    const aws = AwsContext.of(this);
    const statements: PolicyStatement[] = [
      {
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: `arn:${aws.partition}:iam::${aws.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    const logGroups = props.logGroupNames ?? [];
    if (logGroups.length > 0) {
      statements.push({
        Sid: "CloudWatchLogsEncrypt",
        Effect: "Allow",
        Principal: { Service: `logs.${aws.region}.${aws.dnsSuffix}` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnEquals: {
            "kms:EncryptionContext:aws:logs:arn": logGroups.map(
              (name) => `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:log-group:${name}`,
            ),
          },
        },
      });
    }
    if (props.allowCloudWatchAlarms ?? true) {
      statements.push({
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": aws.accountId } },
      });
    }

    this.key = new KmsKey(this, "key", {
      description: "Encrypts the VPC flow-logs lab's log group and alarm topic",
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: policyDocument(statements),
    });
    new KmsAlias(this, "alias", { name: props.aliasName ?? "alias/Lab-VPC-Flow-Logs", targetKeyId: this.key.keyId });
  }
}
