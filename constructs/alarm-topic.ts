import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { BASE_NAMES } from "../config/names";
import { AwsContext } from "./aws-context";
import { policyDocument } from "./policy-documents";
import { LabKey } from "./lab-key";

export interface AlarmTopicProps {
  /** @default "CloudWatch_Alarms_Ping_Deny" */
  readonly topicName?: string;
  /** Address that receives the alarm e-mails; it must confirm the subscription. @default no subscription */
  readonly email?: string;
  /**
   * Customer-managed key to encrypt the topic with; its policy must let cloudwatch.amazonaws.com use
   * kms:Decrypt and kms:GenerateDataKey* (LabKey does). @default a key of the topic's own
   */
  readonly key?: KmsKey;
}

/**
 * The SNS topic that CloudWatch alarms notify, encrypted with a customer-managed KMS key. The
 * AWS-managed key (alias/aws/sns) cannot be used: its policy does not let CloudWatch use it, and
 * alarm notifications are silently dropped.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;
  readonly subscription?: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const aws = AwsContext.of(this);
    const topicName = props.topicName ?? BASE_NAMES.alarmTopic;

    this.key = props.key ?? new LabKey(this, "key", { aliasName: `alias/${topicName}` }).key;
    this.topic = new SnsTopic(this, "topic", { name: topicName, kmsMasterKeyId: this.key.arn });

    new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: { StringEquals: { "aws:SourceAccount": aws.accountId } },
        },
        {
          Sid: "AccountManages",
          Effect: "Allow",
          Principal: { AWS: `arn:${aws.partition}:iam::${aws.accountId}:root` },
          Action: [
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:Subscribe",
            "sns:ListSubscriptionsByTopic",
            "sns:Publish",
          ],
          Resource: this.topic.arn,
        },
      ]),
    });

    if (props.email) {
      // Unconfirmed e-mail subscriptions cannot be deleted by Terraform; AWS removes them after ~3 days.
      this.subscription = new SnsTopicSubscription(this, "email-subscription", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: props.email,
      });
    }
  }
}
