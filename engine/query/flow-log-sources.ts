import type { DuckDBConnection } from "@duckdb/node-api";
import { ALL_PARTITION_COLUMNS, type PartitionColumn } from "../../monitoring/flow-log-storage";
import { headerColumn, type HeaderColumn } from "../logs/flow-log-header";
import type { PreparedFile } from "../logs/prepare-log-files";
import type { LogFile } from "../logs/resolve-log-paths";
import { copyGroupKey } from "../logs/copy-spool";
import { dateFolderKey, pathDate, type PathDate } from "../logs/path-date";

export { pathDate } from "../logs/path-date";

/** A column type (monitoring/flow-log-fields.ts) as DuckDB names it. */
export const DUCKDB_TYPE = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const fileList = (paths: readonly string[]) => `[${paths.map(quoteString).join(", ")}]`;

const STRFTIME: Record<PartitionColumn, string> = { year: "%Y", month: "%m", day: "%d", hour: "%H" };

/**
 * year, month, day, hour: constants for a group of files in one date (or hour) folder, so a filter on
 * them prunes whole groups, as the Athena table's partitions are the folders; `hour` is NULL in a daily
 * folder (the daily table has no such column). Outside the S3 layout, the record's start (UTC) says
 * all four, row by row.
 */
function partitionColumns(date: PathDate | null, hasStart: boolean): string {
  return ALL_PARTITION_COLUMNS.map((column) => {
    const fromPath = date?.[column];
    if (fromPath !== undefined) return `${quoteString(fromPath)} AS ${column}`;
    if (date || !hasStart) return `NULL::VARCHAR AS ${column}`;
    return `strftime(make_timestamp(CAST(starttime AS BIGINT) * 1000000), '${STRFTIME[column]}') AS ${column}`;
  }).join(", ");
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** Files of one field order and one date folder: one read_csv over their record copies. */
export interface TextGroup {
  readonly columns: readonly HeaderColumn[];
  /** The files as given (their paths give the date partition). */
  readonly paths: readonly string[];
  /** The spool files holding their plain-text record copies (no header line), which DuckDB reads. */
  readonly readPaths: readonly string[];
}

/** Prepared files whose records were copied, grouped by field order and date folder (as the spool files are). */
export function groupTextFiles(files: readonly PreparedFile[]): TextGroup[] {
  const withRecords = files.filter((f) => f.records?.copy !== undefined);
  const groups = groupBy(withRecords, (f) => copyGroupKey(f.file.path, f.copyColumns));
  return [...groups.values()].map((group) => ({
    columns: group[0].copyColumns,
    paths: group.map((f) => f.file.path),
    readPaths: [...new Set(group.map((f) => f.records!.copy!.path))],
  }));
}

export interface Source {
  readonly sql: string;
  /** The table's column names the source gives (before year, month, day). */
  readonly columns: readonly string[];
}

/**
 * One SELECT per group over the record copies: every line is a record of the group's fields
 * (prepareLogFiles made sure), so DuckDB reads them strictly, in parallel; `-` is NULL. The reject
 * tables stay on as a backstop: a line DuckDB still refused would be reported, not lost.
 */
export function textSource({ columns, paths, readPaths }: TextGroup): Source {
  const types = columns.map((c) => `${quoteString(c.field)}: '${DUCKDB_TYPE[c.type]}'`).join(", ");
  const select = columns.map((c) => `${quoteIdent(c.field)} AS ${quoteIdent(c.column)}`).join(", ");
  const read =
    `read_csv(${fileList(readPaths)}, delim = ' ', header = false, auto_detect = false, new_line = '\\n', ` +
    `columns = {${types}}, nullstr = '-', quote = '', escape = '', hive_partitioning = false, store_rejects = true)`;
  const partition = partitionColumns(
    pathDate(paths[0]),
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
export async function parquetSources(connection: DuckDBConnection, files: readonly LogFile[]): Promise<Source[]> {
  const sources: Source[] = [];
  for (const group of groupBy(files, (f) => dateFolderKey(f.path)).values()) {
    const from = `read_parquet(${fileList(group.map((f) => f.path))}, union_by_name = true, hive_partitioning = false)`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
    const columns = described.getRowObjectsJS().map((row) => headerColumn(String(row.column_name)));
    const select = columns.map(
      (c) => `TRY_CAST(${quoteIdent(c.field)} AS ${DUCKDB_TYPE[c.type]}) AS ${quoteIdent(c.column)}`,
    );
    const partition = partitionColumns(
      pathDate(group[0].path),
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
