import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { FlowLogBucket } from "../../constructs/flow-log-bucket";
import { S3FlowLog } from "../../constructs/s3-flow-log";
import { only, parse, ref, synthConstruct } from "../helpers";

describe("S3FlowLog", () => {
  const json = synthConstruct((scope) => {
    const destination = new FlowLogBucket(scope, "bucket");
    new S3FlowLog(scope, "s3", { vpcId: "vpc-123", destination });
  });
  const tf = parse(json);

  test("Lab-VPC-Flow-Log-S3: all traffic, 1 minute, plain text to the bucket with the default prefixes", () => {
    expect(json).toHaveResourceWithProperties(FlowLog, {
      vpc_id: "vpc-123",
      traffic_type: "ALL",
      max_aggregation_interval: 60,
      log_destination_type: "s3",
      log_destination: ref(tf, "aws_s3_bucket", "arn"),
      destination_options: { file_format: "plain-text", hive_compatible_partitions: false, per_hour_partition: false },
      tags: { Name: "Lab-VPC-Flow-Log-S3" },
    });
  });

  test("depends on the bucket policy, so AWS never attaches its own", () => {
    expect(only(tf, "aws_flow_log").body.depends_on).toEqual([
      `aws_s3_bucket_policy.${only(tf, "aws_s3_bucket_policy").id}`,
    ]);
  });

  test("uses no IAM role (S3 delivery is authorized by the bucket policy)", () => {
    expect(only(tf, "aws_flow_log").body).not.toHaveProperty("iam_role_arn");
  });

  test("log_format is escaped for Terraform", () => {
    expect(only(tf, "aws_flow_log").body.log_format).toMatch(
      /^\$\$\{version\} \$\$\{account-id\} .* \$\$\{log-status\}$/,
    );
  });
});

test("S3FlowLog overrides", () => {
  const json = synthConstruct((scope) => {
    const destination = new FlowLogBucket(scope, "bucket");
    new S3FlowLog(scope, "s3", {
      vpcId: "v",
      destination,
      flowLogName: "n",
      trafficType: "ACCEPT",
      maxAggregationIntervalSeconds: 600,
    });
  });
  expect(json).toHaveResourceWithProperties(FlowLog, {
    traffic_type: "ACCEPT",
    max_aggregation_interval: 600,
    tags: { Name: "n" },
  });
});
