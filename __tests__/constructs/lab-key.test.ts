import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LabKey } from "../../constructs/lab-key";
import { dataRef, only, parse, policyOf, ref, synthConstruct } from "../helpers";

describe("LabKey", () => {
  const json = synthConstruct((scope) => new LabKey(scope, "key", { logGroupNames: ["g1", "g2"] }));
  const tf = parse(json);
  const statements = policyOf(only(tf, "aws_kms_key").body).Statement;
  const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
  const account = dataRef(tf, "aws_caller_identity", "account_id");

  test("a rotated key with an alias", () => {
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 7 });
    expect(json).toHaveResourceWithProperties(KmsAlias, {
      name: "alias/Lab-VPC-Flow-Logs",
      target_key_id: ref(tf, "aws_kms_key", "key_id"),
    });
  });

  test("CloudWatch Logs may use it only for the named log groups", () => {
    expect(bySid.CloudWatchLogsEncrypt.Principal).toEqual({
      Service: expect.stringMatching(/^logs\.\$\{data\.aws_region\..*\}\.\$\{data\.aws_partition\..*dns_suffix\}$/),
    });
    const arns = (bySid.CloudWatchLogsEncrypt.Condition as Record<string, Record<string, string[]>>).ArnEquals[
      "kms:EncryptionContext:aws:logs:arn"
    ];
    expect(arns).toHaveLength(2);
    expect(arns[0]).toMatch(new RegExp(`:logs:.*:${account.replace(/[$.{}]/g, "\\$&")}:log-group:g1$`));
    expect(arns[1]).toMatch(/:log-group:g2$/);
  });

  test("CloudWatch alarms may use it to publish to encrypted topics, from this account", () => {
    expect(bySid.CloudWatchAlarmsPublish).toEqual({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": account } },
    });
  });
});

test("without log groups or alarms, only the account administers the key", () => {
  const tf = parse(
    synthConstruct((scope) => new LabKey(scope, "key", { aliasName: "alias/x", allowCloudWatchAlarms: false })),
  );
  expect(policyOf(only(tf, "aws_kms_key").body).Statement.map((s) => s.Sid)).toEqual(["AccountAdministers"]);
  expect(only(tf, "aws_kms_alias").body.name).toBe("alias/x");
});
