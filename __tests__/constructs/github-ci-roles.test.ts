import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { GithubCiRoles } from "../../constructs/github-ci-roles";
import { parse, policyOf, resources, synthConstruct, synthStateBackend, type TfJson } from "../helpers";

function roleNamed(tf: TfJson, name: string) {
  const entry = Object.entries(resources(tf, "aws_iam_role")).find(([, r]) => r.name === name);
  if (!entry) throw new Error(`no role ${name}`);
  return { id: entry[0], body: entry[1] };
}

function attachedTo(tf: TfJson, roleId: string): string[] {
  return Object.values(resources(tf, "aws_iam_role_policy_attachment"))
    .filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`)
    .map((a) => a.policy_arn as string);
}

describe("GithubCiRoles", () => {
  const json = synthConstruct(
    (scope) => new GithubCiRoles(scope, "ci", { repository: "octo/lab", stateBucketName: "state" }),
  );
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

  test("the plan role trusts only pull-request workflows of the repository", () => {
    expect(policyOf(plan.body, "assume_role_policy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:octo/lab:pull_request",
          },
        },
      },
    ]);
  });

  test("the apply role trusts only the protected environment", () => {
    const condition = policyOf(apply.body, "assume_role_policy").Statement[0].Condition as Record<
      string,
      Record<string, string>
    >;
    expect(condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:octo/lab:environment:production",
    );
  });

  test("the plan role is read-only plus state reads and lock files", () => {
    const arns = attachedTo(tf, plan.id);
    expect(arns).toHaveLength(2);
    expect(arns[0]).toMatch(/^arn:\$\{data\.aws_partition\..*\}:iam::aws:policy\/ReadOnlyAccess$/);
    const statePolicy = Object.values(resources(tf, "aws_iam_policy")).find((p) => p.name === "lab-ci-plan-state")!;
    const statements = policyOf(statePolicy).Statement;
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      ["s3:ListBucket", expect.stringMatching(/:s3:::state$/)],
      ["s3:GetObject", expect.stringMatching(/:s3:::state\/\*$/)],
      [["s3:PutObject", "s3:DeleteObject"], expect.stringMatching(/:s3:::state\/\*\.tflock$/)],
    ]);
  });

  test("the apply role's writes are scoped to the lab's names, never to every resource", () => {
    const applyPolicy = Object.values(resources(tf, "aws_iam_policy")).find((p) => p.name === "lab-ci-apply")!;
    for (const statement of policyOf(applyPolicy).Statement) {
      if (statement.Resource === "*") {
        // Only key creation, which AWS cannot scope, and then only for keys tagged as the project's.
        expect(statement.Action).toEqual(["kms:CreateKey", "kms:TagResource"]);
        expect(statement.Condition).toEqual({ StringEquals: { "aws:RequestTag/Project": "vpc-flow-logs-lab" } });
      }
    }
    const iam = policyOf(applyPolicy).Statement.filter((s) => String(s.Action).includes("iam:"));
    for (const statement of iam) {
      for (const resource of [statement.Resource].flat()) {
        expect(resource).toMatch(
          /:(role\/flowlogsRole|policy\/flowlogsPolicy|role\/Lab-VPC-Flow-Log-Instance|instance-profile\/Lab-VPC-Flow-Log-Instance)\*$/,
        );
      }
    }
  });
});

test("an existing OIDC provider is reused, names take the suffix, the environment is configurable", () => {
  const existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  const tf = parse(
    synthConstruct(
      (scope) =>
        new GithubCiRoles(scope, "ci", {
          repository: "o/r",
          stateBucketName: "s",
          existingOidcProviderArn: existing,
          nameSuffix: "dev",
          environment: "prod",
        }),
    ),
  );
  expect(resources(tf, "aws_iam_openid_connect_provider")).toEqual({});
  const apply = roleNamed(tf, "lab-ci-apply-dev");
  const trust = policyOf(apply.body, "assume_role_policy").Statement[0] as {
    Principal: unknown;
    Condition: Record<string, Record<string, string>>;
  };
  expect(trust.Principal).toEqual({ Federated: existing });
  expect(trust.Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe("repo:o/r:environment:prod");
  roleNamed(tf, "lab-ci-plan-dev");
});

test("the state-backend stack creates the CI roles only when a repository is configured", () => {
  expect(resources(synthStateBackend({}).tf, "aws_iam_role")).toEqual({});
  const { tf } = synthStateBackend({ LAB_GITHUB_REPOSITORY: "octo/lab" });
  expect(
    Object.values(resources(tf, "aws_iam_role"))
      .map((r) => r.name)
      .sort(),
  ).toEqual(["lab-ci-apply", "lab-ci-plan"]);
  expect(Object.keys(tf.output ?? {}).sort()).toEqual(["ci_apply_role_arn", "ci_plan_role_arn", "state_bucket"]);
  const statePolicy = Object.values(resources(tf, "aws_iam_policy")).find((p) => p.name === "lab-ci-plan-state")!;
  expect(policyOf(statePolicy).Statement[0].Resource).toMatch(/:s3:::\$\{aws_s3_bucket\..*\.bucket\}$/);
});
