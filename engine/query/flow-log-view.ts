import type { DuckDBConnection } from "@duckdb/node-api";
import { FLOW_LOG_FIELDS } from "../../monitoring/flow-log-fields";
import { groupTextFiles, parquetSources, quoteIdent, textSource, type SourceFile } from "./flow-log-sources";

/** The view the named queries' `{{table}}` is rendered to when they run on DuckDB. */
export const FLOW_LOG_VIEW = "vpc_flow_log";

const TYPE = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" } as const;

export interface FlowLogView {
  /** Original paths of text/gzip files read with a header line (their first line is not a record). */
  readonly withHeader: ReadonlySet<string>;
}

/**
 * (Re)creates the view `vpc_flow_log` over the files: the walkthrough's columns (named after
 * FLOW_LOG_FIELDS whatever order the files' headers give), any extra fields, and the partition
 * columns year, month, day. A view, not a copy: each query scans the files once, and DuckDB
 * converts only the columns it uses.
 */
export async function createFlowLogView(
  connection: DuckDBConnection,
  files: readonly SourceFile[],
): Promise<FlowLogView> {
  const groups = groupTextFiles(files.filter((f) => f.file.format !== "parquet"));
  const sources = groups.map(textSource);
  sources.push(
    ...(await parquetSources(
      connection,
      files.filter((f) => f.file.format === "parquet"),
    )),
  );
  const present = new Set(sources.flatMap((s) => s.columns));
  const base = FLOW_LOG_FIELDS.map((f) =>
    present.has(f.column) ? quoteIdent(f.column) : `NULL::${TYPE[f.type]} AS ${quoteIdent(f.column)}`,
  );
  const known = new Set(FLOW_LOG_FIELDS.map((f) => f.column));
  const extra = [...present].filter((c) => !known.has(c)).sort();
  const union = sources.map((s) => `(${s.sql})`).join(" UNION ALL BY NAME ");
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${FLOW_LOG_VIEW} AS SELECT ${[...base, ...extra.map(quoteIdent)].join(", ")}, year, month, day FROM (${union})`,
  );
  const withHeader = new Set(groups.filter((g) => g.header).flatMap((g) => g.files.map((f) => f.file.path)));
  return { withHeader };
}
