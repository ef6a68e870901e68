/**
 * The seam between the CI roles and what Terraform really calls: every AWS call the team deployment's
 * plan and apply phases made is mapped to its IAM requests and judged by the IAM policy simulator
 * against the roles the state-backend stack synthesizes; the attack probes are judged too. The run fails
 * on any denied call, any call that cannot be mapped, and any request the checked-in table lacks.
 */
import { expand, readTable, rowKey, rowOf, SAMPLE_ID, uniqueRows, writeTable } from "../iam/call-table";
import { E2E_TEAM_PLACEMENT } from "../iam/placements";
import { PROBES } from "../iam/probes";
import { readRecordedCalls } from "../iam/recorded-calls";
import { ciPolicies } from "../iam/role-policies";
import { roleRequestsOf } from "../iam/role-requests";
import { decide } from "../iam/simulate";
import { EMULATOR_ACCOUNT, settingsOf, TEAM } from "./deployments";

export async function judgeRecordedCalls(recording: string, rewriteTable: boolean): Promise<string> {
  const calls = readRecordedCalls(recording).filter((c) => c.phase.startsWith(`${TEAM.mode}:`));
  const { requests, unmapped } = await roleRequestsOf(calls, E2E_TEAM_PLACEMENT);
  if (unmapped.length > 0) throw new Error(`calls that cannot be mapped to IAM requests:\n- ${unmapped.join("\n- ")}`);
  const rows = uniqueRows(requests.map((r) => rowOf(r, E2E_TEAM_PLACEMENT)));
  const policies = ciPolicies({
    env: settingsOf(TEAM),
    partition: E2E_TEAM_PLACEMENT.partition,
    accountId: EMULATOR_ACCOUNT,
    labKeyId: SAMPLE_ID,
  });

  const denied: string[] = [];
  for (const row of rows) {
    const request = expand(row, E2E_TEAM_PLACEMENT);
    const decision = await decide(policies, EMULATOR_ACCOUNT, request);
    if (!decision.allowed)
      denied.push(`${row.role} role: ${request.action} on ${request.resource} (${decision.result})`);
  }
  const probesAllowed: string[] = [];
  for (const probe of PROBES) {
    const decision = await decide(policies, EMULATOR_ACCOUNT, expand(probe, E2E_TEAM_PLACEMENT));
    if (decision.allowed) probesAllowed.push(`${probe.role} role: ${probe.what}`);
  }
  if (rewriteTable) writeTable(rows);
  const table = new Set(readTable().rows.map(rowKey));
  const missing = rows.filter((row) => !table.has(rowKey(row)));

  const problems = [
    ...denied.map((d) => `denied: ${d}`),
    ...probesAllowed.map((p) => `attack allowed: ${p}`),
    ...missing.map((m) => `not in iam/required-calls.json: ${m.role} ${m.action} ${m.resource}`),
  ];
  if (problems.length > 0) {
    const hint = missing.length
      ? "\n(new calls: LAB_E2E_WRITE_IAM_TABLE=1 npm run e2e rewrites the table; review its diff)"
      : "";
    throw new Error(`${problems.length} problems:\n- ${problems.join("\n- ")}${hint}`);
  }
  const count = (role: string) => calls.filter((c) => c.phase.endsWith(`:${role}-role`)).length;
  const rowsOf = (role: string) => rows.filter((r) => r.role === role).length;
  return (
    `plan role: ${count("plan")} calls, ${rowsOf("plan")} distinct requests allowed; ` +
    `apply role: ${count("apply")} calls, ${rowsOf("apply")} distinct requests allowed; 0 denied; ` +
    `${PROBES.length} probes denied; the table holds every request`
  );
}
