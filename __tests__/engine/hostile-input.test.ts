/** Bad input never aborts, hangs or lies: each case here broke a run before the engine read every file itself. */
import { copiedRecords } from "./copied-records";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { generateCommand } from "../../engine/commands/generate-command";
import { runQueryOnLogs } from "../../engine/commands/query-command";
import { rowObjects } from "../../engine/query/row-objects";
import { replayLogs } from "../../engine/commands/replay-command";
import { EngineError } from "../../engine/engine-error";
import { prepareLogFiles } from "../../engine/logs/prepare-log-files";
import { resolveLogPaths } from "../../engine/logs/resolve-log-paths";
import { QueryError } from "../../monitoring/named-queries";
import { PING_DENY_FILTER } from "../../monitoring/ping-deny";
import { sshRdpRejectedFilter } from "../../monitoring/ssh-rdp-rejected";
import { parseIpv4Cidr, type Ipv4Cidr } from "../../config/cidr";
import { generatedLogs } from "./generated-logs";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import { quiet } from "./quiet-io";

const HEADER =
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const GOOD = "2 123456789012 eni-1 10.0.0.5 1.2.3.4 0 0 1 3 252 1714608000 1714608059 REJECT OK";
const COUNT = "SELECT count(*) AS n FROM vpc_flow_log";

let dir: string;
let textDir: string;
/** A fresh folder holding the given files (name -> contents). */
function folder(name: string, files: Record<string, string | Buffer>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, body] of Object.entries(files)) writeFileSync(join(path, file), body);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flowlogs-hostile-"));
  ({ textDir } = await generatedLogs());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("never abort on data", () => {
  it("a CRLF blank line in a plain-text file beside the generated files", async () => {
    const logs = join(dir, "crlf");
    cpSync(textDir, logs, { recursive: true });
    writeFileSync(join(logs, "extra.log"), `${HEADER}\n${GOOD}\r\n\r\n${GOOD}\r\n`);
    const io = quiet();
    const result = await runQueryOnLogs({ logs: [logs], sql: COUNT }, io);
    expect(rowObjects(result)).toEqual([{ n: 2002 }]); // CRLF endings are the same records; a blank line is none
    expect(io.errors).toMatch(/35 files, 2002 lines read, 2002 records used, 0 rejected/);
  });

  it("a file of random bytes is one report, and every other record counts", async () => {
    const noise = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256));
    const logs = folder("random", { "a.log": `${HEADER}\n${GOOD}\n`, "noise.log": noise });
    const io = quiet();
    const result = await runQueryOnLogs({ logs: [logs], sql: COUNT }, io);
    expect(rowObjects(result)).toEqual([{ n: 1 }]);
    expect(io.errors).toMatch(/skipped \S+noise\.log: no flow-log record in \d+ lines \(line 1: byte 0x/);
    expect(io.errors).not.toMatch(/more skipped lines/);
  });

  it("NUL, non-UTF-8 bytes, a stray CR, empty fields and bad numbers are rejected with their line numbers", async () => {
    const lines = [
      HEADER,
      GOOD,
      GOOD.replace("REJECT", "REJ\0CT"),
      GOOD.replace("eni-1", "eni-\xff"),
      GOOD.replace(" 1.2.3.4 ", " 1.2.3.4\r"),
      GOOD.replace(" 0 0 ", " 0  "),
      GOOD.replace("1714608000", "17146O8000"),
      GOOD.replace("252", "99999999999999999999"),
      GOOD,
    ];
    const logs = folder("bytes", { "a.log": Buffer.from(lines.join("\n") + "\n", "latin1") });
    const io = quiet();
    const result = await runQueryOnLogs({ logs: [logs], sql: COUNT }, io);
    expect(rowObjects(result)).toEqual([{ n: 2 }]);
    for (const [line, reason] of [
      [3, "byte 0x00 at column 76"],
      [4, "byte 0xff at column 20"],
      [5, "byte 0x0d at column 38"],
      [6, "field 7 (dstport): empty"],
      [7, 'field 11 (start): expected a whole number or -, found "17146O8000"'],
      [8, "field 10 (bytes): 99999999999999999999 is out of range for bigint"],
    ] as const)
      expect(io.errors).toContain(`a.log:${line}: ${reason}`);
    // read = used + rejected, and used is what the query saw.
    expect(io.errors).toMatch(/1 file, 8 lines read, 2 records used, 6 rejected\n$/);
  });

  it("a gzip file that holds no flow log, and a .gz file that is no gzip, are reported; the rest counts", async () => {
    const logs = folder("gz", {
      "a.log.gz": gzipSync(`${HEADER}\n${GOOD}\n`),
      "other.log.gz": gzipSync("<html><body>Not Found</body></html>\n"),
      "plain.log.gz": "not gzip\n",
    });
    const io = quiet();
    const result = await runQueryOnLogs({ logs: [logs], sql: COUNT }, io);
    expect(rowObjects(result)).toEqual([{ n: 1 }]);
    expect(io.errors).toMatch(/other\.log\.gz:1: expected 14 fields/);
    expect(io.errors).toMatch(/plain\.log\.gz:1: broken gzip data \(incorrect header check\)/);
  });

  it("a header that names a field twice is no header: the line is rejected, not a DuckDB error", async () => {
    const logs = folder("dup", { "a.log": `version version\n${GOOD}\n` });
    const io = quiet();
    const result = await runQueryOnLogs({ logs: [logs], sql: COUNT }, io);
    expect(rowObjects(result)).toEqual([{ n: 1 }]);
    expect(io.errors).toMatch(/a\.log:1: expected 14 fields/);
  });
});

