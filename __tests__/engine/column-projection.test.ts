/**
 * A query that names its columns gets copies of just those (RecordUse.keep): proven here by running
 * every named query, and ad-hoc SQL, both ways over the same hostile folder and comparing answers.
 */
import { copiedRecords } from "./copied-records";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandIo } from "../../engine/commands/io";
import { querySql, runQueryOnLogs } from "../../engine/commands/query-command";
import { prepareLogFiles } from "../../engine/logs/prepare-log-files";
import { RecordShape } from "../../engine/logs/record-shape";
import { headerColumn } from "../../engine/logs/flow-log-header";
import { resolveLogPaths } from "../../engine/logs/resolve-log-paths";
import { openFlowLogDatabase } from "../../engine/query/flow-log-database";
import { runOnFlowLogs } from "../../engine/query/run-on-flow-logs";
import { rowObjects } from "../../engine/query/row-objects";
import { runSql } from "../../engine/query/run-sql";
import { parseStatement } from "../../engine/query/sql-statement";
import { NAMED_QUERIES } from "../../monitoring/named-queries";
import { generatedLogs } from "./generated-logs";

const HEADER =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const GOOD = "2 123456789012 eni-1 10.0.0.5 1.2.3.4 0 0 1 3 252 1714608000 1714608059 REJECT OK";
// The same fields in another order, as a custom format may write them.
const REORDERED =
  "action srcaddr dstaddr protocol bytes start end log-status version account-id interface-id srcport dstport packets";
const REORDERED_LINE = "ACCEPT 10.0.0.5 10.0.0.9 6 900 1714694400 1714694459 OK 2 123456789012 eni-2 443 50000 7";

