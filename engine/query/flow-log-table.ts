import type { DuckDBConnection } from "@duckdb/node-api";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import type { LogFile } from "../logs/resolve-log-paths";
import { checkLogFiles, type CheckedFile } from "../logs/verify-gzip";
import {
  groupTextFiles,
  parquetRowCount,
  parquetSources,
  quoteIdent,
  textSource,
  type SourceFile,
} from "./flow-log-sources";

/** The relation the named queries' `{{table}}` is rendered to when they run on DuckDB. */
export const FLOW_LOG_TABLE = "vpc_flow_log";

export interface RejectedLine {
  readonly file: string;
  /** 1-based line number in the (uncompressed) file, header included; 0 when the whole file is unreadable. */
  readonly line: number;
  readonly reason: string;
}

export interface LoadSummary {
  readonly files: number;
  /**
   * Records in the files: non-blank lines of text and gzip files less their header lines, counted
   * by the end-to-end check (plus one per broken gzip file, for the record the damage cut), and
   * Parquet rows from the files' metadata. null when not counted (`verifyGzip: false`).
   */
  readonly read: number | null;
  /** read − rejected; null when read is. */
  readonly used: number | null;
  /** Lines the query's scans rejected (see `rejects`), plus one per broken gzip file. */
  readonly rejected: number;
  readonly rejects: readonly RejectedLine[];
}

export interface LoadOptions {
  /**
   * Read every text and gzip file end to end alongside the query, to count records and to detect
   * truncated gzip (DuckDB would stop silently). @default true
   */
  readonly verifyGzip?: boolean;
  /** Files the check reads at a time. @default 1 (on 2 cores, DuckDB needs the rest) */
  readonly checkConcurrency?: number;
}

export interface FlowLogRun<T> {
  readonly result: T;
  readonly summary: LoadSummary;
}

const TYPE = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

interface FlowLogView {
  /** Original paths of text/gzip files read with a header line. */
  readonly withHeader: ReadonlySet<string>;
}

/**
 * (Re)creates the view `vpc_flow_log` over the files: the walkthrough's columns (named after
 * FLOW_LOG_FIELDS whatever order the files' headers give), any extra fields, and the partition
 * columns year, month, day. A view, not a copy: each query scans the files once, and DuckDB
 * converts only the columns it uses.
 */
