import type { DuckDBConnection } from "@duckdb/node-api";
import { readCells, type Cell } from "./duckdb-cell";

export type { Cell } from "./duckdb-cell";

export interface QueryResult {
  readonly columns: readonly string[];
  /** Cells by column position: a result may name two columns alike (`SELECT 1 a, 2 a`). */
  readonly rows: readonly (readonly Cell[])[];
}

export async function runSql(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: readCells(reader) };
}
