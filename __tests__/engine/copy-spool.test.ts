/** The record copies DuckDB reads: a few spool files shared by many log files, each file's records one run of lines. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { EngineError } from "../../engine/engine-error";
import { prepareLogFiles, type PreparedFile } from "../../engine/logs/prepare-log-files";
import { resolveLogPaths } from "../../engine/logs/resolve-log-paths";
import { copiedFrom, runOnFlowLogs } from "../../engine/query/run-on-flow-logs";
import { runSql } from "../../engine/query/run-sql";
import { runQueryOnLogs } from "../../engine/commands/query-command";
import { rowObjects } from "../../engine/query/row-objects";
import { checkTmpdir, openFlowLogDatabase, type FlowLogDatabase } from "../../engine/query/flow-log-database";
import { copiedRecords } from "./copied-records";
import { CopySpool } from "../../engine/logs/copy-spool";
import { headerColumn } from "../../engine/logs/flow-log-header";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";

const HEADER =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const record = (n: number, action = "ACCEPT") =>
  `2 123456789012 eni-${n} 10.0.0.5 1.2.3.4 ${n} 22 6 3 252 1714608000 1714608059 ${action} OK`;

let dir: string;
let logs: string;
/** 12 files in two day folders, one with a different field order (its own group), 3 records each. */
const expected = new Map<string, string>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-spool-"));
  logs = join(dir, "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1");
  for (let f = 0; f < 12; f++) {
    const day = join(logs, "2024", "05", f < 6 ? "01" : "02");
    mkdirSync(day, { recursive: true });
    const lines = [0, 1, 2].map((k) => record(f * 10 + k, k === 1 ? "REJECT" : "ACCEPT"));
    const path = join(day, `file-${f}.log.gz`);
    if (f === 11) {
      // Fields in another order: its copy cannot share a read with the others.
      const swap = (line: string) => line.split(" ").reverse().join(" ");
      writeFileSync(path, gzipSync(`${HEADER.split(" ").reverse().join(" ")}\n${lines.map(swap).join("\n")}\n`));
      expected.set(path, lines.map((l) => `${swap(l)}\n`).join(""));
    } else {
      writeFileSync(path, gzipSync(`${HEADER}\n${lines.join("\n")}\n`));
      expected.set(path, lines.map((l) => `${l}\n`).join(""));
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function prepare(readers: number): Promise<{ prepared: PreparedFile[]; spoolFiles: string[] }> {
  const spoolDir = mkdtempSync(join(dir, "spool-"));
  const prepared = await prepareLogFiles(resolveLogPaths([logs]), { spoolDir, readers });
  const spoolFiles = (readdirSync(spoolDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".log"));
  return { prepared, spoolFiles };
}

// Each reader process compiles its TypeScript as it starts (ts-node): seconds on a busy machine.
jest.setTimeout(30_000);

describe.each([0, 2])("with %i reader processes", (readers) => {
  it("each file's copy is its records, one run of lines in a spool file of its group", async () => {
    const { prepared, spoolFiles } = await prepare(readers);
    expect(prepared).toHaveLength(12);
    for (const p of prepared) expect(copiedRecords(p)).toBe(expected.get(p.file.path));
    // A spool file per lane and group (two days, and the other field order), not one per log file.
    const lanes = readers === 0 ? 3 : readers * 2;
    expect(spoolFiles.length).toBeLessThanOrEqual(lanes * 3);
    expect(spoolFiles.length).toBeLessThan(12);
    // Copies of files in the S3 layout are under Hive-style folders of their date (DuckDB reads the partitions there).
    for (const p of prepared)
      expect(p.records!.copy!.path).toMatch(
        new RegExp(`/year=2024/month=05/day=${p.file.path.includes("/01/") ? "01" : "02"}/hour=NULL/[^/]+\\.log$`),
      );
    // No two files' runs overlap: in each spool file, each run starts where the one before it ended.
    const byPath = new Map<string, PreparedFile[]>();
    for (const p of prepared) byPath.set(p.records!.copy!.path, [...(byPath.get(p.records!.copy!.path) ?? []), p]);
    for (const runs of byPath.values()) {
      const sorted = runs.map((p) => ({ offset: p.records!.copy!.offset, count: p.records!.count }));
      sorted.sort((a, b) => a.offset - b.offset);
      sorted.forEach((run, i) => expect(run.offset).toBe(i === 0 ? 0 : sorted[i - 1].offset + sorted[i - 1].count));
    }
    // Files of different groups never share a spool file.
    const groupOf = new Map<string, string>();
    for (const p of prepared) {
      const group = `${p.copyColumns[0].field}|${p.file.path.includes("/01/") ? 1 : 2}`;
      expect(groupOf.get(p.records!.copy!.path) ?? group).toBe(group);
      groupOf.set(p.records!.copy!.path, group);
    }
  });

  it("a spool folder that cannot be written is one clear error, naming TMPDIR", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const spoolDir = join(file, "spool"); // under a file: no folder can be made there
    const failure = await prepareLogFiles(resolveLogPaths([logs]), { spoolDir, readers }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as Error).message).toMatch(
      new RegExp(`^cannot write the plain-text copy of the records to ${spoolDir}/.*\\(under TMPDIR\\): ENOTDIR`),
    );
  });
});

