import { DuckDBInstance } from "@duckdb/node-api";
import { mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import { resolveLogPaths } from "../logs/resolve-log-paths";
import { quoteIdent, quoteString } from "../query/flow-log-sources";

const PARQUET_TYPE = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

/**
 * Converts default-format gzip text logs to Parquet, one file per day folder, keeping the S3 layout.
 * Columns are named as the S3 destination's Parquet option names them (hyphens become underscores).
 */
export async function convertToParquet(textRoot: string, outRoot: string): Promise<string[]> {
  const byDay = new Map<string, string[]>();
  for (const file of resolveLogPaths([textRoot])) {
    const day = dirname(file.path);
    byDay.set(day, [...(byDay.get(day) ?? []), file.path]);
  }
  const instance = await DuckDBInstance.create(":memory:", {
    memory_limit: "768MB",
    preserve_insertion_order: "false",
  });
  const connection = await instance.connect();
  const types = FLOW_LOG_FIELDS.map((f) => `${quoteString(f.field)}: 'VARCHAR'`).join(", ");
  const select = FLOW_LOG_FIELDS.map(
    (f) => `CAST(${quoteIdent(f.field)} AS ${PARQUET_TYPE[f.type]}) AS ${quoteIdent(f.field.replaceAll("-", "_"))}`,
  ).join(", ");
  const written: string[] = [];
  try {
    for (const [day, files] of byDay) {
      const out = join(
        outRoot,
        relative(textRoot, day),
        `${relative(textRoot, day).split("/").slice(-3).join("")}.log.parquet`,
      );
      mkdirSync(dirname(out), { recursive: true });
      const list = `[${files.map(quoteString).join(", ")}]`;
      await connection.run(
        `COPY (SELECT ${select} FROM read_csv(${list}, delim = ' ', header = true, auto_detect = false, columns = {${types}}, nullstr = '-', quote = '', escape = '')) TO ${quoteString(out)} (FORMAT parquet)`,
      );
      written.push(out);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return written.sort();
}
