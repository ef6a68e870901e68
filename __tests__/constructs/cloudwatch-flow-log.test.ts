import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CloudWatchFlowLog } from "../../constructs/cloudwatch-flow-log";
import { dataRef, only, parse, policyOf, ref, synthConstruct } from "../helpers";

describe("CloudWatchFlowLog with defaults", () => {
  const json = synthConstruct((scope) => new CloudWatchFlowLog(scope, "cw", { vpcId: "vpc-123" }));
  const tf = parse(json);
  const account = dataRef(tf, "aws_caller_identity", "account_id");

  test("log group Lab-VPC-Flow-Log-Group that never expires", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "Lab-VPC-Flow-Log-Group",
      retention_in_days: 0,
    });
  });

  test("flow log VPC-Flow-Log-Cloudwatch: all traffic, 1 minute, to the log group, through the role", () => {
    expect(json).toHaveResourceWithProperties(FlowLog, {
      vpc_id: "vpc-123",
      traffic_type: "ALL",
      max_aggregation_interval: 60,
      log_destination_type: "cloud-watch-logs",
      log_destination: ref(tf, "aws_cloudwatch_log_group", "arn"),
      iam_role_arn: ref(tf, "aws_iam_role", "arn"),
      tags: { Name: "VPC-Flow-Log-Cloudwatch" },
    });
  });

  test("the flow log waits for the role's permissions", () => {
    expect(only(tf, "aws_flow_log").body.depends_on).toEqual([
      `aws_iam_role_policy_attachment.${only(tf, "aws_iam_role_policy_attachment").id}`,
    ]);
  });

  test("log_format lists the 14 default fields with ${ escaped for Terraform", () => {
    const format = only(tf, "aws_flow_log").body.log_format as string;
    expect(format.startsWith("$${version} $${account-id} $${interface-id}")).toBe(true);
    expect(format.endsWith("$${action} $${log-status}")).toBe(true);
    expect(format.split(" ")).toHaveLength(14);
    expect(format).not.toMatch(/(^|[^$])\$\{/);
  });

  test("role flowlogsRole is trusted by vpc-flow-logs.amazonaws.com from this account's flow logs only", () => {
    expect(json).toHaveResourceWithProperties(IamRole, { name: "flowlogsRole", description: "flowlogsRole" });
    const trust = policyOf(only(tf, "aws_iam_role").body, "assume_role_policy");
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: {
            "aws:SourceArn": expect.stringMatching(
              /^arn:\$\{data\.aws_partition\..*\}:ec2:\$\{data\.aws_region\..*\}:\$\{data\.aws_caller_identity\..*\}:vpc-flow-log\/\*$/,
            ),
          },
        },
      },
    ]);
  });

  test("policy flowlogsPolicy: the walkthrough's actions without typos, scoped to the log group, no CreateLogGroup", () => {
    expect(json).toHaveResourceWithProperties(IamPolicy, { name: "flowlogsPolicy", description: "flowlogsPolicy" });
    const statements = policyOf(only(tf, "aws_iam_policy").body).Statement;
    const actions = statements.flatMap((s) => s.Action as string[]);
    expect(actions.sort()).toEqual([
      "logs:CreateLogStream",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]);
    for (const action of actions) expect(action).not.toMatch(/\s/);
    const logGroupArn = ref(tf, "aws_cloudwatch_log_group", "arn");
    expect(statements[0].Resource).toEqual([logGroupArn, `${logGroupArn}:*`]);
    expect(statements[1].Resource).toMatch(
      /:logs:\$\{data\.aws_region\..*\}:\$\{data\.aws_caller_identity\..*\}:log-group:\*$/,
    );
    for (const s of statements) expect(s.Resource).not.toBe("*");
  });

  test("the policy is attached to the role", () => {
    expect(json).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role: ref(tf, "aws_iam_role", "name"),
      policy_arn: ref(tf, "aws_iam_policy", "arn"),
    });
  });
});

test("CloudWatchFlowLog overrides", () => {
  const json = synthConstruct((scope) => {
    const key = new KmsKey(scope, "k", {});
    new CloudWatchFlowLog(scope, "cw", {
      vpcId: "vpc-9",
      logGroupName: "g",
      retentionInDays: 30,
      roleName: "r",
      policyName: "p",
      flowLogName: "f",
      trafficType: "REJECT",
      maxAggregationIntervalSeconds: 600,
      key,
      permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/b",
    });
  });
  expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
    name: "g",
    retention_in_days: 30,
    kms_key_id: `\${${"aws_kms_key"}.${Object.keys(parse(json).resource.aws_kms_key)[0]}.arn}`,
  });
  expect(json).toHaveResourceWithProperties(IamRole, {
    name: "r",
    permissions_boundary: "arn:aws:iam::123456789012:policy/b",
  });
  expect(json).toHaveResourceWithProperties(IamPolicy, { name: "p" });
  expect(json).toHaveResourceWithProperties(FlowLog, {
    traffic_type: "REJECT",
    max_aggregation_interval: 600,
    tags: { Name: "f" },
  });
});
