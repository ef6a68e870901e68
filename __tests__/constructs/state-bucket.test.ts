import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecureBucket } from "../../constructs/secure-bucket";
import { StateBucket } from "../../constructs/state-bucket";
import { only, parse, policyOf, ref, synthConstruct } from "../helpers";

describe("StateBucket", () => {
  const json = synthConstruct((scope) => new StateBucket(scope, "state", { bucketName: "my-state" }));
  const tf = parse(json);

  test("named, versioned, not force-destroyed", () => {
    expect(only(tf, "aws_s3_bucket").body).toMatchObject({ bucket: "my-state", force_destroy: false });
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: ref(tf, "aws_s3_bucket", "id"),
      versioning_configuration: { status: "Enabled" },
    });
  });

  test("private, encrypted, TLS-only", () => {
    expect(only(tf, "aws_s3_bucket_public_access_block").body).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(tf, "aws_s3_bucket_server_side_encryption_configuration").body).toMatchObject({
      bucket: ref(tf, "aws_s3_bucket", "id"),
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(policyOf(only(tf, "aws_s3_bucket_policy").body).Statement.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
    ]);
  });

  test("old state versions expire after 90 days", () => {
    const rules = only(tf, "aws_s3_bucket_lifecycle_configuration").body.rule as Record<string, unknown>[];
    expect(rules[0]).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
  });
});

test("StateBucket without a name uses a prefix", () => {
  const tf = parse(synthConstruct((scope) => new StateBucket(scope, "state", { noncurrentVersionExpirationDays: 30 })));
  expect(only(tf, "aws_s3_bucket").body).toMatchObject({ bucket_prefix: "lab-tfstate-" });
  const rules = only(tf, "aws_s3_bucket_lifecycle_configuration").body.rule as Record<string, unknown>[];
  expect(rules[0]).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 30 }] });
});

test("SecureBucket needs exactly one of bucketName and bucketPrefix", () => {
  expect(() => synthConstruct((scope) => new SecureBucket(scope, "b", {}))).toThrow(
    /give exactly one of bucketName and bucketPrefix/,
  );
  expect(() => synthConstruct((scope) => new SecureBucket(scope, "b", { bucketName: "a", bucketPrefix: "b" }))).toThrow(
    /exactly one/,
  );
});
