/**
 * The CI roles, proven both ways with an IAM policy simulator (@cloud-copilot/iam-simulate) over the
 * synthesized stacks: every request the roles made in a recorded emulator run (iam/required-calls.json)
 * is allowed, and every attack in iam/probes.ts is denied, in each configuration below.
 */
import { expand, readTable, SAMPLE_ID } from "../../iam/call-table";
import { placementOf } from "../../iam/placements";
import { PROBES } from "../../iam/probes";
import { ciPolicies } from "../../iam/role-policies";
import { decide } from "../../iam/simulate";

const ACCOUNT = "210987654321";

const CONFIGURATIONS: Record<string, Record<string, string>> = {
  "all defaults": { LAB_GITHUB_REPOSITORY: "octo-org/vpc-lab", LAB_STATE_BUCKET: "acme-tfstate" },
  "lab and state in different regions, a suffix, a custom bucket, a repository id": {
    LAB_GITHUB_REPOSITORY: "octo-org/vpc-lab",
    LAB_GITHUB_REPOSITORY_ID: "123456789",
    LAB_GITHUB_ENVIRONMENT: "prod",
    LAB_STATE_BUCKET: "acme-tfstate",
    LAB_REGION: "us-west-2",
    LAB_STATE_REGION: "eu-west-1",
    LAB_NAME_SUFFIX: "blue",
    LAB_FLOW_LOG_BUCKET: "acme-flow-logs",
  },
};

const table = readTable();

test("the table holds both roles' calls, recorded and templated", () => {
  expect(table.rows.filter((r) => r.role === "plan").length).toBeGreaterThan(40);
  expect(table.rows.filter((r) => r.role === "apply").length).toBeGreaterThan(150);
  // Templates only: nothing of the deployment the calls were recorded in.
  expect(JSON.stringify(table.rows)).not.toMatch(/123456789012|-team\b|us-east-1|eu-west-1/);
});

describe.each(Object.entries(CONFIGURATIONS))("%s", (_, env) => {
  const policies = ciPolicies({ env, partition: "aws", accountId: ACCOUNT, labKeyId: SAMPLE_ID });
  const place = placementOf(env, ACCOUNT);

  test("every recorded request is allowed", async () => {
    const denied: string[] = [];
    for (const row of table.rows) {
      const request = expand(row, place);
      const decision = await decide(policies, ACCOUNT, request);
      if (!decision.allowed) denied.push(`${row.role} ${request.action} ${request.resource}: ${decision.result}`);
    }
    expect(denied).toEqual([]);
  });

  test("every probe is denied", async () => {
    const allowed: string[] = [];
    for (const probe of PROBES) {
      const decision = await decide(policies, ACCOUNT, expand(probe, place));
      if (decision.allowed || decision.result.startsWith("simulator error"))
        allowed.push(`${probe.role}: ${probe.what} (${decision.result})`);
    }
    expect(allowed).toEqual([]);
  });

  test("each managed policy fits IAM's 6,144 characters (whitespace not counted)", () => {
    const documents = [...policies.roles.plan.policies, ...policies.roles.apply.policies];
    for (const { name, policy } of documents)
      expect([name, JSON.stringify(policy).replace(/\s/g, "").length <= 6144]).toEqual([name, true]);
  });

  test("no AWS managed policy, no service wildcard, no `*` action", () => {
    for (const { policy } of [...policies.roles.plan.policies, ...policies.roles.apply.policies]) {
      for (const statement of policy.Statement) {
        for (const action of [statement.Action].flat() as string[])
          expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+\*?$/);
        for (const action of [statement.Action].flat() as string[]) expect(action.endsWith(":*")).toBe(false);
      }
    }
  });
});
