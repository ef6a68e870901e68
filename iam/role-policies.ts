/**
 * The policies IAM would evaluate for the CI roles, taken from the synthesized stacks of a configuration:
 * the roles' attached policies (state-backend stack), the permissions boundary of the roles they create,
 * and the resource policies that decide too (the lab key's policy, the buckets' policies). Terraform
 * references are resolved to the values a deployment in `account` would have.
 */
import { Testing } from "cdktf";
import { loadConfig } from "../config/lab-config";
import { LabStack } from "../stacks/lab-stack";
import { StateBackendStack } from "../stacks/state-backend-stack";
import type { CiRole } from "./role-requests";

type TfJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: Record<string, unknown>[];
}

export interface CiPolicies {
  readonly roles: Record<CiRole, { name: string; policies: { name: string; policy: PolicyDocument }[] }>;
  /** The boundary the apply role must give every role it creates. */
  readonly boundary: PolicyDocument;
  /** Resource policies by the ARN prefix they govern (the lab key: its ARN; a bucket: its ARN). */
  readonly resourcePolicies: { readonly arnPrefix: string; readonly policy: PolicyDocument }[];
  /**
   * The policy of any other key of the account: KMS's default, which lets IAM policies decide. The worst
   * case for the roles: a key whose policy delegates to the account is open to whatever their IAM allows.
   */
  readonly otherKeyPolicy: PolicyDocument;
}

export interface Deployment {
  readonly env: Readonly<Record<string, string>>;
  readonly partition: string;
  readonly accountId: string;
  /** The lab key's id in the requests to simulate (the call table's sample id). */
  readonly labKeyId: string;
}

/** Synthesizes both stacks of a configuration and collects what IAM evaluates for the CI roles. */
export function ciPolicies({ env, partition, accountId, labKeyId }: Deployment): CiPolicies {
  const config = loadConfig(env).config;
  if (!config.githubRepository || !config.stateBucket)
    throw new Error("ciPolicies: set LAB_GITHUB_REPOSITORY and LAB_STATE_BUCKET (the CI roles need both)");
  const app = Testing.app();
  const backend = JSON.parse(Testing.synth(new StateBackendStack(app, "state-backend", config))) as TfJson;
  const lab = JSON.parse(Testing.synth(new LabStack(app, "lab", config))) as TfJson;
  const resolveIn = (tf: TfJson, region: string) => (text: string) =>
    resolve(text, tf, { partition, accountId, region });
  const inBackend = resolveIn(backend, config.stateRegion);
  const inLab = resolveIn(lab, config.region);

  const policies = backend.resource?.aws_iam_policy ?? {};
  const roleNamed = (name: string) => {
    const entry = Object.entries(backend.resource?.aws_iam_role ?? {}).find(([, r]) => r.name === name);
    if (!entry) throw new Error(`no role ${name} in the state-backend stack`);
    const attached = Object.values(backend.resource?.aws_iam_role_policy_attachment ?? {})
      .filter((a) => a.role === `\${aws_iam_role.${entry[0]}.name}`)
      .map((a) => {
        const id = /^\$\{aws_iam_policy\.([^.]+)\.arn\}$/.exec(String(a.policy_arn))?.[1];
        if (!id)
          throw new Error(`role ${name}: an attached policy that is not the stack's own: ${String(a.policy_arn)}`);
        return {
          name: String(policies[id].name),
          policy: JSON.parse(inBackend(String(policies[id].policy))) as PolicyDocument,
        };
      });
    return { name, policies: attached };
  };
  const planRole = String(
    Object.values(backend.resource?.aws_iam_role ?? {}).find((r) => String(r.name).includes("ci-plan"))?.name,
  );
  const applyRole = String(
    Object.values(backend.resource?.aws_iam_role ?? {}).find((r) => String(r.name).includes("ci-apply"))?.name,
  );
  const boundary = Object.values(policies).find((p) => String(p.name).includes("ci-boundary"));
  if (!boundary) throw new Error("no permissions boundary in the state-backend stack");

  const key = only(lab, "aws_kms_key");
  const resourcePolicies = [
    {
      arnPrefix: `arn:${partition}:kms:${config.region}:${accountId}:key/${labKeyId}`,
      policy: JSON.parse(inLab(String(key.policy))) as PolicyDocument,
    },
    ...bucketPolicies(lab, inLab, partition),
    ...bucketPolicies(backend, inBackend, partition),
  ];
  return {
    roles: { plan: roleNamed(planRole), apply: roleNamed(applyRole) },
    boundary: JSON.parse(inBackend(String(boundary.policy))) as PolicyDocument,
    resourcePolicies,
    otherKeyPolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    },
  };
}

function bucketPolicies(tf: TfJson, inStack: (text: string) => string, partition: string) {
  return Object.values(tf.resource?.aws_s3_bucket_policy ?? {}).map((p) => {
    const bucket = inStack(String(p.bucket));
    return {
      arnPrefix: `arn:${partition}:s3:::${bucket}`,
      policy: JSON.parse(inStack(String(p.policy))) as PolicyDocument,
    };
  });
}

function only(tf: TfJson, type: string): Record<string, unknown> {
  const all = Object.values(tf.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** Terraform references in a synthesized string, replaced by what they are in the deployment. */
function resolve(text: string, tf: TfJson, where: { partition: string; accountId: string; region: string }): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, reference: string) => {
    const [first, ...rest] = reference.split(".");
    const [type, id, attribute] = first === "data" ? rest : [first, ...rest];
    const body = tf.resource?.[type]?.[id];
    const value = ((): string | undefined => {
      if (first === "data" && type === "aws_caller_identity" && attribute === "account_id") return where.accountId;
      if (first === "data" && type === "aws_partition" && attribute === "partition") return where.partition;
      if (first === "data" && type === "aws_partition" && attribute === "dns_suffix") return "amazonaws.com";
      if (first === "data" && type === "aws_region" && (attribute === "region" || attribute === "name"))
        return where.region;
      if (
        type === "aws_s3_bucket" &&
        (attribute === "bucket" || attribute === "id") &&
        typeof body?.bucket === "string"
      )
        return resolve(body.bucket, tf, where);
      if (type === "aws_s3_bucket" && attribute === "arn" && typeof body?.bucket === "string")
        return `arn:${where.partition}:s3:::${resolve(body.bucket, tf, where)}`;
      if (type === "aws_iam_openid_connect_provider" && attribute === "arn")
        return `arn:${where.partition}:iam::${where.accountId}:oidc-provider/token.actions.githubusercontent.com`;
      if (type === "aws_iam_policy" && attribute === "arn" && typeof body?.name === "string")
        return `arn:${where.partition}:iam::${where.accountId}:policy/${body.name}`;
      if (type === "aws_iam_role" && attribute === "arn" && typeof body?.name === "string")
        return `arn:${where.partition}:iam::${where.accountId}:role/${body.name}`;
      if (type === "aws_sns_topic" && attribute === "arn" && typeof body?.name === "string")
        return `arn:${where.partition}:sns:${where.region}:${where.accountId}:${body.name}`;
      if (type === "aws_cloudwatch_log_group" && attribute === "arn" && typeof body?.name === "string")
        return `arn:${where.partition}:logs:${where.region}:${where.accountId}:log-group:${body.name}`;
      return undefined;
    })();
    if (value === undefined) throw new Error(`cannot resolve ${whole} for the simulation`);
    return value;
  });
}
