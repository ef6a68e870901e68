import type { DuckDBConnection } from "@duckdb/node-api";
import type { LogFile } from "../logs/resolve-log-paths";
import { checkLogFiles, type BrokenGzip, type CheckedFile } from "../logs/verify-gzip";
import { parquetRowCount } from "./flow-log-sources";
import { createFlowLogView, type FlowLogView } from "./flow-log-view";
import { attempt, type Attempt, type RejectedLine } from "./rejected-lines";

export type { RejectedLine } from "./rejected-lines";

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
  if (broken.length > 0) ({ view, outcome } = await rerunWithRecoveredCopies(connection, files, broken, run));
  if (!outcome.ok) throw outcome.error;

  const rejects = allRejects(outcome.rejects, broken);
  const read = verify ? await recordsRead(connection, files, checked, view, broken) : null;
  return {
    result: outcome.result,
    summary: {
      files: files.length,
      read,
      used: read === null ? null : read - rejects.length,
      rejected: rejects.length,
      rejects,
    },
  };
}

/** Rare: the view again, with the intact lines of each broken gzip file in its place, and `run` again. */
async function rerunWithRecoveredCopies<T>(
  connection: DuckDBConnection,
  files: readonly LogFile[],
  broken: readonly BrokenGzip[],
  run: () => Promise<T>,
): Promise<{ view: FlowLogView; outcome: Attempt<T> }> {
  const copies = new Map(broken.map((b) => [b.path, b.recoveredPath]));
  const view = await createFlowLogView(
    connection,
    files.map((file) => {
      const copy = copies.get(file.path);
      return copy ? { file, readFrom: { path: copy, format: "text" } } : { file };
    }),
  );
  return { view, outcome: await attempt(connection, run) };
}

/** The scans' rejects under the files' own names (not the recovered copies'), and one line per broken gzip file. */
function allRejects(scanned: readonly RejectedLine[], broken: readonly BrokenGzip[]): RejectedLine[] {
  const original = new Map(broken.map((b) => [b.recoveredPath, b.path]));
  return [
    ...scanned.map((r) => ({ ...r, file: original.get(r.file) ?? r.file })),
    ...broken.map((b) => ({
      file: b.path,
      line: b.firstLostLine,
      reason: `broken gzip data (${b.reason}); ${b.goodLines} intact lines kept`,
    })),
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Records in the files: the check's line counts less header lines, Parquet rows from metadata. */
async function recordsRead(
  connection: DuckDBConnection,
  files: readonly LogFile[],
  checked: readonly CheckedFile[],
  view: FlowLogView,
  broken: readonly BrokenGzip[],
): Promise<number> {
  const lines = checked.reduce((n, c) => n + Math.max(0, c.lines - (view.withHeader.has(c.path) ? 1 : 0)), 0);
  const parquet = await parquetRowCount(
    connection,
    files.filter((f) => f.format === "parquet"),
  );
  // A broken gzip member counts as one record read and rejected: what it held cannot be counted.
  return lines + broken.length + parquet;
}
