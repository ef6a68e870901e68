import type { DuckDBConnection } from "@duckdb/node-api";
import type { LogFile } from "../logs/resolve-log-paths";
import { parquetSources } from "./flow-log-sources";
import type { RejectedLine } from "./rejected-lines";
import { oneLine } from "./sql-statement";

/** A Parquet file DuckDB could read the footer of, and the table's columns it has. */
export interface ParquetFile {
  readonly file: LogFile;
  readonly columns: readonly string[];
}

export interface DescribedParquet {
  readonly readable: readonly ParquetFile[];
  /** One entry (line 0) per file DuckDB cannot read as Parquet, with its reason. */
  readonly rejects: readonly RejectedLine[];
}

/**
 * Each Parquet file's columns, from its footer (no data read). A file that is no Parquet DuckDB can
 * read (truncated, empty, text under a .parquet name) is set aside and reported, as a broken gzip
 * file is: in the view it would fail every query, and the other files' records are still an answer.
 */
export async function describeParquetFiles(
  connection: DuckDBConnection,
  files: readonly LogFile[],
): Promise<DescribedParquet> {
  const readable: ParquetFile[] = [];
  const rejects: RejectedLine[] = [];
  for (const file of files) {
    try {
      const [source] = await parquetSources(connection, [file]);
      readable.push({ file, columns: source.columns });
    } catch (error) {
      // DuckDB's first line names the file again (the report names it already), and may quote the
      // file's own bytes: control characters are escaped, not sent to the terminal.
      const reason = oneLine(error)
        .replace(` '${file.path}'`, "")
        .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
      rejects.push({
        file: file.path,
        line: 0,
        reason: `not a readable Parquet file (${reason}); none of its rows read`,
      });
    }
  }
  return { readable, rejects };
}
