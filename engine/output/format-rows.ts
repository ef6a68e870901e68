import type { CellValue, QueryResult } from "../query/run-sql";

export type RowFormat = "table" | "json" | "csv";

const text = (value: CellValue) => (value === null ? "" : String(value));

/** Aligned columns with a header rule; numbers right-aligned. */
export function formatTable(result: QueryResult): string {
  const { columns, rows } = result;
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === "number"));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join(" | ")
      .trimEnd();
  const out = [
    line([...columns]),
    widths.map((w) => "-".repeat(w)).join("-+-"),
    ...rows.map((r) => line(columns.map((c) => text(r[c])))),
  ];
  out.push(`(${rows.length} ${rows.length === 1 ? "row" : "rows"})`);
  return out.join("\n") + "\n";
}

/** RFC 4180: quote fields holding a comma, quote or line break; NULL is an empty field. */
export function formatCsv(result: QueryResult): string {
  const cell = (value: CellValue) => {
    const s = text(value);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [result.columns.map((c) => cell(c)), ...result.rows.map((r) => result.columns.map((c) => cell(r[c])))]
    .map((cells) => cells.join(","))
    .join("\n")
    .concat("\n");
}

/** An array of row objects, keys in column order. */
export function formatJson(result: QueryResult): string {
  return JSON.stringify(result.rows, null, 2) + "\n";
}

export function formatRows(result: QueryResult, format: RowFormat): string {
  if (format === "json") return formatJson(result);
  if (format === "csv") return formatCsv(result);
  return formatTable(result);
}
