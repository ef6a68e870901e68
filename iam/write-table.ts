/**
 * `node dist/iam/write-table.js <calls.jsonl>`: rewrites iam/required-calls.json from a recorded run
 * (npm run e2e leaves its recording in cdktf.out/e2e-calls.jsonl). The e2e run does the same with
 * LAB_E2E_WRITE_IAM_TABLE=1.
 */
import { rowOf, uniqueRows, writeTable, TABLE_FILE } from "./call-table";
import { readRecordedCalls } from "./recorded-calls";
import { roleRequestsOf } from "./role-requests";
import { E2E_TEAM_PLACEMENT } from "./placements";

async function main(file: string): Promise<void> {
  const calls = readRecordedCalls(file).filter((c) => c.phase.startsWith("team:"));
  const { requests, unmapped } = await roleRequestsOf(calls, {
    ...E2E_TEAM_PLACEMENT,
    projectTag: E2E_TEAM_PLACEMENT.projectTag,
  });
  if (unmapped.length > 0) throw new Error(`calls that cannot be mapped to IAM:\n- ${unmapped.join("\n- ")}`);
  const rows = uniqueRows(requests.map((r) => rowOf(r, E2E_TEAM_PLACEMENT)));
  writeTable(rows);
  console.log(`${rows.length} rows from ${calls.length} calls written to ${TABLE_FILE}`);
}

if (require.main === module) {
  main(process.argv[2] ?? "cdktf.out/e2e-calls.jsonl").catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
