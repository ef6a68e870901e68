/**
 * The CI roles as synthesized: who may assume them, what is attached, and that every ARN is the lab's
 * (names from the catalogue, the lab's region). What they may and may not do is simulated in
 * __tests__/iam/ci-roles.test.ts.
 */
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { labNames } from "../../config/names";
import { CI_WORKFLOWS, GithubCiRoles } from "../../constructs/github-ci-roles";
import { parse, policyOf, resources, synthConstruct, synthStateBackend, type TfJson } from "../helpers";

const names = labNames({ nameSuffix: "" }, { region: "us-east-1", accountId: "${account}" });

function roleNamed(tf: TfJson, name: string) {
  const entry = Object.entries(resources(tf, "aws_iam_role")).find(([, r]) => r.name === name);
  if (!entry) throw new Error(`no role ${name}`);
  return { id: entry[0], body: entry[1] };
}

function attachedTo(tf: TfJson, roleId: string): string[] {
  return Object.values(resources(tf, "aws_iam_role_policy_attachment"))
    .filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`)
    .map((a) => a.policy_arn as string)
    .sort();
}

function policyId(tf: TfJson, name: string): string {
  const entry = Object.entries(resources(tf, "aws_iam_policy")).find(([, p]) => p.name === name);
  if (!entry) throw new Error(`no policy ${name}`);
  return `\${aws_iam_policy.${entry[0]}.arn}`;
}

function subjects(role: { body: Record<string, unknown> }): unknown {
  const condition = policyOf(role.body, "assume_role_policy").Statement[0].Condition as Record<
    string,
    Record<string, unknown>
  >;
  return condition.StringLike["token.actions.githubusercontent.com:sub"];
}

const base = {
  repository: "octo/lab",
  environment: "production",
  stateBucketName: "state",
  names,
  labRegion: "us-east-1",
  nameSuffix: "",
};

describe("GithubCiRoles", () => {
  const json = synthConstruct((scope) => new GithubCiRoles(scope, "ci", base));
  const tf = parse(json);
  const plan = roleNamed(tf, "lab-ci-plan");
  const apply = roleNamed(tf, "lab-ci-apply");
  const providerArn = `\${aws_iam_openid_connect_provider.${Object.keys(resources(tf, "aws_iam_openid_connect_provider"))[0]}.arn}`;

  test("creates the GitHub OIDC provider for STS", () => {
    expect(json).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  test("the plan role trusts pull requests and the plan job on main, for STS only", () => {
    expect(policyOf(plan.body, "assume_role_policy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
          StringLike: {
            "token.actions.githubusercontent.com:sub": [
              "repo:octo/lab:pull_request",
              "repo:octo/lab:ref:refs/heads/main",
            ],
          },
        },
      },
    ]);
  });

  test("the apply role trusts only jobs in the protected environment", () => {
    expect(subjects(apply)).toEqual(["repo:octo/lab:environment:production"]);
  });

  test("the plan role has the read policy; the apply role the read policy and the three write policies", () => {
    const read = policyId(tf, "lab-ci-read");
    expect(attachedTo(tf, plan.id)).toEqual([read]);
    expect(attachedTo(tf, apply.id)).toEqual(
      [read, ...["network", "identity", "services"].map((g) => policyId(tf, `lab-ci-write-${g}`))].sort(),
    );
    // No AWS managed policy anywhere (ReadOnlyAccess read every bucket's objects).
    for (const a of Object.values(resources(tf, "aws_iam_role_policy_attachment")))
      expect(String(a.policy_arn)).not.toContain(":iam::aws:policy/");
  });

  test("the boundary of the roles CI creates is the lab roles' needs, written once", () => {
    const boundary = Object.values(resources(tf, "aws_iam_policy")).find((p) => p.name === "lab-ci-boundary");
    const statements = policyOf(boundary!).Statement;
    expect(statements.map((st) => st.Sid)).toEqual([
      "FlowLogRecords",
      "SessionManagerRegister",
      "SessionManagerChannels",
    ]);
    expect(JSON.stringify(statements[0].Resource)).toContain(":log-group:Lab-VPC-Flow-Log-Group");
  });
});

test("a repository id selects the customized subject: repository id, context and workflow file", () => {
  const tf = parse(
    synthConstruct((scope) => new GithubCiRoles(scope, "ci", { ...base, repositoryId: "42", environment: "prod" })),
  );
  const workflow = (file: string, ref: string) => `job_workflow_ref:octo/lab/.github/workflows/${file}@${ref}`;
  expect(subjects(roleNamed(tf, "lab-ci-plan"))).toEqual([
    `repository_id:42:pull_request:${workflow(CI_WORKFLOWS.plan, "*")}`,
    `repository_id:42:ref:refs/heads/main:${workflow(CI_WORKFLOWS.apply, "refs/heads/main")}`,
  ]);
  expect(subjects(roleNamed(tf, "lab-ci-apply"))).toEqual([
    `repository_id:42:environment:prod:${workflow(CI_WORKFLOWS.apply, "refs/heads/main")}`,
    `repository_id:42:environment:prod:${workflow(CI_WORKFLOWS.destroy, "refs/heads/main")}`,
  ]);
});

test("an existing OIDC provider is reused instead of created", () => {
  const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  const tf = parse(
    synthConstruct((scope) => new GithubCiRoles(scope, "ci", { ...base, existingOidcProviderArn: arn })),
  );
  expect(resources(tf, "aws_iam_openid_connect_provider")).toEqual({});
  expect(policyOf(roleNamed(tf, "lab-ci-plan").body, "assume_role_policy").Statement[0].Principal).toEqual({
    Federated: arn,
  });
});

describe("in the state-backend stack: the lab's names and region, wherever the stack is", () => {
  const { tf } = synthStateBackend({
    LAB_GITHUB_REPOSITORY: "octo/lab",
    LAB_REGION: "us-west-2",
    LAB_STATE_REGION: "eu-west-1",
    LAB_NAME_SUFFIX: "blue",
    LAB_FLOW_LOG_BUCKET: "acme-flow-logs",
    LAB_STATE_BUCKET: "acme-state",
  });
  const documents = Object.values(resources(tf, "aws_iam_policy")).map((p) => String(p.policy));

  test("ARNs name the lab's region, never the stack's", () => {
    const all = documents.join("\n");
    expect(all).toContain(":us-west-2:");
    expect(all).not.toContain("eu-west-1");
    expect(all).not.toMatch(/data\.aws_region/);
  });

  test("names carry the suffix: the key alias, log group, topic, roles; the custom flow-log bucket", () => {
    const all = documents.join("\n");
    for (const name of [
      "alias/Lab-VPC-Flow-Logs-blue",
      "log-group:Lab-VPC-Flow-Log-Group-blue",
      ":CloudWatch_Alarms_Ping_Deny-blue",
      "role/flowlogsRole-blue",
      "s3:::acme-flow-logs",
      "/vpc-flow-logs-lab/blue/lab.tfstate",
    ])
      expect([name, all.includes(name)]).toEqual([name, true]);
    expect(all).not.toContain("lab-vpc-flow-log-bucket");
  });

  test("outputs the role ARNs for the repository variables", () => {
    expect(Object.keys(tf.output ?? {}).sort()).toEqual(["ci_apply_role_arn", "ci_plan_role_arn", "state_bucket"]);
  });
});
