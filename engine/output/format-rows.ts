import type { Cell, QueryResult } from "../query/run-sql";
import { rowObjects } from "../query/row-objects";

export type RowFormat = "table" | "json" | "csv";

/** One cell's text: NULL is empty; a list, struct or map is its JSON, as in the json format. */
const text = (value: Cell) => (value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));

/** A table of records (each printed in the given column order), for rows built in JS rather than read from DuckDB. */
export function tableOf<K extends string>(
  columns: readonly K[],
  records: readonly Readonly<Record<K, Cell>>[],
): QueryResult {
  return { columns, rows: records.map((r) => columns.map((c) => r[c])) };
}

/** Aligned columns with a header rule; numbers right-aligned. */
export function formatTable(result: QueryResult): string {
  const { columns, rows } = result;
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => text(r[i]).length)));
  const numeric = columns.map(
    (_, i) => rows.length > 0 && rows.every((r) => r[i] === null || typeof r[i] === "number"),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join(" | ")
      .trimEnd();
  const out = [line([...columns]), widths.map((w) => "-".repeat(w)).join("-+-"), ...rows.map((r) => line(r.map(text)))];
  out.push(`(${rows.length} ${rows.length === 1 ? "row" : "rows"})`);
  return out.join("\n") + "\n";
}

/** RFC 4180: quote fields holding a comma, quote or line break; NULL is an empty field. */
export function formatCsv(result: QueryResult): string {
  const cell = (value: Cell) => {
    const s = text(value);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [result.columns.map(cell), ...result.rows.map((r) => r.map(cell))]
    .map((cells) => cells.join(","))
    .join("\n")
    .concat("\n");
}

/**
 * An array of row objects, keys in column order. An object cannot hold two keys of one name, so a
 * repeated column name gets DuckDB's suffix (n, n_1: uniqueNames) rather than an error: the query has
 * run by now (over every file), and table and csv print such a result as it is.
 */
export function formatJson(result: QueryResult): string {
  return JSON.stringify(rowObjects(result), null, 2) + "\n";
}

export function formatRows(result: QueryResult, format: RowFormat): string {
  if (format === "json") return formatJson(result);
  if (format === "csv") return formatCsv(result);
  return formatTable(result);
}
