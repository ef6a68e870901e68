/** Two output columns of one name: each keeps its own values, in every format. */
import { DuckDBInstance } from "@duckdb/node-api";
import { runQueryOnLogs } from "../../engine/commands/query-command";
import { formatRows } from "../../engine/output/format-rows";
import { openFlowLogDatabase, type FlowLogDatabase } from "../../engine/query/flow-log-database";
import { runSql } from "../../engine/query/run-sql";
import { generatedLogs, readRecords } from "./generated-logs";

const ACTION = 12; // field position of the default format
const quiet = { out: () => {}, err: () => {} };

let db: FlowLogDatabase;
beforeAll(async () => (db = await openFlowLogDatabase()));
afterAll(() => db.close());

const format = async (sql: string, as: "table" | "json" | "csv") => formatRows(await runSql(db.connection, sql), as);

it("count(*) and a filtered count(*), both named n, on flow logs: both counts in every format", async () => {
  const { textDir } = await generatedLogs();
  const records = readRecords(textDir);
  const rejected = records.filter((r) => r[ACTION] === "REJECT").length;
  expect(rejected).toBeGreaterThan(0);
  expect(rejected).toBeLessThan(records.length);
  const sql = "SELECT count(*) AS n, count(*) FILTER (WHERE action = 'REJECT') AS n FROM vpc_flow_log";
  const result = await runQueryOnLogs({ logs: [textDir], sql }, quiet);
  expect(formatRows(result, "csv")).toBe(`n,n\n${records.length},${rejected}\n`);
  expect(formatRows(result, "table").split("\n")[2]).toBe(`${records.length} | ${rejected}`);
  expect(JSON.parse(formatRows(result, "json"))).toEqual([{ n: records.length, n_1: rejected }]);
});

it("SELECT 1 a, 2 a: table and csv print both under the name as written", async () => {
  expect(await format("SELECT 1 AS a, 2 AS a", "csv")).toBe("a,a\n1,2\n");
  expect(await format("SELECT 1 AS a, 'x' AS a", "table")).toBe("a | a\n--+--\n1 | x\n(1 row)\n");
});

it("json: a repeated name gets the suffix CREATE TABLE AS gives it, keys in column order", async () => {
  const keysAndValues = async (sql: string) => Object.entries(JSON.parse(await format(sql, "json"))[0]);
  expect(await keysAndValues("SELECT 1 AS a, 2 AS a")).toEqual([
    ["a", 1],
    ["a_1", 2],
  ]);
  const sql = "SELECT 1 AS a, 2 AS a, 3 AS a_1, 4 AS a, 5 AS b";
  const keys = (await keysAndValues(sql)).map(([key]) => key);
  expect(keys).toEqual(["a", "a_1", "a_1_1", "a_2", "b"]);
  expect(await keysAndValues(sql)).toEqual(keys.map((key, i) => [key, i + 1]));
  // DuckDB's own names for the same columns.
  const duckdb = await (await DuckDBInstance.create(":memory:")).connect();
  try {
    await duckdb.run(`CREATE TABLE t AS ${sql}`);
    const names = await duckdb.runAndReadAll(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 't'",
    );
    expect(names.getRowsJS().flat()).toEqual(keys);
  } finally {
    duckdb.closeSync();
  }
  // Names that differ in case are two JSON keys already: left as they are.
  expect(await keysAndValues("SELECT 1 AS a, 2 AS A")).toEqual([
    ["a", 1],
    ["A", 2],
  ]);
});
