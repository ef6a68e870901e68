import type { DuckDBConnection } from "@duckdb/node-api";
import type { RejectedLine } from "../logs/record-lines";

export type { RejectedLine } from "../logs/record-lines";

/** The last scan DuckDB recorded in its reject tables, or null before the first (the tables do not exist yet). */
async function lastScanId(connection: DuckDBConnection): Promise<number | null> {
  const exists = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name IN ('reject_scans', 'reject_errors')",
  );
  if (Number(exists.getRowObjectsJS()[0].n) < 2) return null;
  const reader = await connection.runAndReadAll("SELECT coalesce(max(scan_id), -1) AS id FROM reject_scans");
  return Number(reader.getRowObjectsJS()[0].id);
}

/** Lines DuckDB's CSV scans since `after` rejected, one per file and line (a self-join scans twice). */
async function rejectedLines(connection: DuckDBConnection, after: number | null): Promise<RejectedLine[]> {
  if ((await lastScanId(connection)) === null) return [];
  const rows = await connection.runAndReadAll(
    `SELECT s.file_path AS file, e.line AS line, first(e.error_type || ': ' || e.error_message ORDER BY e.scan_id, e.column_idx) AS reason
     FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id)
     WHERE e.scan_id > ${after ?? -1}
     GROUP BY ALL ORDER BY file, line`,
  );
  return rows
    .getRowObjectsJS()
    .map((row) => ({ file: String(row.file), line: Number(row.line), reason: String(row.reason) }));
}

export type Attempt<T> = { ok: true; result: T; rejects: RejectedLine[] } | { ok: false; error: unknown };

/** Runs `run` and collects the lines its scans rejected; an error is returned, not thrown, so a re-run can follow. */
export async function attempt<T>(connection: DuckDBConnection, run: () => Promise<T>): Promise<Attempt<T>> {
  const before = await lastScanId(connection);
  try {
    const result = await run();
    return { ok: true, result, rejects: await rejectedLines(connection, before) };
  } catch (error) {
    return { ok: false, error };
  }
}
