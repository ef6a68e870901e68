import type { DuckDBConnection } from "@duckdb/node-api";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import type { LogFile } from "../logs/resolve-log-paths";
import { findBrokenGzip } from "../logs/verify-gzip";
import { parquetSource, quoteIdent, textSources } from "./flow-log-sources";

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
  /** Records read: used + rejected. */
  readonly read: number;
  readonly used: number;
  readonly rejected: number;
  readonly rejects: readonly RejectedLine[];
}

export interface LoadOptions {
  /** Inflate every gzip file once to detect truncation (DuckDB would stop silently). @default true */
  readonly verifyGzip?: boolean;
}

// year/month/day from `.../yyyy/MM/dd/<file>` or hive `year=yyyy/month=MM/day=dd/<file>`; else from the record's start (UTC).
const PATH_DATE = String.raw`(?:^|/)(?:year=)?(\d{4})/(?:month=)?(\d{2})/(?:day=)?(\d{2})/[^/]*$`;
function partitionColumn(name: string, group: number, format: string): string {
  const fromStart = `strftime(make_timestamp(CAST(starttime AS BIGINT) * 1000000), '${format}')`;
  return `coalesce(nullif(regexp_extract(filename, '${PATH_DATE}', ${group}), ''), ${fromStart}) AS ${name}`;
}

/**
 * Loads flow-log files into the table `vpc_flow_log`, with the walkthrough's columns (named after
 * FLOW_LOG_FIELDS whatever order the files' headers give), any extra fields, and the partition
 * columns year, month, day. Loading once into DuckDB's columnar storage lets the summary count
 * records exactly without a second pass over the files.
 */
export async function loadFlowLogs(
  connection: DuckDBConnection,
  files: readonly LogFile[],
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const rejects: RejectedLine[] = [];
  const gzip = files.filter((f) => f.format === "gzip").map((f) => f.path);
  const broken = options.verifyGzip === false ? [] : await findBrokenGzip(gzip);
  const original = new Map<string, string>();
  for (const b of broken) {
    rejects.push({
      file: b.path,
      line: b.goodLines + 1,
      reason: `broken gzip data (${b.reason}); ${b.goodLines} intact lines kept`,
    });
    original.set(b.recoveredPath, b.path);
  }
  const replaced = new Map(broken.map((b) => [b.path, b.recoveredPath]));
  const text = files
    .filter((f) => f.format !== "parquet")
    .map((f): LogFile => (replaced.has(f.path) ? { path: replaced.get(f.path)!, format: "text" } : f));
  const sources = textSources(text);
  const parquet = await parquetSource(
    connection,
    files.filter((f) => f.format === "parquet"),
  );
  if (parquet) sources.push(parquet);

  const base = FLOW_LOG_FIELDS.map((f) => f.column);
  const union = sources.map((s) => `(${s})`).join(" UNION ALL BY NAME ");
  await connection.run(`CREATE OR REPLACE TEMP VIEW flow_log_sources AS ${union}`);
  const described = await connection.runAndReadAll("DESCRIBE flow_log_sources");
  const extra = described
    .getRowObjectsJS()
    .map((r) => String(r.column_name))
    .filter((name) => name !== "filename" && !base.includes(name))
    .sort();
  const columns = [...base, ...extra].map(quoteIdent).join(", ");
  await connection.run(
    `CREATE OR REPLACE TABLE ${FLOW_LOG_TABLE} AS SELECT ${columns}, ` +
      `${partitionColumn("year", 1, "%Y")}, ${partitionColumn("month", 2, "%m")}, ${partitionColumn("day", 3, "%d")} ` +
      `FROM flow_log_sources`,
  );

  const used = Number(
    (await connection.runAndReadAll(`SELECT count(*) AS n FROM ${FLOW_LOG_TABLE}`)).getRowObjectsJS()[0].n,
  );
  if (sources.some((s) => s.includes("store_rejects"))) {
    const rows = await connection.runAndReadAll(
      `SELECT s.file_path AS file, e.line AS line, first(e.error_type || ': ' || e.error_message ORDER BY e.column_idx) AS reason
       FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)
       GROUP BY ALL ORDER BY file, line`,
    );
    for (const row of rows.getRowObjectsJS()) {
      const file = String(row.file);
      rejects.push({ file: original.get(file) ?? file, line: Number(row.line), reason: String(row.reason) });
    }
  }
  rejects.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  // A broken gzip member counts as one rejected record: what it held cannot be counted.
  return { files: files.length, read: used + rejects.length, used, rejected: rejects.length, rejects };
}
