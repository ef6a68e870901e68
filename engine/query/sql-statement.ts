import type { DuckDBConnection } from "@duckdb/node-api";
import { QueryError } from "../../monitoring/named-queries";
import { quoteString } from "./flow-log-sources";

/** DuckDB's message in one line: its first (the rest points at the spot in the SQL). */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")[0]
    .replace(/^(Error: |Failed to extract statements: )+/, "")
    .trim();
}

/**
 * Checks that `sql` is exactly one statement (a string of several would run them all and show
 * only the last result) and returns the column names it refers to, from DuckDB's own parse tree.
 */
export async function parseStatement(connection: DuckDBConnection, sql: string, by = "--sql"): Promise<string[]> {
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch (error) {
    throw new QueryError(`${by}: ${oneLine(error)}`);
  }
  if (count !== 1) throw new QueryError(`${by}: give one SQL statement, got ${count}`);
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${quoteString(sql)}) AS tree`);
  const tree: unknown = JSON.parse(String(reader.getRowObjectsJS()[0].tree));
  const columns = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as { class?: string; column_names?: string[] };
      if (n.class === "COLUMN_REF" && n.column_names?.length) columns.add(n.column_names[n.column_names.length - 1]);
      Object.values(node).forEach(walk);
    }
  };
  walk(tree);
  return [...columns];
}
