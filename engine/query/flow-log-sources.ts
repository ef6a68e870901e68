import type { DuckDBConnection } from "@duckdb/node-api";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import { headerColumn, parseHeader, readHeaderLine, type HeaderColumn } from "../logs/flow-log-header";
import type { LogFile } from "../logs/resolve-log-paths";

const DUCKDB_TYPE = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const fileList = (paths: readonly string[]) => `[${paths.map(quoteString).join(", ")}]`;

/** A file to read: `path` is where its partition comes from; `readFrom` (a recovered copy) replaces it for reading. */
export interface SourceFile {
  readonly file: LogFile;
  readonly readFrom?: LogFile;
}

export interface PathDate {
  readonly year: string;
  readonly month: string;
  readonly day: string;
}

// `.../yyyy/MM/dd/<file>` (the S3 destination's layout) or hive `.../year=yyyy/month=MM/day=dd/<file>`.
const PATH_DATE = /(?:^|\/)(?:year=)?(\d{4})\/(?:month=)?(\d{2})\/(?:day=)?(\d{2})\/[^/]*$/;

/** The partition a file's path puts it in, or null outside the S3 (or hive) layout. */
export function pathDate(path: string): PathDate | null {
  const m = PATH_DATE.exec(path.replaceAll("\\", "/"));
  return m ? { year: m[1], month: m[2], day: m[3] } : null;
}

/**
 * year, month, day: constants for a group of files in one date folder (so a filter on them prunes
 * whole groups); outside that layout, the record's start (UTC) row by row.
 */
function partitionColumns(date: PathDate | null, hasStart: boolean): string {
  if (date)
    return `${quoteString(date.year)} AS year, ${quoteString(date.month)} AS month, ${quoteString(date.day)} AS day`;
  if (!hasStart) return "NULL::VARCHAR AS year, NULL::VARCHAR AS month, NULL::VARCHAR AS day";
  const part = (format: string) => `strftime(make_timestamp(CAST(starttime AS BIGINT) * 1000000), '${format}')`;
  return `${part("%Y")} AS year, ${part("%m")} AS month, ${part("%d")} AS day`;
}

function groupBy(files: readonly SourceFile[], key: (f: SourceFile) => string): Map<string, SourceFile[]> {
  const groups = new Map<string, SourceFile[]>();
  for (const f of files) {
    const k = key(f);
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  return groups;
}

const dateKey = (f: SourceFile) => {
  const d = pathDate(f.file.path);
  return d ? `${d.year}/${d.month}/${d.day}` : "-";
};
const readPath = (f: SourceFile) => (f.readFrom ?? f.file).path;

export interface TextGroup {
  readonly columns: readonly HeaderColumn[];
  readonly header: boolean;
  readonly files: readonly SourceFile[];
}

/** Text and gzip files grouped by header (field order) and date folder: one read_csv call each. */
export function groupTextFiles(files: readonly SourceFile[]): TextGroup[] {
  const byKey = new Map<string, { columns: HeaderColumn[]; header: boolean; files: SourceFile[] }>();
  for (const f of files) {
    const parsed = parseHeader(readHeaderLine(f.readFrom ?? f.file));
    // No header line: the default (v2) format, as the walkthrough's table assumes.
    const columns = parsed ?? FLOW_LOG_FIELDS.map((field) => headerColumn(field.field));
    const key = `${parsed ? "h" : "n"}:${columns.map((c) => c.field).join(" ")}|${dateKey(f)}`;
    const group = byKey.get(key) ?? { columns, header: parsed !== null, files: [] };
    group.files.push(f);
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

/**
 * One SELECT per group over space-delimited text or gzip files: DuckDB reads and inflates them
 * itself (fast, parallel, only the columns a query uses); `-` is NULL; a line with the wrong field
 * count or a non-numeric number in a column the query reads goes to DuckDB's reject tables (file
 * and line number) instead of failing the run.
 */
export interface Source {
  readonly sql: string;
  /** The table's column names the source gives (before year, month, day). */
  readonly columns: readonly string[];
}

export function textSource({ columns, header, files }: TextGroup): Source {
  const types = columns.map((c) => `${quoteString(c.field)}: '${DUCKDB_TYPE[c.type]}'`).join(", ");
  const select = columns.map((c) => `${quoteIdent(c.field)} AS ${quoteIdent(c.column)}`).join(", ");
  const read =
    `read_csv(${fileList(files.map(readPath))}, delim = ' ', header = ${header}, auto_detect = false, ` +
    `columns = {${types}}, nullstr = '-', quote = '', escape = '', hive_partitioning = false, store_rejects = true)`;
  const partition = partitionColumns(
    pathDate(files[0].file.path),
    columns.some((c) => c.column === "starttime"),
  );
  return {
    sql: `SELECT *, ${partition} FROM (SELECT ${select} FROM ${read})`,
    columns: columns.map((c) => c.column),
  };
}

/**
 * Parquet files (the S3 destination's Parquet option) name fields with underscores; cast to the
 * table's types. One read_parquet per date folder.
 */
export async function parquetSources(connection: DuckDBConnection, files: readonly SourceFile[]): Promise<Source[]> {
  const sources: Source[] = [];
  for (const group of groupBy(files, dateKey).values()) {
    const from = `read_parquet(${fileList(group.map(readPath))}, union_by_name = true, hive_partitioning = false)`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
    const columns = described.getRowObjectsJS().map((row) => headerColumn(String(row.column_name)));
    const select = columns.map(
      (c) => `TRY_CAST(${quoteIdent(c.field)} AS ${DUCKDB_TYPE[c.type]}) AS ${quoteIdent(c.column)}`,
    );
    const partition = partitionColumns(
      pathDate(group[0].file.path),
      columns.some((c) => c.column === "starttime"),
    );
    sources.push({
      sql: `SELECT *, ${partition} FROM (SELECT ${select.join(", ")} FROM ${from})`,
      columns: columns.map((c) => c.column),
    });
  }
  return sources;
}

/** Rows in Parquet files, from their footers (no data read). */
export async function parquetRowCount(connection: DuckDBConnection, files: readonly LogFile[]): Promise<number> {
  if (files.length === 0) return 0;
  const reader = await connection.runAndReadAll(
    `SELECT coalesce(sum(num_rows), 0) AS n FROM parquet_file_metadata(${fileList(files.map((f) => f.path))})`,
  );
  return Number(reader.getRowObjectsJS()[0].n);
}