describe("a line DuckDB refused", () => {
  it("is reported as the record of the log file it was copied from, at both ends of its run", async () => {
    const { prepared } = await prepare(0);
    const shared = prepared.filter((p) => p.records!.copy!.offset > 0);
    expect(shared.length).toBeGreaterThan(0);
    for (const p of shared) {
      const { path, offset } = p.records!.copy!;
      const count = p.records!.count;
      const at = (line: number) => copiedFrom(prepared, { file: path, line, reason: "CAST ERROR" });
      expect(at(offset + 1)).toEqual({ file: p.file.path, line: 0, reason: "DuckDB refused its record 1: CAST ERROR" });
      expect(at(offset + count)).toEqual({
        file: p.file.path,
        line: 0,
        reason: `DuckDB refused its record ${count}: CAST ERROR`,
      });
      // The line before the run is the last record of the file before it in the spool file.
      const before = prepared.find(
        (q) => q.records!.copy!.path === path && q.records!.copy!.offset + q.records!.count === offset,
      );
      expect(at(offset).file).toBe(before!.file.path);
    }
    expect(copiedFrom(prepared, { file: "/elsewhere.log", line: 1, reason: "X" })).toEqual({
      file: "/elsewhere.log",
      line: 1,
      reason: "DuckDB refused a line of a plain-text copy: X",
    });
  });
});

