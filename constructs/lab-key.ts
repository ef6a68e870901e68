import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { AwsContext } from "./aws-context";
import { policyDocument, type PolicyStatement } from "./policy-documents";

/** What the key's own policy lets its administrators do (a CI role that creates and updates the key). */
export const KEY_ADMINISTRATION_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:UpdateKeyDescription",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:ScheduleKeyDeletion",
] as const;

/** What the key's own policy lets its readers do (a CI role that plans: Terraform's refresh). */
export const KEY_READ_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListResourceTags",
] as const;

export interface LabKeyProps {
  /** @default "alias/Lab-VPC-Flow-Logs" */
  readonly aliasName?: string;
  /** Log groups (by name) whose events this key may encrypt. @default [] */
  readonly logGroupNames?: readonly string[];
  /** Let CloudWatch alarms publish to SNS topics encrypted with this key. @default true */
  readonly allowCloudWatchAlarms?: boolean;
  /**
   * Roles (ARNs) that administer this key through its key policy, not through IAM: so a role that
   * creates the key needs no IAM right on any key of the account. @default []
   */
  readonly administratorArns?: readonly string[];
  /** Roles (ARNs) that may read the key's configuration through its key policy. @default [] */
  readonly readerArns?: readonly string[];
  /**
   * Provider of the key and its alias. Give one without default tags when a CI role creates the key:
   * tagging a key at creation needs kms:TagResource on every key of the account. @default the stack's
   */
  readonly provider?: TerraformProvider;
}

/**
 * The lab's customer-managed KMS key (rotated yearly): encrypts the flow-log log group and the alarm
 * topic. Its policy admits CloudWatch Logs only for the named log groups (by encryption context) and
 * CloudWatch alarms only from this account. One key keeps the lab at one key's monthly cost.
 */
export class LabKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

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
    if (props.administratorArns?.length) {
      statements.push({
        Sid: "RolesAdminister",
        Effect: "Allow",
        Principal: { AWS: [...props.administratorArns] },
        Action: [...KEY_ADMINISTRATION_ACTIONS],
        Resource: "*",
      });
    }
    if (props.readerArns?.length) {
      statements.push({
        Sid: "RolesRead",
        Effect: "Allow",
        Principal: { AWS: [...props.readerArns] },
        Action: [...KEY_READ_ACTIONS],
        Resource: "*",
      });
    }
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
      provider: props.provider,
    });
    this.alias = new KmsAlias(this, "alias", {
      name: props.aliasName ?? BASE_NAMES.keyAlias,
      targetKeyId: this.key.keyId,
      provider: props.provider,
    });
  }
}
