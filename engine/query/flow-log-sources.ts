import type { DuckDBConnection } from "@duckdb/node-api";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import { headerColumn, parseHeader, readHeaderLine, type HeaderColumn } from "../logs/flow-log-header";
import type { LogFile } from "../logs/resolve-log-paths";

const DUCKDB_TYPE = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const fileList = (paths: readonly string[]) => `[${paths.map(quoteString).join(", ")}]`;

/** Files that share one header (field order) are read by one read_csv call. */
function groupByHeader(
  files: readonly LogFile[],
): Map<string, { columns: HeaderColumn[]; header: boolean; paths: string[] }> {
  const groups = new Map<string, { columns: HeaderColumn[]; header: boolean; paths: string[] }>();
  for (const file of files) {
    const parsed = parseHeader(readHeaderLine(file));
    // No header line: the default (v2) format, as the walkthrough's table assumes.
    const columns = parsed ?? FLOW_LOG_FIELDS.map((f) => headerColumn(f.field));
    const key = `${parsed ? "h" : "n"}:${columns.map((c) => c.field).join(" ")}`;
    const group = groups.get(key) ?? { columns, header: parsed !== null, paths: [] };
    group.paths.push(file.path);
    groups.set(key, group);
  }
  return groups;
}

/**
 * One SELECT per header over space-delimited text or gzip files: DuckDB reads and inflates them
 * itself (fast, parallel); `-` is NULL; a line with the wrong field count or a non-numeric number
 * goes to DuckDB's reject tables (file and line number) instead of failing the run.
 */
export function textSources(files: readonly LogFile[]): string[] {
  return [...groupByHeader(files).values()].map(({ columns, header, paths }) => {
    const types = columns.map((c) => `${quoteString(c.field)}: '${DUCKDB_TYPE[c.type]}'`).join(", ");
    const select = columns.map((c) => `${quoteIdent(c.field)} AS ${quoteIdent(c.column)}`).join(", ");
    return `SELECT ${select}, filename FROM read_csv(${fileList(paths)}, delim = ' ', header = ${header}, auto_detect = false, columns = {${types}}, nullstr = '-', quote = '', escape = '', filename = true, store_rejects = true)`;
  });
}

/** Parquet files (the S3 destination's Parquet option) name fields with underscores; cast to the table's types. */
export async function parquetSource(connection: DuckDBConnection, files: readonly LogFile[]): Promise<string | null> {
  if (files.length === 0) return null;
  const from = `read_parquet(${fileList(files.map((f) => f.path))}, filename = true, union_by_name = true)`;
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  const names = described
    .getRowObjectsJS()
    .map((row) => String(row.column_name))
    .filter((n) => n !== "filename");
  const select = names.map((name) => {
    const c = headerColumn(name);
    return `TRY_CAST(${quoteIdent(name)} AS ${DUCKDB_TYPE[c.type]}) AS ${quoteIdent(c.column)}`;
  });
  return `SELECT ${select.join(", ")}, filename FROM ${from}`;
}
