import { DuckDBInstance } from "@duckdb/node-api";
import { mkdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { columnType, type FlowLogField } from "../../monitoring/flow-log-fields";
import { resolveLogPaths } from "../logs/resolve-log-paths";
import { DUCKDB_TYPE, quoteIdent, quoteString } from "../query/flow-log-sources";

/**
 * Converts gzip text logs of `fields` to Parquet, one file per folder (named after its first file),
 * keeping the layout. Columns are named and typed as the S3 destination's Parquet option writes
 * them: hyphens become underscores, packets and times are INT64 (FlowLogField.parquetType), gzip
 * compression.
 */
export async function convertToParquet(
  textRoot: string,
  outRoot: string,
  fields: readonly FlowLogField[],
): Promise<string[]> {
  const byFolder = new Map<string, string[]>();
  for (const file of resolveLogPaths([textRoot])) {
    const folder = dirname(file.path);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file.path]);
  }
  const instance = await DuckDBInstance.create(":memory:", {
    memory_limit: "768MB",
    preserve_insertion_order: "false",
  });
  const connection = await instance.connect();
  const types = fields.map((f) => `${quoteString(f.field)}: 'VARCHAR'`).join(", ");
  const select = fields
    .map(
      (f) =>
        `CAST(${quoteIdent(f.field)} AS ${DUCKDB_TYPE[columnType(f, "parquet")]}) AS ${quoteIdent(f.field.replaceAll("-", "_"))}`,
    )
    .join(", ");
  const written: string[] = [];
  try {
    for (const [folder, files] of byFolder) {
      const first = basename([...files].sort()[0]).replace(/\.log\.gz$/, "");
      const out = join(outRoot, relative(textRoot, folder), `${first}.log.parquet`);
      mkdirSync(dirname(out), { recursive: true });
      const list = `[${files.map(quoteString).join(", ")}]`;
      await connection.run(
        `COPY (SELECT ${select} FROM read_csv(${list}, delim = ' ', header = true, auto_detect = false, columns = {${types}}, nullstr = '-', quote = '', escape = '')) TO ${quoteString(out)} (FORMAT parquet, COMPRESSION gzip)`,
      );
      written.push(out);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return written.sort();
}
