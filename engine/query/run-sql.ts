import type { DuckDBConnection } from "@duckdb/node-api";

export type CellValue = string | number | boolean | null;
export type Row = Record<string, CellValue>;

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** JSON-friendly cells: integers as numbers while exact, timestamps as ISO text, other values as text. */
function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : String(value);
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export async function runSql(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  const reader = await connection.runAndReadAll(sql);
  const columns = reader.columnNames();
  const rows = reader.getRowObjectsJS().map((raw) => {
    const row: Row = {};
    for (const column of columns) row[column] = toCell(raw[column]);
    return row;
  });
  return { columns, rows };
}
