import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { runQueryOnLogs } from "../../engine/commands/query-command";
import { EngineError } from "../../engine/engine-error";
import { resolveLogPaths } from "../../engine/logs/resolve-log-paths";
import { openFlowLogDatabase } from "../../engine/query/flow-log-database";
import { rowObjects } from "../../engine/query/row-objects";
import { runOnFlowLogs } from "../../engine/query/run-on-flow-logs";
import { runSql } from "../../engine/query/run-sql";
import { QueryError } from "../../monitoring/named-queries";
import { generatedLogs, readRecords } from "./generated-logs";
import { quiet } from "./quiet-io";

// Field positions of the default format.
const SRC = 3, DST = 4, PROTO = 7, BYTES = 9, START = 10, ACTION = 12, STATUS = 13; // prettier-ignore

let dir: string;
let textDir: string;
let parquetDir: string;
let records: string[][];
const query = (logs: string[], options: { name?: string; sql?: string; params?: Record<string, string> }) =>
  runQueryOnLogs({ logs, ...options }, quiet()).then(rowObjects);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-query-test-"));
  ({ textDir, parquetDir } = await generatedLogs());
  records = readRecords(textDir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("named queries on generated logs, checked against counts computed here", () => {
  it("reads every record, with NODATA/SKIPDATA fields as NULL", async () => {
    expect(records).toHaveLength(2000);
    const [row] = await query([textDir], {
      sql: "SELECT count(*) AS n, count(action) AS with_action, count(*) FILTER (WHERE flowlogstatus <> 'OK') AS no_traffic FROM vpc_flow_log",
    });
    const noTraffic = records.filter((r) => r[STATUS] !== "OK");
    expect(noTraffic.length).toBeGreaterThan(0);
    expect(row).toEqual({ n: 2000, with_action: 2000 - noTraffic.length, no_traffic: noTraffic.length });
  });

  it("rejected-traffic returns every REJECT record, oldest first", async () => {
    const rows = await query([textDir], { name: "rejected-traffic" });
    const expected = records.filter((r) => r[ACTION] === "REJECT");
    expect(rows).toHaveLength(expected.length);
    expect(rows.every((r) => r.action === "REJECT")).toBe(true);
    const starts = rows.map((r) => r.starttime as number);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("icmp-from-source returns the source's ICMP records", async () => {
    const rows = await query([textDir], { name: "icmp-from-source", params: { source: "10.0.0.10" } });
    const expected = records.filter((r) => r[SRC] === "10.0.0.10" && r[PROTO] === "1");
    expect(expected.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(expected.length);
  });

  it("ipv6-traffic and top-talkers agree with sums computed in JS", async () => {
    const v6 = records.filter((r) => r[SRC].includes(":"));
    const rows = await query([textDir], { name: "ipv6-traffic" });
    expect(rows.reduce((a, r) => a + (r.records as number), 0)).toBe(v6.length);
    const pairs = new Map<string, number>();
    for (const r of records.filter((r) => r[STATUS] === "OK")) {
      const key = `${r[SRC]} ${r[DST]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + Number(r[BYTES]));
    }
    const top = [...pairs].sort((a, b) => b[1] - a[1])[0];
    const [first] = await query([textDir], { name: "top-talkers" });
    expect(`${first.source} ${first.destination}`).toBe(top[0]);
    expect(first.bytes).toBe(top[1]);
  });

  it("takes the partition columns from the S3 path", async () => {
    const rows = await query([textDir], { name: "total-bytes-transferred" });
    const days = new Set(records.map((r) => new Date(Number(r[START]) * 1000).toISOString().slice(0, 10)));
    expect(new Set(rows.map((r) => r.date))).toEqual(days);
    expect(days.size).toBeGreaterThan(1);
  });

  it("gives the same answers on the Parquet form of the same records", async () => {
    const sql =
      "SELECT action, count(*) AS n, sum(bytes) AS bytes, min(year || month || day) AS first_day FROM vpc_flow_log GROUP BY ALL ORDER BY ALL";
    expect(await query([parquetDir], { sql })).toEqual(await query([textDir], { sql }));
  });

  it("accepts globs and folders, and fails on a path that matches nothing", async () => {
    const [row] = await query([join(textDir, "**", "*.log.gz")], { sql: "SELECT count(*) AS n FROM vpc_flow_log" });
    expect(row.n).toBe(2000);
    await expect(query([join(dir, "missing")], { name: "rejected-traffic" })).rejects.toThrow(EngineError);
    await expect(query([join(dir, "*.nothing")], { name: "rejected-traffic" })).rejects.toThrow(/no flow-log files/);
  });

  it("fails clearly on an unknown query or a missing parameter", async () => {
    await expect(query([textDir], { name: "nope" })).rejects.toThrow(QueryError);
    await expect(query([textDir], { name: "icmp-from-source" })).rejects.toThrow(/needs parameter source/);
  });
});

describe("files as AWS delivers them, and bad input", () => {
  const header =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
  const good = "2 123456789012 eni-1 10.0.0.5 1.2.3.4 0 0 1 3 252 1714608000 1714608059 REJECT OK";

  it("maps a custom field order (and extra v3+ fields) through the header, and derives dates from start outside the S3 layout", async () => {
    const custom = join(dir, "custom");
    mkdirSync(custom);
    const line = "REJECT vpc-0abc 1714608000 10.0.0.5 1.2.3.4 eni-1 2 123456789012 0 0 1 3 252 1714608059 OK";
    writeFileSync(
      join(custom, "custom.log"),
      `action vpc-id start srcaddr dstaddr interface-id version account-id srcport dstport protocol packets bytes end log-status\n${line}\n`,
    );
    const [row] = await query([custom], { sql: "SELECT * FROM vpc_flow_log" });
    expect(row).toMatchObject({
      version: 2,
      eni: "eni-1",
      source: "10.0.0.5",
      starttime: 1714608000,
      endtime: 1714608059,
    });
    expect(row).toMatchObject({ action: "REJECT", vpc_id: "vpc-0abc", year: "2024", month: "05", day: "02" });
  });

  it("skips, counts and reports malformed lines and broken gzip with file and line, and goes on", async () => {
    const bad = join(dir, "bad");
    mkdirSync(bad);
    const lines = [
      header,
      good,
      "2 123456789012 eni-1 10.0.0.5 1.2.3.4 x22 0 1 3 252 1714608000 1714608059 REJECT OK",
      good,
      "2 too few fields",
      good,
    ];
    writeFileSync(join(bad, "a.log.gz"), gzipSync(lines.join("\n") + "\n"));
    const whole = gzipSync([header, good, good, good].join("\n") + "\n");
    writeFileSync(join(bad, "b.log.gz"), whole.subarray(0, whole.length - 6)); // truncated: the trailer is gone
    const db = await openFlowLogDatabase();
    try {
      // The query reads every column, so every conversion error is seen (DuckDB converts only what a query reads).
      const { result, summary } = await runOnFlowLogs(db, resolveLogPaths([bad]), () =>
        runSql(db.connection, "SELECT * FROM vpc_flow_log"),
      );
      expect(summary.rejects.map((r) => [r.file.split("/").pop(), r.line])).toEqual([
        ["a.log.gz", 3],
        ["a.log.gz", 5],
        ["b.log.gz", 5],
      ]);
      expect(summary.rejects[0].reason).toBe('field 6 (srcport): expected a whole number or -, found "x22"');
      expect(summary.rejects[1].reason).toBe("expected 14 fields separated by single spaces, found 4");
      expect(summary.rejects[2].reason).toMatch(/broken gzip/);
      // a.log.gz: 3 good lines; b.log.gz: the 3 intact lines before the damage are kept.
      expect(summary).toMatchObject({ files: 2, used: 6, rejected: 3, read: 9 });
      expect(result.rows).toHaveLength(6);
    } finally {
      db.close();
    }
  });

  it("rejects a bad number in any column, whatever the query reads: used is what every query sees", async () => {
    const lazy = join(dir, "lazy");
    mkdirSync(lazy);
    const badPort = "2 123456789012 eni-1 10.0.0.5 1.2.3.4 x22 0 1 3 252 1714608000 1714608059 REJECT OK";
    // A blank line is no record: it is skipped, and the count of lines read leaves it out.
    writeFileSync(join(lazy, "a.log"), [header, good, badPort, "", "2 too few fields", good].join("\n") + "\n");
    const io = quiet();
    const rows = await runQueryOnLogs(
      { logs: [lazy], sql: "SELECT count(*) AS n FROM vpc_flow_log WHERE action = 'REJECT'" },
      io,
    );
    expect(rowObjects(rows)).toEqual([{ n: 2 }]);
    expect(io.errors).toMatch(/a\.log:3: field 6 \(srcport\)/);
    expect(io.errors).toMatch(/a\.log:5: expected 14 fields/);
    expect(io.errors).toMatch(/1 file, 4 lines read, 2 records used, 2 rejected\n$/);
    const strict = await runQueryOnLogs({ logs: [lazy], sql: "SELECT count(srcport) AS n FROM vpc_flow_log" }, quiet());
    expect(rowObjects(strict)).toEqual([{ n: 2 }]);
  });

  it("re-runs the query without the part a truncated gzip file lost, and says where the damage starts", async () => {
    const cut = join(dir, "cut");
    mkdirSync(cut);
    const records = Array.from({ length: 20_000 }, (_, i) => good.replace("1714608000", String(1714608000 + i)));
    const whole = gzipSync([header, ...records].join("\n") + "\n");
    writeFileSync(join(cut, "a.log.gz"), whole.subarray(0, whole.length >> 1)); // cut mid-stream, mid-line
    writeFileSync(join(cut, "b.log.gz"), Buffer.from("not gzip at all\n")); // nothing inflates
    const db = await openFlowLogDatabase();
    try {
      const { result, summary } = await runOnFlowLogs(db, resolveLogPaths([cut]), () =>
        runSql(db.connection, "SELECT count(*) AS n, max(starttime) AS last FROM vpc_flow_log"),
      );
      const [a, b] = summary.rejects;
      expect(summary.rejects).toHaveLength(2);
      const kept = Number(/the (\d+) records before it kept/.exec(a.reason)?.[1]);
      expect(kept).toBeGreaterThan(1000);
      expect(kept).toBeLessThan(records.length);
      expect(a).toMatchObject({ line: kept + 2, reason: expect.stringMatching(/^broken gzip data/) });
      expect(b).toMatchObject({ line: 1, reason: expect.stringMatching(/the 0 records before it kept/) });
      expect(rowObjects(result)).toEqual([{ n: kept, last: 1714608000 + kept - 1 }]);
      expect(summary).toMatchObject({ files: 2, read: kept + 2, used: kept, rejected: 2 });
    } finally {
      db.close();
    }
  });

  it("an SQL error is one line naming the query; a syntax error or several statements fail before any file is read", async () => {
    const binder = query([textDir], { sql: "SELECT nope FROM vpc_flow_log" });
    await expect(binder).rejects.toThrow(QueryError);
    await expect(binder).rejects.toThrow(/^--sql: Binder Error: .*"nope"[^\n]*$/);
    // A path that does not exist is never reached: the SQL is checked first.
    const missing = join(dir, "none", "*.log.gz");
    await expect(query([textDir, missing], { sql: "SELEC 1" })).rejects.toThrow(/^--sql: Parser Error/);
    await expect(query([textDir], { sql: "SELECT 1; SELECT 2" })).rejects.toThrow(
      "--sql: give one SQL statement, got 2",
    );
  });

  it("counts Parquet records from the files' metadata, and filters on the day partition", async () => {
    const io = quiet();
    const rows = await runQueryOnLogs(
      { logs: [parquetDir], sql: "SELECT day, count(*) AS n FROM vpc_flow_log WHERE day = '02' GROUP BY day" },
      io,
    );
    const day2 = records.filter((r) => new Date(Number(r[START]) * 1000).toISOString().startsWith("2024-05-02"));
    expect(rowObjects(rows)).toEqual([{ day: "02", n: day2.length }]);
    expect(io.errors).toMatch(/3 files, 2000 lines read, 2000 records used, 0 rejected/);
  });

  it("shims from_unixtime as Athena has it (UTC)", async () => {
    const db = await openFlowLogDatabase();
    try {
      const { rows } = await runSql(
        db.connection,
        "SELECT CAST(from_unixtime(1621577928) AS VARCHAR) AS t, from_unixtime(0) AS epoch",
      );
      // A TIMESTAMPTZ prints as DuckDB's text of it, in UTC.
      expect(rows[0]).toEqual(["2021-05-21 06:18:48+00", "1970-01-01 00:00:00+00"]);
    } finally {
      db.close();
    }
  });

  it("reports the summary on stderr", async () => {
    const io = quiet();
    await runQueryOnLogs({ logs: [textDir], name: "rejected-traffic" }, io);
    expect(io.errors).toMatch(/2000 lines read, 2000 records used, 0 rejected/);
  });
});
