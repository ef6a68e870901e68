import type { DuckDBConnection } from "@duckdb/node-api";
import { ALL_PARTITION_COLUMNS, type PartitionColumn } from "../../monitoring/flow-log-storage";
import { headerColumn, type HeaderColumn } from "../logs/flow-log-header";
import type { PreparedFile } from "../logs/prepare-log-files";
import type { LogFile } from "../logs/resolve-log-paths";
import { dateFolderKey, pathDate, type PathDate } from "../logs/path-date";

export { pathDate } from "../logs/path-date";

/** A column type (monitoring/flow-log-fields.ts) as DuckDB names it. */
export const DUCKDB_TYPE = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const fileList = (paths: readonly string[]) => `[${paths.map(quoteString).join(", ")}]`;

const STRFTIME: Record<PartitionColumn, string> = { year: "%Y", month: "%m", day: "%d", hour: "%H" };

/**
 * year, month, day, hour: constants for a group of Parquet files in one date (or hour) folder, so a
 * filter on them prunes whole groups, as the Athena table's partitions are the folders; `hour` is NULL
 * in a daily folder (the daily table has no such column). Outside the S3 layout, the record's start
 * (UTC) says all four, row by row.
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
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Files of one field order, all in the S3 layout's date folders or all outside it: one read_csv over
 * their record copies. Measured on 10 M records over 7 days, top-talkers took 5.5 s as a union of one
 * read per date folder and 3.9 s as one read (docs/performance.md).
 */
export interface TextGroup {
  readonly columns: readonly HeaderColumn[];
  /** The copies are in Hive-style date folders (CopySpool), which give the partition columns. */
  readonly dated: boolean;
  /** The spool files holding their plain-text record copies (no header line), which DuckDB reads. */
  readonly readPaths: readonly string[];
}

/** Prepared files whose records were copied, grouped by field order and by whether their path gives a date. */
export function groupTextFiles(files: readonly PreparedFile[]): TextGroup[] {
  const withRecords = files.filter((f) => f.records?.copy !== undefined);
  const dated = (f: PreparedFile) => pathDate(f.file.path) !== null;
  const groups = groupBy(withRecords, (f) => `${f.copyColumns.map((c) => c.field).join(" ")}|${dated(f)}`);
  return [...groups.values()].map((group) => ({
    columns: group[0].copyColumns,
    dated: dated(group[0]),
    readPaths: [...new Set(group.map((f) => f.records!.copy!.path))],
  }));
}

export interface Source {
  readonly sql: string;
  /** The table's column names the source gives (before year, month, day). */
  readonly columns: readonly string[];
}

/**
 * DuckDB's CSV buffer: 4 MiB instead of its 32 MiB. The buffers being read are pinned, outside what
 * DuckDB can spill: with 8 MiB, top-talkers over 10 M records ran out of memory within a 256 MB limit
 * in 5 runs of 6, with 4 MiB and 2 MiB in none of 6, at the same speed (docs/performance.md).
 */
const CSV_BUFFER_BYTES = 4 << 20;

/**
 * One SELECT per group over the record copies: every line is a record of the group's fields
 * (prepareLogFiles made sure), so DuckDB reads them strictly, in parallel; `-` is NULL. The reject
 * tables stay on as a backstop: a line DuckDB still refused would be reported, not lost. The
 * partition columns of dated copies come from their Hive-style folders, so a filter on them skips
 * whole files, as the Athena table's partitions are folders.
 */
export function textSource({ columns, dated, readPaths }: TextGroup): Source {
  const types = columns.map((c) => `${quoteString(c.field)}: '${DUCKDB_TYPE[c.type]}'`).join(", ");
  const select = columns.map((c) => `${quoteIdent(c.field)} AS ${quoteIdent(c.column)}`).join(", ");
  const hiveTypes = ALL_PARTITION_COLUMNS.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(", ");
  const hive = dated ? `hive_partitioning = true, hive_types = {${hiveTypes}}` : "hive_partitioning = false";
  const read =
    `read_csv(${fileList(readPaths)}, delim = ' ', header = false, auto_detect = false, new_line = '\\n', ` +
    `columns = {${types}}, nullstr = '-', quote = '', escape = '', ${hive}, buffer_size = ${CSV_BUFFER_BYTES}, ` +
    `store_rejects = true)`;
  const partition = dated
    ? ALL_PARTITION_COLUMNS.join(", ")
    : partitionColumns(
        null,
        columns.some((c) => c.column === "starttime"),
      );
  return {
    sql: `SELECT ${select}, ${partition} FROM ${read}`,
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
