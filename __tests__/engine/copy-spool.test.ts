/** The record copies DuckDB reads: a few spool files shared by many log files, each file's records one run of lines. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { EngineError } from "../../engine/engine-error";
import { prepareLogFiles, type PreparedFile } from "../../engine/logs/prepare-log-files";
import { resolveLogPaths } from "../../engine/logs/resolve-log-paths";
import { copiedFrom } from "../../engine/query/run-on-flow-logs";
import { copiedRecords } from "./copied-records";

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

async function prepare(threads: number): Promise<{ prepared: PreparedFile[]; spoolFiles: string[] }> {
  const spoolDir = mkdtempSync(join(dir, "spool-"));
  const prepared = await prepareLogFiles(resolveLogPaths([logs]), { spoolDir, threads });
  return { prepared, spoolFiles: readdirSync(spoolDir) };
}

describe.each([0, 2])("with %i worker threads", (threads) => {
  it("each file's copy is its records, one run of lines in a spool file of its group", async () => {
    const { prepared, spoolFiles } = await prepare(threads);
    expect(prepared).toHaveLength(12);
    for (const p of prepared) expect(copiedRecords(p)).toBe(expected.get(p.file.path));
    // A spool file per lane and group (two days, and the other field order), not one per log file.
    const lanes = threads === 0 ? 3 : threads * 2;
    expect(spoolFiles.length).toBeLessThanOrEqual(lanes * 3);
    expect(spoolFiles.length).toBeLessThan(12);
    // No two files' runs overlap.
    const runs = prepared.map((p) => `${p.records!.copy!.path}:${p.records!.copy!.offset}`);
    expect(new Set(runs).size).toBe(12);
    // Files of different groups never share a spool file.
    const groupOf = new Map<string, string>();
    for (const p of prepared) {
      const group = `${p.copyColumns[0].field}|${p.file.path.includes("/01/") ? 1 : 2}`;
      expect(groupOf.get(p.records!.copy!.path) ?? group).toBe(group);
      groupOf.set(p.records!.copy!.path, group);
    }
  });

  it("a spool folder that cannot be written is one clear error, naming TMPDIR", async () => {
    const missing = join(dir, "no-such-folder");
    await expect(prepareLogFiles(resolveLogPaths([logs]), { spoolDir: missing, threads })).rejects.toThrow(
      new RegExp(`^cannot write the plain-text copy of the records to ${missing}/.*\\(under TMPDIR\\): ENOENT`),
    );
    await expect(prepareLogFiles(resolveLogPaths([logs]), { spoolDir: missing, threads })).rejects.toBeInstanceOf(
      EngineError,
    );
  });
});

describe("a line DuckDB refused", () => {
  it("is reported as the record of the log file it was copied from", async () => {
    const { prepared } = await prepare(0);
    const [a, b] = prepared.filter((p) => p.records!.copy!.offset > 0).slice(0, 2);
    for (const p of [a, b]) {
      const { path, offset } = p.records!.copy!;
      expect(copiedFrom(prepared, { file: path, line: offset + 2, reason: "CAST ERROR" })).toEqual({
        file: p.file.path,
        line: 0,
        reason: "DuckDB refused its record 2: CAST ERROR",
      });
    }
    expect(copiedFrom(prepared, { file: "/elsewhere.log", line: 1, reason: "X" })).toEqual({
      file: "/elsewhere.log",
      line: 1,
      reason: "DuckDB refused a line of a plain-text copy: X",
    });
  });
});