describe("a lane's spool files", () => {
  const cols = FLOW_LOG_FIELDS.map((f) => headerColumn(f.field));
  const dayPath = (day: number) => `/logs/2024/05/${String(day).padStart(2, "0")}/f.log`;
  const openUnder = (folder: string) =>
    readdirSync("/proc/self/fd").filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(folder);
      } catch {
        return false; // closed meanwhile
      }
    }).length;

  it("are one open at a time: a file of another date ends the last and starts another", async () => {
    const spoolDir = mkdtempSync(join(dir, "lane-"));
    const spool = new CopySpool(spoolDir, "t");
    const targets = [1, 2, 3, 1, 2].map((day) => {
      const target = spool.lane(0, dayPath(day))(cols);
      target.write(Buffer.from(`${record(day)}\n`));
      target.done(1);
      return target;
    });
    expect(new Set(targets.map((t) => t.path)).size).toBe(5); // back to day 1: a new file, after the others
    expect(targets.every((t) => t.offset === 0)).toBe(true);
    if (existsSync("/proc/self/fd")) {
      // Files open and close on the libuv pool: wait until only the lane's current file is open (it
      // stays open until close()); with every file kept open this never comes (up to 10 s, a busy machine).
      for (let i = 0; i < 200 && openUnder(spoolDir) !== 1; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(openUnder(spoolDir)).toBe(1);
    }
    await spool.close();
    expect(readFileSync(targets[3].path, "latin1")).toBe(`${record(1)}\n`);
  });

  it("wait for the disk without a listener left behind per wait", async () => {
    const spool = new CopySpool(mkdtempSync(join(dir, "drain-")), "t");
    const target = spool.lane(0, dayPath(1))(cols);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    const big = Buffer.alloc(5 << 20, 0x0a); // more than the stream's 4 MiB buffer: write() says wait
    for (let i = 0; i < 15; i++) if (!target.write(big)) await target.drained();
    await spool.close();
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});

describe("the view over the spool", () => {
  const rows = async (paths: string[], sql: string) =>
    rowObjects(await runQueryOnLogs({ logs: paths, sql }, { out: () => {}, err: () => {} }));

  it("takes year, month, day and hour from each file's folders, by day, by hour, and from start outside them", async () => {
    const hourly = join(dir, "hourly", "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2024", "05", "03");
    for (const hour of ["07", "08"]) {
      mkdirSync(join(hourly, hour), { recursive: true });
      writeFileSync(join(hourly, hour, `h-${hour}.log`), `${HEADER}\n${record(1)}\n${record(2)}\n`);
    }
    const loose = join(dir, "loose");
    mkdirSync(loose, { recursive: true });
    writeFileSync(join(loose, "any-name.log"), `${HEADER}\n${record(3)}\n`); // start 1714608000: 2024-05-02 00:00 UTC
    const sql = "SELECT year, month, day, hour, count(*) AS n FROM vpc_flow_log GROUP BY ALL ORDER BY ALL";
    expect(await rows([logs, join(dir, "hourly"), loose], sql)).toEqual([
      { year: "2024", month: "05", day: "01", hour: null, n: 18 },
      { year: "2024", month: "05", day: "02", hour: "00", n: 1 },
      { year: "2024", month: "05", day: "02", hour: null, n: 18 },
      { year: "2024", month: "05", day: "03", hour: "07", n: 2 },
      { year: "2024", month: "05", day: "03", hour: "08", n: 2 },
    ]);
    // A filter on them: only that folder's records (DuckDB skips the other copies).
    expect(await rows([logs, join(dir, "hourly")], "SELECT count(*) AS n FROM vpc_flow_log WHERE hour = '08'")).toEqual(
      [{ n: 2 }],
    );
  });

  it("refuses a TMPDIR under a name=value folder, which DuckDB would read as a column of every copy", async () => {
    expect(() => checkTmpdir("/data/action=ACCEPT/tmp")).toThrow(
      new EngineError(
        "TMPDIR: /data/action=ACCEPT/tmp has a folder named action=ACCEPT, which DuckDB would read as a column of " +
          'every record copied there; expected a folder with no "=" in its path',
      ),
    );
    expect(() => checkTmpdir("/data/day=01")).toThrow(/folder named day=01/);
    expect(() => checkTmpdir("/tmp/flowlogs-x")).not.toThrow();
    // A run whose work folder is under such a folder is refused before any copy is written.
    const tmp = join(dir, "action=ACCEPT");
    mkdirSync(tmp, { recursive: true });
    const db = await openFlowLogDatabase();
    try {
      const underTmp: FlowLogDatabase = {
        get connection() {
          return db.connection;
        },
        workDir: join(tmp, "flowlogs-x"),
        memoryLimit: db.memoryLimit,
        withoutMemoryLimit: () => db.withoutMemoryLimit(),
        close: () => db.close(),
      };
      const run = runOnFlowLogs(underTmp, resolveLogPaths([logs]), () => runSql(db.connection, "SELECT 1"));
      await expect(run).rejects.toThrow(/^TMPDIR: .*action=ACCEPT has a folder named action=ACCEPT/);
    } finally {
      db.close();
    }
    expect(readdirSync(tmp)).toEqual([]); // the run's folder removed, nothing copied
  });
});