const quiet = (): CommandIo => ({ out: () => {}, err: () => {} });
let dir: string;
let logs: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-projection-"));
  const { textDir } = await generatedLogs();
  logs = join(dir, "logs");
  cpSync(textDir, logs, { recursive: true });
  // Outside the S3 layout (year, month, day come from `start`), with lines the fast path cannot take.
  mkdirSync(join(logs, "loose"));
  writeFileSync(
    join(logs, "loose", "hostile.log"),
    `${HEADER}\n${GOOD}\r\n\r\n${GOOD.replace("REJECT", "REJ\0CT")}\n${GOOD} extra\n${GOOD}\n`,
  );
  writeFileSync(join(logs, "loose", "reordered.log"), `${REORDERED}\n${REORDERED_LINE}\n${REORDERED_LINE}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The answer with every column copied (no `keep`), for comparison. */
async function everyColumn(sql: string) {
  const db = await openFlowLogDatabase();
  try {
    const { result, summary } = await runOnFlowLogs(db, resolveLogPaths([logs]), () => runSql(db.connection, sql));
    return { rows: result.rows, used: summary.used, rejected: summary.rejected };
  } finally {
    db.close();
  }
}

async function withKeep(sql: string, keep: readonly string[]) {
  const db = await openFlowLogDatabase();
  try {
    const { result } = await runOnFlowLogs(db, resolveLogPaths([logs]), () => runSql(db.connection, sql), { keep });
    return result;
  } finally {
    db.close();
  }
}

async function columnsOf(sql: string) {
  const db = await openFlowLogDatabase();
  try {
    return await parseStatement(db.connection, sql);
  } finally {
    db.close();
  }
}

describe("the same answers with the columns a query names as with all of them", () => {
  const params = { source: "10.0.0.10", destination: "10.0.0.5" };
  // The extended format's queries: flow-log-formats.test.ts, on files that have their fields.
  it.each(NAMED_QUERIES.filter((q) => !q.columns).map((q) => q.id))("named query %s", async (id) => {
    const query = NAMED_QUERIES.find((q) => q.id === id)!;
    const sql = querySql({
      name: id,
      params: Object.fromEntries(query.params.map((p) => [p.name, params[p.name as keyof typeof params]])),
    });
    const { readsOnly } = await columnsOf(sql);
    expect(readsOnly).not.toBeNull(); // every named query names its columns: all are projected
    const io = { out: () => {}, err: (t: string) => (errors += t) };
    let errors = "";
    const projected = await runQueryOnLogs({ logs: [logs], sql }, io);
    const full = await everyColumn(sql);
    expect(projected.rows).toEqual(full.rows);
    expect(errors).toContain(`${full.used} records used, ${full.rejected} rejected`);
  });

  it.each([
    "SELECT count(*) AS n FROM vpc_flow_log",
    "SELECT count(*) AS n FROM vpc_flow_log WHERE action = 'REJECT'",
    "SELECT year, month, day, count(*) AS n FROM vpc_flow_log GROUP BY ALL ORDER BY ALL",
    "SELECT v.source, sum(V.BYTES) AS b FROM vpc_flow_log v GROUP BY 1 ORDER BY b DESC, 1 LIMIT 5",
    "SELECT * FROM vpc_flow_log ORDER BY starttime, source, destination, bytes LIMIT 3",
    "SELECT t FROM vpc_flow_log t ORDER BY t.starttime, t.source, t.destination, t.bytes LIMIT 2",
  ])("%s", async (sql) => {
    const projected = await runQueryOnLogs({ logs: [logs], sql }, quiet());
    expect(projected.rows).toEqual((await everyColumn(sql)).rows);
  });
});

describe("which columns a statement reads", () => {
  it.each([
    ["SELECT count(*) FROM vpc_flow_log WHERE Action = 'REJECT'", ["action"]],
    ["SELECT v.source FROM vpc_flow_log v", ["v", "source"]],
    ["SELECT count(*) FROM vpc_flow_log", []],
  ])("%s reads %j", async (sql, columns) => {
    expect((await columnsOf(sql)).readsOnly).toEqual(columns);
  });

  it.each([
    "SELECT * FROM vpc_flow_log",
    "FROM vpc_flow_log",
    "SELECT COLUMNS('src.*') FROM vpc_flow_log",
    "SELECT #1 FROM vpc_flow_log",
    "SELECT t FROM vpc_flow_log t",
    "SELECT vpc_flow_log FROM vpc_flow_log",
    "SELECT * FROM query_table('vpc_flow_log')",
    "DESCRIBE vpc_flow_log",
  ])("%s may read every column", async (sql) => {
    expect((await columnsOf(sql)).readsOnly).toBeNull();
  });
});

describe("a view of the kept columns only", () => {
  it("shows those and the partition columns, and a column left out is an error, never NULLs", async () => {
    const rows = await withKeep("SELECT * FROM vpc_flow_log LIMIT 1", ["action"]);
    expect(rows.columns).toEqual(["action", "year", "month", "day", "hour"]);
    await expect(withKeep("SELECT source FROM vpc_flow_log", ["action"])).rejects.toThrow(/"source"/);
  });

  it("keeps the start time when the partition columns come from it", async () => {
    const rows = await withKeep("SELECT count(*) AS n FROM vpc_flow_log WHERE year IS NULL", ["year"]);
    expect(rowObjects(rows)).toEqual([{ n: 0 }]);
  });
});

describe("the copies", () => {
  const copies = async (keep: string[]) => {
    const work = mkdtempSync(join(dir, "copies-"));
    const [prepared] = await prepareLogFiles(resolveLogPaths([join(logs, "loose", "hostile.log")]), {
      spoolDir: work,
      keep,
    });
    return { fields: prepared.copyColumns.map((c) => c.field), text: copiedRecords(prepared) };
  };

  it("hold the run of fields from the first kept column to the last, from the fast path and line by line alike", async () => {
    expect(await copies(["destination", "source"])).toEqual({
      fields: ["srcaddr", "dstaddr"],
      text: "10.0.0.5 1.2.3.4\n".repeat(2),
    });
    expect((await copies([])).fields).toEqual(["version"]); // count(*): one short field stands in
  });

  it("hold every field when the run would keep more than half of them (cutting would cost more than it saves)", async () => {
    const { fields, text } = await copies(["source", "action"]);
    expect(fields).toEqual(HEADER.split(" "));
    expect(text).toBe(`${GOOD}\n${GOOD}\n`);
  });
});

describe("RecordShape.project", () => {
  const shape = new RecordShape(HEADER.split(" ").map(headerColumn));
  const ACTION = 12;

  it("keeps the run of fields asked for from every line of a clean chunk", () => {
    expect(shape.project(`${GOOD}\n${GOOD}\n`, 3, 4)).toBe("10.0.0.5 1.2.3.4\n10.0.0.5 1.2.3.4\n");
    expect(shape.project(`${GOOD}\n`, ACTION, ACTION)).toBe("REJECT\n");
    expect(shape.project(`${GOOD}\n`, 0, 13)).toBe(`${GOOD}\n`);
  });

  it.each([
    ["a CRLF line", `${GOOD}\r\n`],
    ["a blank line", `${GOOD}\n\n${GOOD}\n`],
    ["a line of only spaces", `${GOOD}\n \n`],
    ["a field too many", `${GOOD} x\n`],
    ["a field too few", `${GOOD.replace(" OK", "")}\n`],
    ["a non-number in a number field", `${GOOD.replace("252", "25x")}\n`],
    ["a NUL byte", `${GOOD}\n${GOOD.replace("eni-1", "eni\0")}\n`],
  ])("says null for a chunk with %s (then each line is looked at)", (_, chunk) => {
    expect(shape.project(chunk, ACTION, ACTION)).toBeNull();
    expect(shape.project(chunk, 0, 3)).toBeNull();
  });
});
