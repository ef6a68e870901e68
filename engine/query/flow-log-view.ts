import type { DuckDBConnection } from "@duckdb/node-api";
import { FLOW_LOG_FIELDS, KNOWN_FIELDS } from "../../monitoring/flow-log-fields";
import { ALL_PARTITION_COLUMNS } from "../../monitoring/flow-log-storage";
import type { PreparedFile } from "../logs/prepare-log-files";
import { DUCKDB_TYPE, groupTextFiles, parquetSources, quoteIdent, textSource } from "./flow-log-sources";
import type { ParquetFile } from "./parquet-files";

/** The view the named queries' `{{table}}` is rendered to when they run on DuckDB. */
export const FLOW_LOG_VIEW = "vpc_flow_log";

export interface FlowLogView {
  /** The columns each file (by its path as given) has; a column another file lacks reads as NULL there. */
  readonly columnsByFile: ReadonlyMap<string, readonly string[]>;
}

/**
 * (Re)creates the view `vpc_flow_log` over the files' records: the walkthrough's columns (named after
 * FLOW_LOG_FIELDS whatever order the files' headers give), any extra fields, and the partition
 * columns year, month, day, hour. A view, not a copy: each query scans the records once, and DuckDB
 * converts only the columns it uses. `parquet`: the Parquet files DuckDB can read, with their columns
 * (describeParquetFiles). `keep`: the only columns to show (the text files' copies hold just those, see
 * RecordUse.keep); all when unset.
 */
export async function createFlowLogView(
  connection: DuckDBConnection,
  text: readonly PreparedFile[],
  parquet: readonly ParquetFile[],
  keep?: ReadonlySet<string>,
): Promise<FlowLogView> {
  const groups = groupTextFiles(text);
  const sources = groups.map(textSource);
  const columnsByFile = new Map<string, readonly string[]>();
  // Every text file with records, copied or not (replay reads them without DuckDB).
  for (const f of text)
    if (f.records)
      columnsByFile.set(
        f.file.path,
        f.columns.map((c) => c.column),
      );
  for (const p of parquet) columnsByFile.set(p.file.path, p.columns);
  const parquetFiles = parquet.map((p) => p.file);
  sources.push(...(await parquetSources(connection, parquetFiles)));
  // With `keep`, the view has those columns only: one the query names but `keep` missed is a Binder
  // Error, never a column of NULLs.
  const kept = (column: string) => keep === undefined || keep.has(column);
  const present = new Set(sources.flatMap((s) => s.columns).filter(kept));
  // Without a file for DuckDB (none with a record, or only replay's text files, which the reader processes
  // read), every known field is a column, of no rows: whatever format replay asks for exists.
  const always = sources.length > 0 ? FLOW_LOG_FIELDS : KNOWN_FIELDS;
  const base = always
    .filter((f) => kept(f.column))
    .map((f) =>
      present.has(f.column) ? quoteIdent(f.column) : `NULL::${DUCKDB_TYPE[f.type]} AS ${quoteIdent(f.column)}`,
    );
  const known = new Set(FLOW_LOG_FIELDS.map((f) => f.column));
  const extra = [...present].filter((c) => !known.has(c)).sort();
  const columns = [...base, ...extra.map(quoteIdent), ...ALL_PARTITION_COLUMNS].join(", ");
  const union =
    sources.length > 0
      ? sources.map((s) => `(${s.sql})`).join(" UNION ALL BY NAME ")
      : `SELECT ${[
          ...KNOWN_FIELDS.map((f) => `NULL::${DUCKDB_TYPE[f.type]} AS ${quoteIdent(f.column)}`),
          ...ALL_PARTITION_COLUMNS.map((c) => `NULL::VARCHAR AS ${c}`),
        ].join(", ")} WHERE false`;
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${FLOW_LOG_VIEW} AS SELECT ${columns} FROM (${union})`);
  return { columnsByFile };
}
