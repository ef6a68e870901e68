import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { FlowLogBucket } from "../../constructs/flow-log-bucket";
import { s3LogKey } from "../../engine/generate/s3-layout";
import { dataRef, only, parse, policyOf, ref, synthConstruct } from "../helpers";

describe("FlowLogBucket with defaults", () => {
  const json = synthConstruct((scope) => new FlowLogBucket(scope, "bucket"));
  const tf = parse(json);
  const bucketArn = ref(tf, "aws_s3_bucket", "arn");
  const bucketId = ref(tf, "aws_s3_bucket", "id");
  const account = dataRef(tf, "aws_caller_identity", "account_id");

  test("the walkthrough's name with the account id and region, force-destroyed so destroy works with logs inside", () => {
    const bucket = only(tf, "aws_s3_bucket").body;
    expect(bucket).toMatchObject({
      bucket: `lab-vpc-flow-log-bucket-${dataRef(tf, "aws_caller_identity", "account_id")}-${dataRef(tf, "aws_region", "region")}`,
      force_destroy: true,
    });
    expect(bucket).not.toHaveProperty("bucket_prefix");
  });

  test("public access blocked, ACLs disabled, encrypted by default", () => {
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: bucketId,
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: bucketId,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: true }],
    });
  });

  test("lifecycle expires flow logs after 365 days and query results after 30", () => {
    const rules = only(tf, "aws_s3_bucket_lifecycle_configuration").body.rule as Record<string, unknown>[];
    expect(rules).toEqual([
      expect.objectContaining({
        id: "expire-flow-logs",
        status: "Enabled",
        filter: [{ prefix: "AWSLogs/" }],
        expiration: [{ days: 365 }],
      }),
      expect.objectContaining({
        id: "expire-query-results",
        filter: [{ prefix: "AthenaQueryResults/" }],
        expiration: [{ days: 30 }],
      }),
      expect.objectContaining({
        id: "abort-incomplete-uploads",
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }),
    ]);
  });

  describe("bucket policy", () => {
    const policy = only(tf, "aws_s3_bucket_policy");
    const statements = policyOf(policy.body).Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));

    test("is the bucket's, written after the public access block", () => {
      expect(policy.body.bucket).toBe(bucketId);
      expect(policy.body.depends_on).toEqual([
        `aws_s3_bucket_public_access_block.${only(tf, "aws_s3_bucket_public_access_block").id}`,
      ]);
      expect(Object.keys(bySid).sort()).toEqual([
        "AWSLogDeliveryAclCheck",
        "AWSLogDeliveryWrite",
        "DenyInsecureTransport",
      ]);
    });

    test("denies requests without TLS", () => {
      expect(bySid.DenyInsecureTransport).toEqual({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    });

    test("lets log delivery write under AWSLogs/<account>/ with bucket-owner-full-control, from this account only", () => {
      expect(bySid.AWSLogDeliveryWrite).toMatchObject({
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucketArn}/AWSLogs/${account}/*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": account, "s3:x-amz-acl": "bucket-owner-full-control" },
          ArnLike: {
            "aws:SourceArn": expect.stringMatching(
              /:logs:\$\{data\.aws_region\..*\}:\$\{data\.aws_caller_identity\..*\}:\*$/,
            ),
          },
        },
      });
    });

    test("lets log delivery check the bucket's ACL and list it", () => {
      expect(bySid.AWSLogDeliveryAclCheck).toMatchObject({
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucketArn,
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      });
    });
  });
});

test("FlowLogBucket overrides", () => {
  const json = synthConstruct(
    (scope) =>
      new FlowLogBucket(scope, "bucket", {
        bucketName: "my-logs",
        flowLogExpirationDays: 7,
        queryResultExpirationDays: 1,
      }),
  );
  const tf = parse(json);
  expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "my-logs", force_destroy: true });
  expect(only(tf, "aws_s3_bucket").body).not.toHaveProperty("bucket_prefix");
  expect(only(tf, "aws_s3_bucket_versioning").body).toMatchObject({ versioning_configuration: { status: "Enabled" } });
  const rules = only(tf, "aws_s3_bucket_lifecycle_configuration").body.rule as { expiration?: unknown }[];
  expect(rules.map((r) => r.expiration)).toEqual([[{ days: 7 }], [{ days: 1 }], undefined]);
});

describe("log delivery may write where the flow log's storage puts the files, and nowhere else", () => {
  const layouts = [false, true].flatMap((hive) =>
    [false, true].flatMap((perHour) =>
      (["plain-text", "parquet"] as const).map((fileFormat) => ({
        fileFormat,
        hiveCompatiblePartitions: hive,
        perHourPartition: perHour,
      })),
    ),
  );
  test.each(layouts)("%o", (storage) => {
    const tf = parse(synthConstruct((scope) => new FlowLogBucket(scope, "bucket", { storage })));
    const write = policyOf(only(tf, "aws_s3_bucket_policy").body).Statement.find(
      (s) => s.Sid === "AWSLogDeliveryWrite",
    )!;
    const bucketArn = ref(tf, "aws_s3_bucket", "arn");
    const account = dataRef(tf, "aws_caller_identity", "account_id");
    // AWS, "Amazon S3 bucket permissions for flow logs": AWSLogs/<account>/* or, Hive, AWSLogs/aws-account-id=<account>/*.
    const expected = storage.hiveCompatiblePartitions ? `AWSLogs/aws-account-id=${account}/*` : `AWSLogs/${account}/*`;
    expect(write.Resource).toBe(`${bucketArn}/${expected}`);
    // Every key the S3 destination writes for this storage lies under it.
    const key = s3LogKey("123456789012", "eu-west-1", "fl-1", new Date("2026-11-29T23:55:00Z"), storage);
    expect(key.startsWith(expected.replace(account, "123456789012").slice(0, -1))).toBe(true);
  });
});