describe("linear cost", () => {
  // Bounded by Jest's timeout, not timed: before, 32k fields took 16 s and 1 GB, a 1 MB line ran past ten minutes.
  it("lines of 32k fields and of 1 MB are rejected as too long, in time proportional to their length", async () => {
    const many = Array.from({ length: 32_768 }, (_, i) => String(i % 10)).join(" ");
    const huge = "a ".repeat(512 * 1024);
    const logs = folder("long", {
      "a.log": `${HEADER}\n${GOOD}\n${many}\n${GOOD}\n${huge}\n${GOOD}`, // the last line has no newline
      "b.log.gz": gzipSync(`${HEADER}\n${huge}${huge}\n${GOOD}\n`),
    });
    const io = quiet();
    const result = await runQueryOnLogs({ logs: [logs], sql: COUNT }, io);
    expect(rowObjects(result)).toEqual([{ n: 4 }]);
    expect(io.errors).toContain("a.log:3: line longer than 8192 bytes");
    expect(io.errors).toContain("a.log:5: line longer than 8192 bytes");
    expect(io.errors).toContain("b.log.gz:2: line longer than 8192 bytes");
  }, 20_000);
});

describe("no silent wrong answer", () => {
  it("a folder that holds no flow-log file, however many other files, is an error", async () => {
    const one = folder("one-other", { "notes.md": "# notes\n" });
    await expect(runQueryOnLogs({ logs: [one], sql: COUNT }, quiet())).rejects.toThrow(
      new EngineError(`no flow-log files (.log, .log.gz, .gz, .txt, .parquet) in ${one}`),
    );
    const two = folder("two-others", { "notes.md": "# notes\n", "x.json": "{}" });
    await expect(runQueryOnLogs({ logs: [two], sql: COUNT }, quiet())).rejects.toThrow(EngineError);
  });

  it("files where no line is a record are an error after the report, not an answer of no traffic", async () => {
    const logs = folder("nothing", { "a.log": "hello world\n", "b.log": "\x00\x01\x02\n" });
    const io = quiet();
    await expect(runQueryOnLogs({ logs: [logs], sql: COUNT }, io)).rejects.toThrow(
      "no flow-log record in 2 files: every line was rejected (see above)",
    );
    expect(io.errors).toMatch(/a\.log:1: expected 14 fields/);
  });

  it("a named query that needs a field the files lack names the field and the file", async () => {
    const logs = folder("no-action", {
      "custom.log": "version srcaddr dstaddr protocol start\n2 10.0.0.5 1.2.3.4 1 1714608000\n",
    });
    await expect(runQueryOnLogs({ logs: [logs], name: "rejected-traffic" }, quiet())).rejects.toThrow(
      new RegExp(
        `^query rejected-traffic needs the fields interface-id, end, action, which \\S+custom\\.log lacks: its fields are version srcaddr dstaddr protocol start$`,
      ),
    );
    // A query that reads only fields the file has is fine.
    const result = await runQueryOnLogs({ logs: [logs], sql: "SELECT count(source) AS n FROM vpc_flow_log" }, quiet());
    expect(rowObjects(result)).toEqual([{ n: 1 }]);
  });

  it("replay needs every field of the default format", async () => {
    const logs = folder("replay-custom", { "custom.log": "version srcaddr action\n2 10.0.0.5 REJECT\n" });
    await expect(replayLogs({ logs: [logs] }, quiet())).rejects.toThrow(/^replay .* needs the fields account-id, /);
  });
});

