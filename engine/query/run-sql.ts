import type { DuckDBConnection } from "@duckdb/node-api";

export type CellValue = string | number | boolean | null;

export interface QueryResult {
  readonly columns: readonly string[];
  /** Cells by column position: a result may name two columns alike (`SELECT 1 a, 2 a`). */
  readonly rows: readonly (readonly CellValue[])[];
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
  return { columns: reader.columnNames(), rows: reader.getRowsJS().map((row) => row.map(toCell)) };
}
