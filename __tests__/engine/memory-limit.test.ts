/** DuckDB's memory limit: low by default, and a query that runs out of memory within it runs again without it. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reportLoad } from "../../engine/commands/report-load";
import { resolveLogPaths } from "../../engine/logs/resolve-log-paths";
import { DEFAULT_MEMORY_LIMIT, openFlowLogDatabase } from "../../engine/query/flow-log-database";
import { runOnFlowLogs, type LoadSummary } from "../../engine/query/run-on-flow-logs";
import { rowObjects } from "../../engine/query/row-objects";
import { runSql } from "../../engine/query/run-sql";

const HEADER =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const GOOD = "2 123456789012 eni-1 10.0.0.5 1.2.3.4 0 0 1 3 252 1714608000 1714608059 REJECT OK";
// A list aggregate's state cannot be spilled: 10 M numbers need ~80 MB, more than 32 MB.
const NEEDS_MEMORY =
  "SELECT len(list(range)) AS n, (SELECT count(*) FROM vpc_flow_log) AS records FROM range(10000000)";

let dir: string;
let logs: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-memory-"));
  logs = join(dir, "a.log");
  writeFileSync(logs, `${HEADER}\n${GOOD}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(`is ${DEFAULT_MEMORY_LIMIT} unless asked otherwise`, async () => {
  const db = await openFlowLogDatabase();
  try {
    expect(db.memoryLimit).toBe("256MB");
    const result = await runSql(db.connection, "SELECT current_setting('memory_limit') AS limit");
    expect(rowObjects(result)).toEqual([{ limit: "244.1 MiB" }]); // 256,000,000 bytes
  } finally {
    db.close();
  }
});

it("runs a query that ran out of memory within the limit again under DuckDB's own, on the same records", async () => {
  const db = await openFlowLogDatabase("32MB");
  try {
    const runs: string[] = [];
    const { result, summary } = await runOnFlowLogs(db, resolveLogPaths([logs]), async () => {
      runs.push(String(db.memoryLimit));
      return runSql(db.connection, NEEDS_MEMORY);
    });
    expect(runs).toEqual(["32MB", "null"]);
    expect(rowObjects(result)).toEqual([{ n: 10000000, records: 1 }]);
    expect(summary.outOfMemoryAt).toBe("32MB");
    // The view was made again on the new instance, locked as before: no other file can be read.
    await expect(runSql(db.connection, `SELECT * FROM read_text('${logs}')`)).rejects.toThrow(/Permission Error/);
  } finally {
    db.close();
  }
});

it("does not run a query again for any other error, nor when it had enough memory", async () => {
  const db = await openFlowLogDatabase("32MB");
  try {
    let runs = 0;
    const failing = runOnFlowLogs(db, resolveLogPaths([logs]), () => {
      runs++;
      return runSql(db.connection, "SELECT no_such_column FROM vpc_flow_log");
    });
    await expect(failing).rejects.toThrow(/no_such_column/);
    expect(runs).toBe(1);
    expect(db.memoryLimit).toBe("32MB");
  } finally {
    db.close();
  }
  const enough = await openFlowLogDatabase("32MB");
  try {
    const { summary } = await runOnFlowLogs(enough, resolveLogPaths([logs]), () =>
      runSql(enough.connection, "SELECT count(*) AS n FROM vpc_flow_log"),
    );
    expect(summary.outOfMemoryAt).toBeUndefined();
    expect(enough.memoryLimit).toBe("32MB");
  } finally {
    enough.close();
  }
});

it("says so in the load report", () => {
  const summary: LoadSummary = {
    files: 1,
    read: 1,
    used: 1,
    rejected: 0,
    rejects: [],
    unlisted: 0,
    outOfMemoryAt: "32MB",
  };
  let err = "";
  reportLoad(summary, { out: () => {}, err: (t) => (err += t) });
  expect(err).toContain(
    "flowlogs: DuckDB ran out of memory within 32MB; the query ran again under DuckDB's own limit (80% of the RAM)\n",
  );
});