describe("--sql does what it says", () => {
  it("reads the given logs only: other files and writes are refused unless asked for", async () => {
    const logs = folder("sql", { "a.log": `${HEADER}\n${GOOD}\n` });
    const out = join(dir, "copy.csv");
    await expect(
      runQueryOnLogs({ logs: [logs], sql: `SELECT * FROM read_csv('${join(dir, "nothing", "a.log")}')` }, quiet()),
    ).rejects.toThrow(/^--sql: Permission Error/);
    await expect(
      runQueryOnLogs({ logs: [logs], sql: `COPY (SELECT * FROM vpc_flow_log) TO '${out}'` }, quiet()),
    ).rejects.toThrow(QueryError);
    await expect(runQueryOnLogs({ logs: [logs], sql: "SET enable_external_access = true" }, quiet())).rejects.toThrow(
      /locked/,
    );
    await runQueryOnLogs(
      { logs: [logs], sql: `COPY (SELECT * FROM vpc_flow_log) TO '${out}'`, allowFileAccess: true },
      quiet(),
    );
    const result = await runQueryOnLogs(
      { logs: [logs], sql: `SELECT count(*) AS n FROM read_csv('${out}')`, allowFileAccess: true },
      quiet(),
    );
    expect(rowObjects(result)).toEqual([{ n: 1 }]);
  });
});

describe("user errors are one line", () => {
  it("generate --out an existing file", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    await expect(generateCommand({ records: "10", out: file }, quiet())).rejects.toThrow(
      new EngineError(`--out: ${file} is a file, expected a folder (created when missing)`),
    );
    await expect(generateCommand({ records: "10", out: join(file, "sub") }, quiet())).rejects.toThrow(
      /^--out: cannot write under .*ENOTDIR/,
    );
  });
});

describe("reader processes", () => {
  it("read the files as this process does: the same records, rejects, line numbers and replayed minutes", async () => {
    const logs = join(dir, "threads");
    cpSync(textDir, logs, { recursive: true });
    writeFileSync(join(logs, "bad.log"), `${HEADER}\n${GOOD}\nbroken line\n${GOOD}\r\n`);
    writeFileSync(join(logs, "cut.log.gz"), gzipSync(`${HEADER}\n${GOOD}\n${GOOD}\n`).subarray(0, 40));
    const files = resolveLogPaths([logs]);
    const prepare = async (readers: number) => {
      const spoolDir = mkdtempSync(join(dir, "spool-"));
      const replay = {
        fields: FLOW_LOG_FIELDS,
        filters: [PING_DENY_FILTER, sshRdpRejectedFilter(parseIpv4Cidr("10.0.0.0/16") as Ipv4Cidr, FLOW_LOG_FIELDS)],
        attribute: [true, true],
      };
      const prepared = await prepareLogFiles(files, { spoolDir, readers, replay });
      return prepared.map((p) => ({
        ...p,
        records: p.records && { count: p.records.count, body: copiedRecords(p) },
      }));
    };
    const one = await prepare(0);
    expect(one.find((p) => p.file.path.endsWith("bad.log"))?.rejects).toEqual([
      { file: join(logs, "bad.log"), line: 3, reason: "expected 14 fields separated by single spaces, found 2" },
    ]);
    expect(one.filter((p) => p.minutes && p.minutes[0].length > 0)).toHaveLength(35); // 34 generated files and bad.log
    expect(one.every((p) => !p.minutes || p.minutes.length === 2)).toBe(true); // one list per filter
    expect(one.some((p) => p.minutes?.[0].some((m) => m.pairs && m.pairs.size > 0))).toBe(true);
    expect(await prepare(2)).toEqual(one);
  }, 30_000);
});
