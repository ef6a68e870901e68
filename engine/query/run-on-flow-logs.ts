import type { DuckDBConnection } from "@duckdb/node-api";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { KNOWN_FIELDS } from "../../monitoring/flow-log-fields";
import { ALL_PARTITION_COLUMNS } from "../../monitoring/flow-log-storage";
import type { ReplaySpec } from "../replay/replay-tap";
import { EngineError } from "../engine-error";
import { prepareLogFiles, type PreparedFile } from "../logs/prepare-log-files";
import type { LogFile } from "../logs/resolve-log-paths";
import { checkTmpdir, type FlowLogDatabase } from "./flow-log-database";
import { parquetRowCount, quoteString } from "./flow-log-sources";
import { createFlowLogView, type FlowLogView } from "./flow-log-view";
import { describeParquetFiles } from "./parquet-files";
import { attempt, type RejectedLine } from "./rejected-lines";

export type { RejectedLine } from "./rejected-lines";

export interface LoadSummary {
  readonly files: number;
  /**
   * Lines read: records and rejected lines (every non-blank line but headers), and Parquet rows; plus one
   * per broken gzip file and per unreadable Parquet file.
   */
  readonly read: number;
  /** The records the query saw: read − rejected. */
  readonly used: number;
  /**
   * Lines that are no records (see `rejects`), plus one per broken gzip file for the part it lost and
   * one per Parquet file DuckDB cannot read.
   */
  readonly rejected: number;
  /** The first rejected lines of each file, with line numbers and reasons (`rejected` counts them all). */
  readonly rejects: readonly RejectedLine[];
  /** Rejected lines no entry of `rejects` speaks for. */
  readonly unlisted: number;
  /** The memory limit DuckDB ran out of memory within, when the query was then run again without it. */
  readonly outOfMemoryAt?: string;
}

export interface LoadOptions {
  /** Reader processes that read the text and gzip files. @default see prepareLogFiles */
  readonly readers?: number;
  /**
   * Columns the run needs in every file, and who needs them (for the message): a file without one
   * would read as NULL there and answer wrong without a word, so that is an error.
   */
  readonly requires?: { readonly columns: readonly string[]; readonly by: string };
  /**
   * Let `run` read and write other files (COPY, read_csv of other paths, ATTACH). Off by default: once
   * the view exists, DuckDB may read only the given logs.
   */
  readonly allowFileAccess?: boolean;
  /**
   * Run these metric filters over the text and gzip files' records as they are read (their statistics
   * reach `run` in PreparedFile.minutes), and copy none of them for DuckDB: the view then holds the
   * Parquet files only.
   */
  readonly replay?: ReplaySpec;
  /**
   * The only columns `run` reads (table names, lower case), when that is known for sure: the text
   * files' copies then hold only these, and the view shows only these. All columns when unset.
   */
  readonly keep?: readonly string[];
}

export interface FlowLogRun<T> {
  readonly result: T;
  readonly summary: LoadSummary;
}

/**
 * Runs `run` (which queries `vpc_flow_log`) over the files; when DuckDB runs out of memory within
 * the database's limit, once more under DuckDB's own limit (so `run` must start afresh each time, and
 * read the connection from `db` when it runs). Text and gzip files are read once, in
 * full, before DuckDB sees them (prepareLogFiles): their records go to plain-text copies, anything
 * else is reported and skipped, so no byte in any file can abort the run or slip into an answer.
 * Parquet files are read by DuckDB directly; one whose footer it cannot read is reported and left out.
 */
export async function runOnFlowLogs<T>(
  db: FlowLogDatabase,
  files: readonly LogFile[],
  run: (text: readonly PreparedFile[]) => Promise<T>,
  options: LoadOptions = {},
): Promise<FlowLogRun<T>> {
  const phase = phaseTimer();
  // Replay's records go through its filters as they are read: it copies none for DuckDB.
  const spoolDir = options.replay ? undefined : join(db.workDir, "records");
  if (spoolDir !== undefined) {
    checkTmpdir(dirname(db.workDir));
    mkdirSync(spoolDir, { recursive: true });
  }
  const parquet = files.filter((f) => f.format === "parquet");
  const keep = keptColumns(options.keep);
  const text = await prepareLogFiles(
    files.filter((f) => f.format !== "parquet"),
    {
      spoolDir,
      readers: options.readers,
      replay: options.replay,
      keep: keep && [...keep],
    },
  );
  phase("read and check the text and gzip files");
  // Once: the view (made again after running out of memory) gets only the files DuckDB can read.
  const described = await describeParquetFiles(db.connection, parquet);
  const readable = described.readable.map((p) => p.file);
  const prepareView = async () => {
    const view = await createFlowLogView(db.connection, text, described.readable, keep);
    if (options.requires) checkRequiredColumns(view, options.requires);
    if (!options.allowFileAccess) await lockFileAccess(db.connection, text, readable);
  };
  await prepareView();
  phase("create the view");

  let outcome = await attempt(db.connection, () => run(text));
  phase("run the query");
  const outOfMemoryAt = !outcome.ok && isOutOfMemory(outcome.error) ? db.memoryLimit : null;
  if (outOfMemoryAt !== null) {
    await db.withoutMemoryLimit();
    await prepareView();
    outcome = await attempt(db.connection, () => run(text));
    phase("run the query again without the memory limit");
  }
  if (!outcome.ok) throw outcome.error;
  // A backstop: DuckDB should refuse nothing in the copies; if it did, say so under the file's own name.
  const duckRejects = outcome.rejects.map((r) => copiedFrom(text, r));

  const records =
    text.reduce((n, f) => n + (f.records?.count ?? 0), 0) + (await parquetRowCount(db.connection, readable));
  const rejected = text.reduce((n, f) => n + f.rejected, 0) + described.rejects.length + duckRejects.length;
  const rejects = [...text.flatMap((f) => f.rejects), ...described.rejects, ...duckRejects].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  );
  return {
    result: outcome.result,
    summary: {
      files: files.length,
      read: records + rejected - duckRejects.length,
      used: records - duckRejects.length,
      rejected,
      rejects,
      unlisted: text.reduce((n, f) => n + f.unlisted, 0),
      ...(outOfMemoryAt === null ? {} : { outOfMemoryAt }),
    },
  };
}

