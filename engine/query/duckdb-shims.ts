import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * The few Athena (Trino) functions the named queries may use that DuckDB spells differently,
 * defined as DuckDB macros so the SQL text stays exactly what Athena runs. Timestamps are UTC,
 * as in Athena.
 */
export const DUCKDB_SHIMS: readonly string[] = [
  // Trino: from_unixtime(seconds) -> timestamp with time zone (UTC).
  "CREATE OR REPLACE MACRO from_unixtime(seconds) AS to_timestamp(CAST(seconds AS DOUBLE))",
];

export async function installShims(connection: DuckDBConnection): Promise<void> {
  await connection.run("SET TimeZone = 'UTC'");
  for (const sql of DUCKDB_SHIMS) await connection.run(sql);
}
