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

/** What a statement refers to, from DuckDB's own parse tree. */
export interface StatementColumns {
  /** The column names it names (the last part of each reference), lower case (DuckDB ignores case). */
  readonly named: string[];
  /**
   * Every name in its column references, lower case, when those are surely all the columns it reads;
   * null when it may read others: `*` or COLUMNS(...), a positional reference (#1), a table
   * function (query_table reads a table it names in a string), a reference to a table itself (a row
   * as a struct), or a statement that is not a query.
   */
  readonly readsOnly: string[] | null;
}

/**
 * Checks that `sql` is exactly one statement (a string of several would run them all and show
 * only the last result) and returns the columns it refers to.
 */
export async function parseStatement(
  connection: DuckDBConnection,
  sql: string,
  by = "--sql",
): Promise<StatementColumns> {
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch (error) {
    throw new QueryError(`${by}: ${oneLine(error)}`);
  }
  if (count !== 1) throw new QueryError(`${by}: give one SQL statement, got ${count}`);
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${quoteString(sql)}) AS tree`);
  return statementColumns(JSON.parse(String(reader.getRowObjectsJS()[0].tree)));
}

interface TreeNode {
  readonly class?: string;
  readonly type?: string;
  readonly column_names?: string[];
  readonly table_name?: string;
  readonly alias?: string;
}

const READS_EVERY_COLUMN = new Set(["STAR", "POSITIONAL_REFERENCE", "TABLE_FUNCTION"]);

/** StatementColumns from json_serialize_sql's tree. */
export function statementColumns(tree: unknown): StatementColumns {
  const named = new Set<string>();
  const references: string[][] = [];
  const tables = new Set<string>();
  let everyColumn = (tree as { error?: boolean }).error === true;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as TreeNode;
      if (READS_EVERY_COLUMN.has(n.class ?? "") || READS_EVERY_COLUMN.has(n.type ?? "")) everyColumn = true;
      if (n.class === "COLUMN_REF" && n.column_names?.length) {
        named.add(n.column_names[n.column_names.length - 1].toLowerCase());
        references.push(n.column_names);
      }
      if (n.type === "BASE_TABLE") for (const name of [n.table_name, n.alias]) if (name) tables.add(name.toLowerCase());
      Object.values(node).forEach(walk);
    }
  };
  walk(tree);
  const names = references.flat().map((name) => name.toLowerCase());
  // A one-part reference to a table (`SELECT t FROM vpc_flow_log t`) is its whole row.
  if (references.some((r) => r.length === 1 && tables.has(r[0].toLowerCase()))) everyColumn = true;
  return { named: [...named], readsOnly: everyColumn ? null : [...new Set(names)] };
}
