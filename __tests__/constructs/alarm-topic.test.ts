import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AlarmTopic } from "../../constructs/alarm-topic";
import { LabKey } from "../../constructs/lab-key";
import { dataRef, only, parse, policyOf, ref, resources, synthConstruct } from "../helpers";

describe("AlarmTopic with defaults", () => {
  const json = synthConstruct((scope) => new AlarmTopic(scope, "topic"));
  const tf = parse(json);

  test("topic CloudWatch_Alarms_Ping_Deny encrypted with its own customer-managed key", () => {
    expect(json).toHaveResourceWithProperties(SnsTopic, {
      name: "CloudWatch_Alarms_Ping_Deny",
      kms_master_key_id: ref(tf, "aws_kms_key", "arn"),
    });
    expect(only(tf, "aws_sns_topic").body.kms_master_key_id).not.toMatch(/alias\/aws\/sns/);
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 7 });
    expect(json).toHaveResourceWithProperties(KmsAlias, {
      name: "alias/CloudWatch_Alarms_Ping_Deny",
      target_key_id: ref(tf, "aws_kms_key", "key_id"),
    });
  });

  test("the key lets CloudWatch encrypt alarm notifications for this account", () => {
    const statements = policyOf(only(tf, "aws_kms_key").body).Statement;
    expect(statements).toContainEqual({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": dataRef(tf, "aws_caller_identity", "account_id") } },
    });
  });

  test("the topic policy lets CloudWatch publish", () => {
    const statements = policyOf(only(tf, "aws_sns_topic_policy").body).Statement;
    expect(only(tf, "aws_sns_topic_policy").body.arn).toBe(ref(tf, "aws_sns_topic", "arn"));
    expect(statements[0]).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: ref(tf, "aws_sns_topic", "arn"),
    });
  });

  test("no e-mail subscription without an address", () => {
    expect(tf.resource.aws_sns_topic_subscription).toBeUndefined();
  });
});

test("an e-mail address gets a subscription to the topic", () => {
  const json = synthConstruct((scope) => new AlarmTopic(scope, "topic", { email: "ops@example.com", topicName: "t" }));
  const tf = parse(json);
  expect(json).toHaveResourceWithProperties(SnsTopic, { name: "t" });
  expect(json).toHaveResourceWithProperties(SnsTopicSubscription, {
    topic_arn: ref(tf, "aws_sns_topic", "arn"),
    protocol: "email",
    endpoint: "ops@example.com",
  });
});

test("a given key is used instead of a key of the topic's own", () => {
  const tf = parse(
    synthConstruct((scope) => {
      const key = new LabKey(scope, "shared");
      new AlarmTopic(scope, "topic", { key: key.key });
    }),
  );
  expect(Object.keys(resources(tf, "aws_kms_key"))).toHaveLength(1);
  expect(only(tf, "aws_sns_topic").body.kms_master_key_id).toBe(ref(tf, "aws_kms_key", "arn"));
  expect(only(tf, "aws_kms_alias").body.name).toBe("alias/Lab-VPC-Flow-Logs");
});