async function createFlowLogView(connection: DuckDBConnection, files: readonly SourceFile[]): Promise<FlowLogView> {
  const groups = groupTextFiles(files.filter((f) => f.file.format !== "parquet"));
  const sources = groups.map(textSource);
  sources.push(
    ...(await parquetSources(
      connection,
      files.filter((f) => f.file.format === "parquet"),
    )),
  );
  const present = new Set(sources.flatMap((s) => s.columns));
  const base = FLOW_LOG_FIELDS.map((f) =>
    present.has(f.column) ? quoteIdent(f.column) : `NULL::${TYPE[f.type]} AS ${quoteIdent(f.column)}`,
  );
  const known = new Set(FLOW_LOG_FIELDS.map((f) => f.column));
  const extra = [...present].filter((c) => !known.has(c)).sort();
  const union = sources.map((s) => `(${s.sql})`).join(" UNION ALL BY NAME ");
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${FLOW_LOG_TABLE} AS SELECT ${[...base, ...extra.map(quoteIdent)].join(", ")}, year, month, day FROM (${union})`,
  );
  const withHeader = new Set(groups.filter((g) => g.header).flatMap((g) => g.files.map((f) => f.file.path)));
  return { withHeader };
}

async function lastScanId(connection: DuckDBConnection): Promise<number | null> {
  const exists = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name IN ('reject_scans', 'reject_errors')",
  );
  if (Number(exists.getRowObjectsJS()[0].n) < 2) return null;
  const reader = await connection.runAndReadAll("SELECT coalesce(max(scan_id), -1) AS id FROM reject_scans");
  return Number(reader.getRowObjectsJS()[0].id);
}

/** Lines DuckDB's CSV scans since `after` rejected, one per file and line (a self-join scans twice). */
async function rejectedLines(connection: DuckDBConnection, after: number | null): Promise<RejectedLine[]> {
  if ((await lastScanId(connection)) === null) return [];
  const rows = await connection.runAndReadAll(
    `SELECT s.file_path AS file, e.line AS line, first(e.error_type || ': ' || e.error_message ORDER BY e.scan_id, e.column_idx) AS reason
     FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)
     WHERE e.scan_id > ${after ?? -1}
     GROUP BY ALL ORDER BY file, line`,
  );
  return rows
    .getRowObjectsJS()
    .map((row) => ({ file: String(row.file), line: Number(row.line), reason: String(row.reason) }));
}

type Attempt<T> = { ok: true; result: T; rejects: RejectedLine[] } | { ok: false; error: unknown };

async function attempt<T>(connection: DuckDBConnection, run: () => Promise<T>): Promise<Attempt<T>> {
  const before = await lastScanId(connection);
  try {
    const result = await run();
    return { ok: true, result, rejects: await rejectedLines(connection, before) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Errors in the SQL itself: no file can have caused them, so there is no point waiting for the check. */
const SQL_ERROR = /^(Parser|Binder|Catalog) Error/;

/**
 * Runs `run` (which queries `vpc_flow_log`) over the files, reading each file once: DuckDB scans
 * them through the view while the check counts their records and inflates every gzip file end to
 * end, on the libuv pool. When the check finds a broken gzip file, the file is reported (where the
 * damage starts, its intact lines kept through a recovered plain-text copy) and `run` runs again
 * with the copy in its place: `run` must be repeatable.
 */
export async function runOnFlowLogs<T>(
  connection: DuckDBConnection,
  files: readonly LogFile[],
  run: () => Promise<T>,
  options: LoadOptions = {},
): Promise<FlowLogRun<T>> {
  const verify = options.verifyGzip !== false;
  const stop = new AbortController();
  const checking = verify
    ? checkLogFiles(
        files.filter((f) => f.format !== "parquet"),
        { concurrency: options.checkConcurrency, signal: stop.signal },
      )
    : Promise.resolve([]);
  checking.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  let view: FlowLogView;
  let outcome: Attempt<T>;
  let checked: CheckedFile[];
  try {
    view = await createFlowLogView(
      connection,
      files.map((file) => ({ file })),
    );
    outcome = await attempt(connection, run);
    if (!outcome.ok && SQL_ERROR.test((outcome.error as Error).message)) throw outcome.error;
    checked = await checking;
  } finally {
    stop.abort();
  }

  const broken = checked.flatMap((c) => (c.broken ? [c.broken] : []));
  if (broken.length > 0) {
    // Rare: run again with the intact lines of each broken file in its place.
    const copies = new Map(broken.map((b) => [b.path, b.recoveredPath]));
    view = await createFlowLogView(
      connection,
      files.map((file) => {
        const copy = copies.get(file.path);
        return copy ? { file, readFrom: { path: copy, format: "text" } } : { file };
      }),
    );
    outcome = await attempt(connection, run);
  }
  if (!outcome.ok) throw outcome.error;

  const original = new Map(broken.map((b) => [b.recoveredPath, b.path]));
  const rejects: RejectedLine[] = [
    ...outcome.rejects.map((r) => ({ ...r, file: original.get(r.file) ?? r.file })),
    ...broken.map((b) => ({
      file: b.path,
      line: b.firstLostLine,
      reason: `broken gzip data (${b.reason}); ${b.goodLines} intact lines kept`,
    })),
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

  let read: number | null = null;
  if (verify) {
    const lines = checked.reduce((n, c) => n + Math.max(0, c.lines - (view.withHeader.has(c.path) ? 1 : 0)), 0);
    const parquet = await parquetRowCount(
      connection,
      files.filter((f) => f.format === "parquet"),
    );
    // A broken gzip member counts as one record read and rejected: what it held cannot be counted.
    read = lines + broken.length + parquet;
  }
  const rejected = rejects.length;
  return {
    result: outcome.result,
    summary: { files: files.length, read, used: read === null ? null : read - rejected, rejected, rejects },
  };
}