/**
 * DuckDB's error when it could neither allocate nor spill (also inside a QueryError's message). By its
 * message: an error from the native module is no `instanceof Error` where the globals differ (Jest).
 */
const isOutOfMemory = (error: unknown) =>
  String((error as { message?: unknown } | null)?.message).includes("Out of Memory Error");

/** A line of a spool file DuckDB refused, as a rejected record of the log file it was copied from. */
export function copiedFrom(text: readonly PreparedFile[], refused: RejectedLine): RejectedLine {
  const source = text.find(({ records }) => {
    const copy = records?.copy;
    return copy?.path === refused.file && refused.line > copy.offset && refused.line <= copy.offset + records!.count;
  });
  if (source === undefined)
    return { ...refused, reason: `DuckDB refused a line of a plain-text copy: ${refused.reason}` };
  const record = refused.line - source.records!.copy!.offset;
  return { file: source.file.path, line: 0, reason: `DuckDB refused its record ${record}: ${refused.reason}` };
}

/** The columns to keep: those asked for, and the start time when the date partition columns come from it. */
function keptColumns(keep: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (keep === undefined) return undefined;
  const columns = new Set(keep.map((c) => c.toLowerCase()));
  if (ALL_PARTITION_COLUMNS.some((c) => columns.has(c))) columns.add("starttime");
  return columns;
}

/** FLOWLOGS_TIMING=1: the time each phase took, on stderr (what docs/performance.md's profile is made of). */
function phaseTimer(): (name: string) => void {
  if (!process.env.FLOWLOGS_TIMING) return () => {};
  let last = process.hrtime.bigint();
  // Everything before the read: Node's start, the modules, DuckDB's instance, parsing the statement.
  process.stderr.write(
    `flowlogs: timing: start-up (process start to the first file): ${(performance.now() / 1000).toFixed(2)} s\n`,
  );
  return (name) => {
    const now = process.hrtime.bigint();
    process.stderr.write(`flowlogs: timing: ${name}: ${(Number(now - last) / 1e9).toFixed(2)} s\n`);
    last = now;
  };
}

const FIELD_OF_COLUMN = new Map(KNOWN_FIELDS.map((f) => [f.column, f.field]));

/**
 * Each needed column that is a flow-log field (the default format's, or one a file has) must be in
 * every file. A name that is neither is left to DuckDB, which names it in a Binder Error.
 */
function checkRequiredColumns(view: FlowLogView, requires: NonNullable<LoadOptions["requires"]>): void {
  const fields = new Set([...FIELD_OF_COLUMN.keys(), ...[...view.columnsByFile.values()].flat()]);
  const needed = requires.columns.filter((c) => fields.has(c));
  for (const [path, columns] of view.columnsByFile) {
    const missing = needed.filter((c) => !columns.includes(c));
    if (missing.length === 0) continue;
    const fields = missing.map((c) => FIELD_OF_COLUMN.get(c) ?? c.replaceAll("_", "-"));
    const lacking = [...view.columnsByFile].filter(([, cs]) => missing.some((c) => !cs.includes(c))).length;
    throw new EngineError(
      `${requires.by} needs the field${fields.length > 1 ? "s" : ""} ${fields.join(", ")}, which ${path} lacks` +
        `${lacking > 1 ? ` (and ${lacking - 1} more files)` : ""}: its fields are ${columns.map((c) => FIELD_OF_COLUMN.get(c) ?? c).join(" ")}`,
    );
  }
}

/** From here on DuckDB may read only the record copies and Parquet files, write nothing but its spill files, and not change that. */
async function lockFileAccess(
  connection: DuckDBConnection,
  text: readonly PreparedFile[],
  parquet: readonly LogFile[],
): Promise<void> {
  const copies = new Set(text.flatMap((f) => (f.records?.copy ? [f.records.copy.path] : [])));
  const paths = [...copies, ...parquet.map((f) => f.path)];
  await connection.run(`SET allowed_paths = [${paths.map(quoteString).join(", ")}]`);
  await connection.run("SET enable_external_access = false");
  await connection.run("SET lock_configuration = true");
}
