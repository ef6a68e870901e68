/** The CLI's contract: 0 with a report for any data, 2 and one line for anything a user can get wrong. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../cli/flowlogs";
import { generatedLogs } from "./generated-logs";

let dir: string;
let textDir: string;
let parquetDir: string;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = { out: "", err: "" };
  const code = await main(["node", "flowlogs", ...args], {
    out: (t) => (io.out += t),
    err: (t) => (io.err += t),
  });
  return { code, ...io };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-cli-"));
  ({ textDir, parquetDir } = await generatedLogs());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a folder with good and hostile files: exit 0, the report on stderr, the answer on stdout", async () => {
  const logs = join(dir, "mixed");
  mkdirSync(logs);
  writeFileSync(join(logs, "noise.log"), Buffer.from([0, 1, 2, 255, 10, 13, 10]));
  const { code, out, err } = await run(
    "query",
    "--sql",
    "SELECT count(*) AS n FROM vpc_flow_log",
    "--logs",
    textDir,
    logs,
    "--format",
    "csv",
  );
  expect(code).toBe(0);
  expect(out).toBe("n\n2000\n");
  expect(err).toMatch(/skipped \S+noise\.log:1: byte 0x00 at column 1/); // and the CRLF line is blank
});

test.each([
  [
    "an SQL error",
    ["query", "--sql", "SELECT nope FROM vpc_flow_log", "--logs", "<text>"],
    /^flowlogs: --sql: Binder Error/,
  ],
  ["two statements", ["query", "--sql", "SELECT 1; SELECT 2", "--logs", "<text>"], /give one SQL statement, got 2/],
  ["a path that does not exist", ["query", "top-talkers", "--logs", "<dir>/nope"], /^flowlogs: log path not found/],
  ["a folder without flow logs", ["query", "top-talkers", "--logs", "<dir>/docs"], /^flowlogs: no flow-log files/],
  [
    "a broken symbolic link",
    ["query", "top-talkers", "--logs", "<dir>/broken"],
    /^flowlogs: log path not found: \S+gone\.log: a broken symbolic link to \S+nowhere\.log$/,
  ],
  [
    "a glob with an unterminated [",
    ["query", "top-talkers", "--logs", "<dir>/docs/[a"],
    /^flowlogs: --logs \S+\/docs\/\[a: "\[" with no closing "\]" in "\[a"/,
  ],
  ["files with no record at all", ["replay", "--logs", "<dir>/junk"], /^flowlogs: no flow-log record in 1 file/m],
  ["generate --out a file", ["generate", "--records", "5", "--out", "<dir>/a-file"], /^flowlogs: --out: .* is a file/],
  ["a bad record count", ["generate", "--records", "lots", "--out", "<dir>/gen"], /^flowlogs: --records: got "lots"/],
  ["an unknown option", ["query", "--nope"], /unknown option '--nope'/],
  [
    "an unknown record format",
    ["generate", "--records", "5", "--log-format", "v5", "--out", "<dir>/gen"],
    /argument 'v5' is invalid.*Allowed choices are default, extended/,
  ],
])("%s: exit 2, no stack trace", async (_, args, message) => {
  mkdirSync(join(dir, "docs"), { recursive: true });
  writeFileSync(join(dir, "docs", "notes.md"), "# notes\n");
  mkdirSync(join(dir, "junk"), { recursive: true });
  writeFileSync(join(dir, "junk", "a.log"), "hello\n");
  writeFileSync(join(dir, "a-file"), "");
  rmSync(join(dir, "broken"), { recursive: true, force: true });
  mkdirSync(join(dir, "broken"));
  symlinkSync(join(dir, "nowhere.log"), join(dir, "broken", "gone.log"));
  const { code, err } = await run(...args.map((a) => a.replace("<text>", textDir).replace("<dir>", dir)));
  expect(code).toBe(2);
  // The error is a line of its own (a report of skipped lines, or usage, may come with it); no stack frames.
  expect(err).toMatch(new RegExp(message.source, "m"));
  expect(err).not.toMatch(/\n\s+at /);
});

describe("a cut Parquet file", () => {
  let logs: string;
  let cut: string;
  beforeAll(() => {
    logs = join(dir, "parquet");
    cpSync(parquetDir, logs, { recursive: true });
    const good = (readdirSync(logs, { recursive: true }) as string[]).find((f) => f.endsWith(".parquet"))!;
    cut = join(logs, "cut.parquet");
    writeFileSync(cut, readFileSync(join(logs, good)).subarray(0, 1000));
  });

  test.each([["query", "rejected-traffic"], ["replay"], ["detect"]])(
    "%s: exit 2 alone, exit 0 among good ones; named with DuckDB's reason, no SQL",
    async (...command) => {
      const skipped = `flowlogs: skipped ${cut}: not a readable Parquet file (Invalid Input Error: No magic bytes found at end of file); none of its rows read\n`;
      const alone = await run(...command, "--logs", cut);
      expect(alone.code).toBe(2);
      expect(alone.err).toBe(
        skipped +
          "flowlogs: 1 file, 1 lines read, 0 records used, 1 rejected\n" +
          "flowlogs: no flow-log record in 1 file: every line was rejected (see above)\n",
      );
      const among = await run(...command, "--logs", logs);
      expect(among.code).toBe(0);
      expect(among.err).toBe(skipped + "flowlogs: 4 files, 2001 lines read, 2000 records used, 1 rejected\n");
      expect(among.out).not.toBe("");
    },
  );
});

test("detect with a bad LAB_FLOW_LOG_FORMAT: exit 2, in synth's words, before any file is read", async () => {
  process.env.LAB_FLOW_LOG_FORMAT = "v5";
  try {
    const { code, err } = await run("detect", "--logs", textDir);
    expect(code).toBe(2);
    expect(err).toMatch(/LAB_FLOW_LOG_FORMAT: got "v5", expected default or extended/);
    expect(err).not.toMatch(/records used/);
  } finally {
    delete process.env.LAB_FLOW_LOG_FORMAT;
  }
});

test("a parameter given twice, or a parameter with --sql: exit 2, naming it, before any file is read", async () => {
  const twice = await run(
    "query",
    "icmp-from-source",
    "--param",
    "source=1.1.1.1",
    "--param",
    "source=2.2.2.2",
    "--logs",
    textDir,
  );
  expect(twice.code).toBe(2);
  expect(twice.err).toBe('flowlogs: --param: got source twice ("1.1.1.1" and "2.2.2.2"), expected it once\n');
  const withSql = await run("query", "--sql", "SELECT 1", "--param", "source=1.1.1.1", "--logs", textDir);
  expect(withSql.code).toBe(2);
  expect(withSql.err).toBe("flowlogs: --param source: parameters are for named queries, expected none with --sql\n");
  expect(withSql.out).toBe("");
});

test("a pattern CloudWatch would refuse: exit 2, the reason and where", async () => {
  const events = join(dir, "events.txt");
  writeFileSync(events, "a b c\n");
  const { code, err } = await run("test-pattern", "--pattern", "%something!%", "--events", events);
  expect(code).toBe(2);
  expect(err.split("\n")[0]).toBe(
    'flowlogs: invalid filter pattern: "!" is not allowed in a regular expression (letters, digits, : _ # = @ / ; , - and ^ $ ? [ ] { } | \\ * + . only) at position 11',
  );
});
