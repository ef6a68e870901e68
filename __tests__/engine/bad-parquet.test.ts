/**
 * A Parquet file DuckDB cannot read (cut short, empty, text under a .parquet name, a damaged footer) is
 * bad input, as a broken gzip file is: reported by name with DuckDB's reason, counted, and the other
 * files' records still give the answer, in query, replay and detect alike.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { detectInLogs } from "../../engine/commands/detect-command";
import { runQueryOnLogs } from "../../engine/commands/query-command";
import { replayLogs } from "../../engine/commands/replay-command";
import { EngineError } from "../../engine/engine-error";
import { generatedLogs } from "./generated-logs";
import { rowObjects } from "../../engine/query/row-objects";
import { quiet } from "./quiet-io";

const COUNT = "SELECT count(*) AS n FROM vpc_flow_log";

let dir: string;
let parquetDir: string;
/** The bad files, by name, written beside the generated AWSLogs/ in `mixed`. */
let bad: Record<string, Buffer>;
let mixed: string;

const firstFile = (root: string, ending: string) =>
  join(root, (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(ending)).sort()[0]);

/** A good Parquet file whose footer (just before its last 8 bytes) is overwritten in its first half. */
function damagedFooter(good: Buffer): Buffer {
  const copy = Buffer.from(good);
  const length = copy.readUInt32LE(copy.length - 8);
  copy.fill(0xff, copy.length - 8 - length, copy.length - 8 - (length >> 1));
  return copy;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-bad-parquet-"));
  const logs = await generatedLogs();
  parquetDir = logs.parquetDir;
  const good = readFileSync(firstFile(parquetDir, ".parquet"));
  bad = {
    "truncated.parquet": good.subarray(0, 1000),
    "text.parquet": gunzipSync(readFileSync(firstFile(logs.textDir, ".log.gz"))),
    "empty.parquet": Buffer.alloc(0),
    "footer.parquet": damagedFooter(good),
  };
  mixed = join(dir, "mixed");
  cpSync(parquetDir, mixed, { recursive: true });
  for (const [name, body] of Object.entries(bad)) writeFileSync(join(mixed, name), body);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REASONS: Record<string, RegExp> = {
  "truncated.parquet": /Invalid Input Error: No magic bytes found at end of file\)/,
  "text.parquet": /Invalid Input Error: No magic bytes found at end of file\)/,
  "empty.parquet": /Invalid Input Error: File too small to be a Parquet file\)/,
  "footer.parquet": /\(.+\)/, // whatever DuckDB's footer parser says
};

describe("a Parquet file DuckDB cannot read", () => {
  it.each(Object.keys(REASONS))("%s alone: reported by name, then no record to answer with", async (name) => {
    const path = join(dir, name);
    writeFileSync(path, bad[name]);
    const io = quiet();
    await expect(runQueryOnLogs({ logs: [path], sql: COUNT }, io)).rejects.toThrow(
      new EngineError("no flow-log record in 1 file: every line was rejected (see above)"),
    );
    const [skipped, summary] = io.errors.split("\n");
    expect(skipped.startsWith(`flowlogs: skipped ${path}: not a readable Parquet file (`)).toBe(true);
    expect(skipped.endsWith("); none of its rows read")).toBe(true);
    expect(skipped).toMatch(REASONS[name]);
    expect(skipped).not.toMatch(/[\x00-\x1f\x7f]|LINE 1|read_parquet/); // one printable line, no SQL
    expect(summary).toBe("flowlogs: 1 file, 1 lines read, 0 records used, 1 rejected");
  });

  it("among good ones: each is reported, and the good files' records are the answer", async () => {
    const io = quiet();
    const result = await runQueryOnLogs({ logs: [mixed], sql: COUNT }, io);
    expect(rowObjects(result)).toEqual([{ n: 2000 }]);
    for (const name of Object.keys(bad))
      expect(io.errors).toContain(`flowlogs: skipped ${join(mixed, name)}: not a readable Parquet file (`);
    expect(io.errors).toMatch(/flowlogs: 7 files, 2004 lines read, 2000 records used, 4 rejected\n$/);
  });

  it("among good ones, a named query that checks its fields still answers from the good files", async () => {
    const { rows } = await runQueryOnLogs({ logs: [mixed], name: "rejected-traffic" }, quiet());
    expect(rows).toEqual((await runQueryOnLogs({ logs: [parquetDir], name: "rejected-traffic" }, quiet())).rows);
  });

  it("replay: the same datapoints and transitions as from the good files alone", async () => {
    const io = quiet();
    const report = await replayLogs({ logs: [mixed] }, io);
    expect(report.datapoints.some((d) => d.value > 0)).toBe(true);
    expect(report).toEqual(await replayLogs({ logs: [parquetDir] }, quiet()));
    expect(io.errors).toContain(`flowlogs: skipped ${join(mixed, "truncated.parquet")}: not a readable Parquet file`);
    expect(io.errors).toMatch(/flowlogs: 7 files, 2004 lines read, 2000 records used, 4 rejected\n$/);
  });

  it("detect: the same findings as from the good files alone", async () => {
    const io = quiet();
    const findings = await detectInLogs({ logs: [mixed], env: {} }, io);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings).toEqual(await detectInLogs({ logs: [parquetDir], env: {} }, quiet()));
    expect(io.errors).toContain(`flowlogs: skipped ${join(mixed, "empty.parquet")}: not a readable Parquet file`);
    expect(io.errors).toMatch(/flowlogs: 7 files, 2004 lines read, 2000 records used, 4 rejected\n$/);
  });
});
